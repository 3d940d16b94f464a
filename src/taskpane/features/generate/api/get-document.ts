import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";
import type { DocumentDetail as WireDocumentDetail } from "../../../../shared/wire/documents";
import type { AtLeast } from "../../../../shared/wire/fields";

/** One document as the pane reads it: it checks document_id and s3_key; a vendor may leave out more. */
export type DocumentDetail = AtLeast<WireDocumentDetail, "document_id" | "document_name" | "s3_key">;

export async function getDocument(client: HttpClient, documentId: string, signal?: AbortSignal): Promise<DocumentDetail> {
  const body = await client.request("getDocument", { params: { document_id: documentId }, signal });
  const { document } = requireFields<{ document: unknown }>(body, ["document"], "getDocument");
  return requireFields<DocumentDetail>(document, ["document_id", "s3_key"], "getDocument");
}

export const documentQueryOptions = (client: HttpClient, documentId: string) =>
  queryOptions({ queryKey: generateKeys.document(documentId), queryFn: ({ signal }) => getDocument(client, documentId, signal) });

export function useDocumentDetail(documentId: string, enabled: boolean) {
  const client = useApiClient();
  return useQuery({ ...documentQueryOptions(client, documentId), enabled });
}
