import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { queryKeys } from "../../../api/query-keys";

/** The request body (artos.md §3.2), with the alias names the contract prefers. */
export interface GenerateRequest {
  document_type: string;
  file_paths: string[];
  connector_data_id: string;
  workspace_name: string;
  template_id: string;
  output_name: string;
  selected_section_ids?: string[] | null;
  document_instructions?: string | null;
}

export async function generateDocument(client: HttpClient, request: GenerateRequest): Promise<{ task_id: string; message: string }> {
  const body = await client.request("generateDocument", { body: request });
  return requireFields<{ task_id: string; message: string }>(body, ["task_id"], "generateDocument");
}

export function useGenerateDocument() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: GenerateRequest) => generateDocument(client, request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.documents.all }),
  });
}
