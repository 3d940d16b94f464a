// Follows a generation: polls its status with a backoff (about 1 s growing to 5 s) that stops at
// Ready or Failed. Network errors keep the last known status and keep polling ("reconnecting");
// only the server can say Failed.
import { queryOptions, useQuery, type Query } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { isApiError } from "../../../api/api-error";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";
import type { GenerationStatus, GenerationStatusResponse as StatusResponse } from "../../../../shared/wire/documents";

/** The statuses of the contract (the pane imports the wire's types only, so it lists them again, checked). */
export const generationStatuses = ["Pending", "Ingesting", "Generating", "Ready", "Failed"] as const satisfies readonly GenerationStatus[];

export async function getGenerationStatus(client: HttpClient, taskId: string, signal?: AbortSignal): Promise<StatusResponse> {
  const body = await client.request("documentStatus", { params: { document_id: taskId }, signal });
  const status = requireFields<StatusResponse>(body, ["status"], "documentStatus");
  if (!generationStatuses.includes(status.status)) {
    // An unknown status is reported, not guessed at: keep following.
    return { task_id: taskId, status: "Pending", progress: null, error: null };
  }
  const answer: StatusResponse = { task_id: status.task_id ?? taskId, status: status.status, progress: typeof status.progress === "number" ? status.progress : null, error: status.error ?? null };
  // When it was asked for and when it ended: the local server's, a vendor may leave them out.
  if (typeof status.queued_at === "string") answer.queued_at = status.queued_at;
  if (typeof status.finished_at === "string") answer.finished_at = status.finished_at;
  return answer;
}

export const firstPollMs = 1000;
export const maxPollMs = 5000;

/** Delay before the next status request, after `polls` requests so far. */
export function nextPollDelay(polls: number): number {
  return Math.min(maxPollMs, Math.round(firstPollMs * 1.5 ** polls));
}

export function isFinished(status: GenerationStatus | undefined): boolean {
  return status === "Ready" || status === "Failed";
}

/** Errors that polling again cannot fix. */
function isFinalError(error: unknown): boolean {
  return isApiError(error) && (error.kind === "not_found" || error.kind === "forbidden");
}

export function pollInterval(query: Query<StatusResponse, Error, StatusResponse, readonly unknown[]>): number | false {
  if (isFinished(query.state.data?.status) || isFinalError(query.state.error)) return false;
  // The first wait (after the first answer) is about 1 s, then it grows.
  return nextPollDelay(Math.max(0, query.state.dataUpdateCount + query.state.errorUpdateCount - 1));
}

export const generationStatusQueryOptions = (client: HttpClient, taskId: string) =>
  queryOptions({
    queryKey: generateKeys.status(taskId),
    queryFn: ({ signal }) => getGenerationStatus(client, taskId, signal),
    refetchInterval: pollInterval,
    refetchIntervalInBackground: true,
    retry: false,
    staleTime: 0,
  });

export function useGenerationStatus(taskId: string) {
  const client = useApiClient();
  return useQuery(generationStatusQueryOptions(client, taskId));
}
