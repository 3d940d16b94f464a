// GET /api/batch/active: the caller's pending, processing and paused jobs, newest first.
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { batchKeys } from "../../../api/query-keys";
import type { BatchJobSummary } from "../../../../shared/wire/batch";

/**
 * An open job as the pane lists it: counts as numbers (0 when missing), progress 0–1, the total
 * from `total` or `total_documents`, a status the pane may not know, and no date when none came.
 */
export type ActiveBatch = Pick<BatchJobSummary, "job_id" | "progress" | "processed_count" | "failed_count" | "total"> & {
  status: string;
  created_at: string | null;
};

const count = (value: unknown) => (Number.isFinite(Number(value)) ? Number(value) : 0);

export async function getActiveBatches(client: HttpClient, signal?: AbortSignal): Promise<ActiveBatch[]> {
  const body = await client.request("activeBatches", { signal });
  const { jobs } = requireFields<{ jobs: unknown }>(body, ["jobs"], "activeBatches");
  if (!Array.isArray(jobs)) return [];
  return jobs
    .filter((job): job is Record<string, unknown> => !!job && typeof job === "object" && typeof (job as { job_id?: unknown }).job_id === "string")
    .map((job) => ({
      job_id: job.job_id as string,
      status: typeof job.status === "string" ? job.status : "unknown",
      progress: Math.min(1, Math.max(0, count(job.progress))),
      processed_count: count(job.processed_count),
      failed_count: count(job.failed_count),
      // The vendor's code says `total`, its docs `total_documents`: read both.
      total: count(job.total ?? job.total_documents),
      created_at: typeof job.created_at === "string" ? job.created_at : null,
    }));
}

export const activeBatchesQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: batchKeys.active(), queryFn: ({ signal }) => getActiveBatches(client, signal), staleTime: 0 });

export function useActiveBatches() {
  const client = useApiClient();
  return useQuery(activeBatchesQueryOptions(client));
}
