// POST /api/batch/start: tag the chosen documents (batch-spec.md "POST /api/batch/start").
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { batchKeys } from "../../../api/query-keys";

export interface BatchDocument {
  title: string;
  /** The document's s3_key. */
  file_path: string;
  file_source_type: "s3";
}

export interface StartBatchRequest {
  documents: BatchDocument[];
  config: { num_tags: number; exclusion_words: string[] };
}

export interface StartBatchResponse {
  job_id: string;
  total_documents: number;
  message: string;
}

export async function startBatch(client: HttpClient, request: StartBatchRequest): Promise<StartBatchResponse> {
  const body = await client.request("startBatch", { body: request });
  const started = requireFields<StartBatchResponse>(body, ["job_id"], "startBatch");
  return { ...started, total_documents: Number(started.total_documents) || request.documents.length };
}

export function useStartBatch() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: StartBatchRequest) => startBatch(client, request),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: batchKeys.active() }),
  });
}
