import { queryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { useApiClient } from "./api-context";
import { requireFields, type HttpClient } from "./http-client";
import { queryKeys } from "./query-keys";
import { t } from "../i18n";

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

/** Documents asked for at a time (the local server's pages; Artos answers the whole list). */
export const DOCUMENTS_PAGE = 50;

export interface DocumentsPage {
  documents: DocumentSummary[];
  /** How many there are in all, when the server says (the local server); undefined = this is all of them. */
  total?: number;
}

/** One page of the list, newest first (docs/api.md "Documents": `limit`, `offset`, `total`). */
export async function getDocumentsPage(client: HttpClient, offset: number, signal?: AbortSignal): Promise<DocumentsPage> {
  const body = await client.request("listDocuments", { query: { limit: DOCUMENTS_PAGE, offset }, signal });
  const { documents, total } = requireFields<{ documents: unknown; total?: unknown }>(body, ["documents"], "listDocuments");
  const list = Array.isArray(documents) ? documents : [];
  return {
    documents: list
      .filter((item): item is DocumentSummary => !!item && typeof item === "object" && typeof (item as DocumentSummary).document_id === "string")
      .map((item) => ({ ...item, document_name: item.document_name || t("api.untitledDocument") })),
    total: typeof total === "number" ? total : undefined,
  };
}

/** Where the next page starts, or undefined when everything is loaded (or the server sends it all at once). */
export function nextDocumentsOffset(last: DocumentsPage, pages: readonly DocumentsPage[]): number | undefined {
  const loaded = pages.reduce((count, page) => count + page.documents.length, 0);
  return last.total !== undefined && last.documents.length > 0 && loaded < last.total ? loaded : undefined;
}

/** The whole list, page after page (for a lookup that must see every document). */
export async function getDocuments(client: HttpClient, signal?: AbortSignal): Promise<DocumentSummary[]> {
  const pages: DocumentsPage[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page = await getDocumentsPage(client, offset, signal);
    pages.push(page);
    offset = nextDocumentsOffset(page, pages);
  }
  return pages.flatMap((page) => page.documents);
}

export const documentsQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: queryKeys.documents.list(), queryFn: ({ signal }) => getDocuments(client, signal) });

/**
 * The list a page at a time: `data` is what is loaded so far, newest first; `hasNextPage` /
 * `fetchNextPage` load more ("Show more").
 */
export function useDocuments(enabled = true) {
  const client = useApiClient();
  return useInfiniteQuery({
    queryKey: queryKeys.documents.pages(),
    queryFn: ({ pageParam, signal }) => getDocumentsPage(client, pageParam, signal),
    initialPageParam: 0,
    getNextPageParam: nextDocumentsOffset,
    select: (data) => data.pages.flatMap((page) => page.documents),
    enabled,
  });
}

/** Artos timestamps are "YYYY-MM-DD HH:MM:SS.ffffff" without a zone (UTC); ISO also accepted. */
export function parseServerTime(value: string): Date | undefined {
  if (!value) return undefined;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T").replace(/(\.\d{3})\d+/, "$1")}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
