// GET /api/batch/jobs/{job_id}/status: the job with every document's result (`results` is our
// extension), for the first look at a remembered job and as the WebSocket's fallback (every 3 s
// while the socket is down).
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { batchKeys } from "../../../api/query-keys";
import type { StatusSnapshot } from "../job-state";

export async function getBatchStatus(client: HttpClient, jobId: string, signal?: AbortSignal): Promise<StatusSnapshot> {
  const body = await client.request("batchStatus", { params: { job_id: jobId }, signal });
  return requireFields<StatusSnapshot>(body, ["status"], "batchStatus");
}

export const batchStatusQueryOptions = (client: HttpClient, jobId: string) =>
  queryOptions({
    queryKey: batchKeys.status(jobId),
    queryFn: ({ signal }) => getBatchStatus(client, jobId, signal),
    // Polling is the retry: a failed check is simply made again 3 s later.
    retry: false,
    staleTime: 0,
  });

/** `every`: poll at this interval (ms); false: one look when enabled. */
export function useBatchStatus(jobId: string, { enabled, every }: { enabled: boolean; every: number | false }) {
  const client = useApiClient();
  return useQuery({ ...batchStatusQueryOptions(client, jobId), enabled, refetchInterval: every, refetchIntervalInBackground: true });
}
