import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { queryKeys } from "../../../api/query-keys";
import type { GenerateAccepted, GenerateRequest } from "../../../../shared/wire/documents";

/** The request body (docs/vendors.md, Artos §3.2) under the primary names the contract prefers. */
export async function generateDocument(client: HttpClient, request: GenerateRequest): Promise<GenerateAccepted> {
  const body = await client.request("generateDocument", { body: request });
  return requireFields<GenerateAccepted>(body, ["task_id"], "generateDocument");
}

export function useGenerateDocument() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: GenerateRequest) => generateDocument(client, request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.documents.all }),
  });
}
