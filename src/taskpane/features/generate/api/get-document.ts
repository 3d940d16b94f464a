import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";

export interface DocumentDetail {
  document_id: string;
  document_name: string;
  status?: string;
  s3_key: string;
  sections?: Array<{ section_id: string; section_title: string; section_order: number; text?: string }>;
}

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
