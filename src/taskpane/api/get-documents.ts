import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "./api-context";
import { requireFields, type HttpClient } from "./http-client";
import { queryKeys } from "./query-keys";

export interface DocumentSummary {
  document_id: string;
  document_name: string;
  created_at: string;
  updated_at: string;
  workspace_id: string | null;
  template: { template_id: string; template_name: string } | null;
  size_bytes?: number;
  tags?: string[];
  /** Extra fields from the local server. */
  s3_key?: string;
  status?: string;
  kind?: "local" | "generated";
}

export async function getDocuments(client: HttpClient, signal?: AbortSignal): Promise<DocumentSummary[]> {
  const body = await client.request("listDocuments", { signal });
  const { documents } = requireFields<{ documents: unknown }>(body, ["documents"], "listDocuments");
  if (!Array.isArray(documents)) return [];
  return documents
    .filter((item): item is DocumentSummary => !!item && typeof item === "object" && typeof (item as DocumentSummary).document_id === "string")
    .map((item) => ({ ...item, document_name: item.document_name || "Untitled document" }));
}

export const documentsQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: queryKeys.documents.list(), queryFn: ({ signal }) => getDocuments(client, signal) });

export function useDocuments(enabled = true) {
  const client = useApiClient();
  return useQuery({ ...documentsQueryOptions(client), enabled });
}

/** Artos timestamps are "YYYY-MM-DD HH:MM:SS.ffffff" without a zone (UTC); ISO also accepted. */
export function parseServerTime(value: string): Date | undefined {
  if (!value) return undefined;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T").replace(/(\.\d{3})\d+/, "$1")}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
