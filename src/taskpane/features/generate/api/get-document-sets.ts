import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";
import type { DocumentSet as WireDocumentSet } from "../../../../shared/wire/document-sets";

/** A set as the pane keeps it: its id and a name (the id when the vendor sends none). */
export type DocumentSet = Pick<WireDocumentSet, "document_set_id" | "document_set_name">;

export function parseDocumentSet(item: unknown): DocumentSet | undefined {
  if (!item || typeof item !== "object") return undefined;
  const record = item as Record<string, unknown>;
  const id = record.document_set_id ?? record.id ?? record.document_set_key;
  const name = record.document_set_name ?? record.name;
  if (typeof id !== "string") return undefined;
  return { document_set_id: id, document_set_name: typeof name === "string" && name ? name : id };
}

export async function getDocumentSets(client: HttpClient, signal?: AbortSignal): Promise<DocumentSet[]> {
  const body = await client.request("listDocumentSets", { signal });
  const { document_sets } = requireFields<{ document_sets: unknown }>(body, ["document_sets"], "listDocumentSets");
  return Array.isArray(document_sets) ? document_sets.map(parseDocumentSet).filter((s): s is DocumentSet => !!s) : [];
}

export const documentSetsQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: generateKeys.documentSets, queryFn: ({ signal }) => getDocumentSets(client, signal) });

export function useDocumentSets() {
  const client = useApiClient();
  return useQuery(documentSetsQueryOptions(client));
}
