// POST /api/batch/jobs/{job_id}/pause | resume | cancel — three routes with one shape: 200
// `{message, job_id, status: <new status>}`, 409 with words for a move the job's status does not
// allow, 404 for a job the server does not know (docs/vendors.md (tag generator, Part B) "Job status values and transitions").
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import type { HttpClient } from "../../../api/http-client";
import { batchKeys } from "../../../api/query-keys";
import type { BatchControlResponse } from "../../../../shared/wire/batch";

export type BatchControl = "pause" | "resume" | "cancel";

const endpointFor = { pause: "pauseBatch", resume: "resumeBatch", cancel: "cancelBatch" } as const;

/** The answer, any field of which may be missing (the vendor's code sends the message only). */
export type ControlResponse = Partial<BatchControlResponse>;

export async function controlBatch(client: HttpClient, control: BatchControl, jobId: string): Promise<ControlResponse> {
  const body = await client.request(endpointFor[control], { params: { job_id: jobId } });
  return body && typeof body === "object" ? (body as ControlResponse) : {};
}

export function useControlBatch(jobId: string, control: BatchControl) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => controlBatch(client, control, jobId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: batchKeys.active() }),
  });
}
