// The shapes batch tagging sends (src/shared/wire/batch.ts): a document's result, the job's
// counts, and every WebSocket message type. Built here only, so the status route, the socket's
// catchup and the live messages always agree.
import type { BatchJobState, BatchProgressMessage, BatchResult, BatchSocketMessage } from "../../../shared/wire/batch";
import type { BatchCounts, BatchJobRow, BatchResultRow } from "../../storage/batch-store";

/** After these the server closes the socket (1000). */
export const FINAL_MESSAGE_TYPES: ReadonlySet<BatchSocketMessage["type"]> = new Set(["completed", "cancelled", "error"]);

export function tagsOf(json: string | null | undefined): string[] {
  if (!json) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? parsed.filter((tag): tag is string => typeof tag === "string") : [];
  } catch {
    return [];
  }
}

export function resultWire(row: BatchResultRow): BatchResult {
  return {
    row_id: row.row_id,
    row_number: row.row_id + 1,
    title: row.title,
    document_id: row.document_id,
    file_path: row.file_path,
    status: row.status,
    success: row.status === "success",
    tags: row.status === "success" ? tagsOf(row.tags_json) : [],
    error: row.status === "failed" ? row.error : null,
  };
}

/** Finished documents (tagged or failed) / total, 0–1. */
export function progressOf(counts: BatchCounts): number {
  return counts.total === 0 ? 0 : Math.round(((counts.succeeded + counts.failed) / counts.total) * 10_000) / 10_000;
}

export function jobState(job: BatchJobRow, counts: BatchCounts): BatchJobState {
  return {
    status: job.status,
    total: counts.total,
    processed_count: counts.succeeded,
    failed_count: counts.failed,
    progress: progressOf(counts),
  };
}

export function progressMessage(jobId: string, row: BatchResultRow, counts: BatchCounts): BatchProgressMessage {
  const result = resultWire(row);
  const base: BatchProgressMessage = {
    type: "progress",
    job_id: jobId,
    row_id: result.row_id,
    row_number: result.row_number,
    title: result.title,
    document_id: result.document_id,
    file_path: result.file_path,
    status: result.status,
    progress: progressOf(counts),
    processed_count: counts.succeeded,
    failed_count: counts.failed,
  };
  if (row.status === "success") return { ...base, success: true, tags: result.tags, error: null };
  if (row.status === "failed") return { ...base, success: false, tags: [], error: result.error };
  return base;
}

/** Seconds from the job's first start to its end (0 when it never started). */
export function processingTime(job: BatchJobRow): number {
  if (!job.started_at) return 0;
  const end = job.finished_at ? Date.parse(job.finished_at) : Date.now();
  return Math.max(0, Math.round(end - Date.parse(job.started_at)) / 1000);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The message for a job that reached a final status; `already` when the observer connected after the end. */
export function finalMessage(job: BatchJobRow, counts: BatchCounts, already: boolean): BatchSocketMessage | null {
  const left = counts.total - counts.succeeded - counts.failed;
  switch (job.status) {
    case "completed":
      return {
        type: "completed",
        job_id: job.job_id,
        total_documents: counts.total,
        processed_count: counts.succeeded,
        failed_count: counts.failed,
        processing_time: processingTime(job),
        message: already
          ? "Job already completed"
          : `Tagged ${counts.succeeded} of ${plural(counts.total, "document")}${counts.failed > 0 ? `; ${counts.failed} failed` : ""}.`,
      };
    case "cancelled":
      return {
        type: "cancelled",
        job_id: job.job_id,
        processed_count: counts.succeeded,
        failed_count: counts.failed,
        message: already
          ? "Job already cancelled"
          : `Job cancelled: ${counts.succeeded} tagged, ${counts.failed} failed, ${left} not processed.`,
      };
    case "failed":
      return {
        type: "error",
        job_id: job.job_id,
        error: job.error ?? "The job stopped on a server error.",
        ...(already ? { message: "Job already failed" } : {}),
      };
    default:
      return null;
  }
}
