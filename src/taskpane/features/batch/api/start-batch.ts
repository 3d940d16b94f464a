// POST /api/batch/start: tag the chosen documents (docs/vendors.md (tag generator, Part B) "POST /api/batch/start").
//
// Each document travels as {title, file_path, file_source_type}. When the tagger is the same
// server as the documents (one Sidecar server), file_path is the document's s3_key ("s3"). A
// separate tag generator can't read Artos keys, so it gets a presigned URL of each document
// ("url"), asked for right before the start; a document without a readable path stops the start
// with words naming it. The batch connection's tagging settings (the vendor's `api_key` and
// `model_name`) go in the job's config.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { ApiError, isApiError } from "../../../api/api-error";
import { presignedUrl } from "../../../api/download";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { batchKeys } from "../../../api/query-keys";
import { t } from "../../../i18n";

export interface BatchDocument {
  title: string;
  file_path: string;
  file_source_type: "s3" | "url";
}

export interface StartBatchRequest {
  documents: BatchDocument[];
  config: { num_tags: number; exclusion_words: string[]; api_key?: string; model_name?: string };
}

/** What the picker chose: a document's name and its key in the documents service. */
export interface ChosenDocument {
  title: string;
  s3_key?: string | null;
}

export interface StartBatchInput {
  documents: ChosenDocument[];
  config: { num_tags: number; exclusion_words: string[] };
}

export interface StartBatchResponse {
  job_id: string;
  total_documents: number;
  message: string;
}

function listNames(titles: string[]): string {
  return titles.map((name) => t("batch.quotedName", { name })).join(", ");
}

/** The request as the batch service needs it, with a readable path for every document. */
export async function batchRequest(client: HttpClient, input: StartBatchInput): Promise<StartBatchRequest> {
  const pathless = input.documents.filter((d) => !d.s3_key);
  if (pathless.length > 0) {
    throw new ApiError({
      kind: "invalid",
      endpoint: "startBatch",
      message: t("batch.noReadableFile", { names: listNames(pathless.map((d) => d.title)) }),
    });
  }
  const settings = client.settings.get();
  const config: StartBatchRequest["config"] = { ...input.config };
  if (settings.mode === "separate") {
    if (settings.batch.taggingApiKey.trim()) config.api_key = settings.batch.taggingApiKey.trim();
    if (settings.batch.modelName.trim()) config.model_name = settings.batch.modelName.trim();
  }
  if (client.sameAddress("batch", "documents")) {
    return { documents: input.documents.map((d) => ({ title: d.title, file_path: d.s3_key as string, file_source_type: "s3" })), config };
  }
  const results = await Promise.allSettled(input.documents.map((d) => presignedUrl(client, d.s3_key as string)));
  const failed = input.documents.filter((_, i) => results[i]?.status === "rejected");
  if (failed.length > 0) {
    const firstError = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
    // Signing in again or a server that is down is about the connection, not these documents.
    if (isApiError(firstError) && (firstError.kind === "unauthorized" || firstError.kind === "network")) throw firstError;
    throw new ApiError({
      kind: "invalid",
      endpoint: "startBatch",
      message: t("batch.noReadableLink", { names: listNames(failed.map((d) => d.title)), reason: isApiError(firstError) ? firstError.message : "none" }),
    });
  }
  return {
    documents: input.documents.map((d, i) => ({ title: d.title, file_path: (results[i] as PromiseFulfilledResult<string>).value, file_source_type: "url" })),
    config,
  };
}

export async function startBatch(client: HttpClient, input: StartBatchInput): Promise<StartBatchResponse> {
  const request = await batchRequest(client, input);
  const body = await client.request("startBatch", { body: request });
  const started = requireFields<StartBatchResponse>(body, ["job_id"], "startBatch");
  return { ...started, total_documents: Number(started.total_documents) || request.documents.length };
}

export function useStartBatch() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: StartBatchInput) => startBatch(client, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: batchKeys.active() }),
  });
}
