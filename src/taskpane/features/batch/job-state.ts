// One batch job as the pane shows it, built from whatever arrives: the WebSocket's catchup,
// progress, keepalive and final messages, status snapshots from polling (the socket's fallback),
// and the answers to pause/resume/cancel. A pure reducer, so the merging rules are testable:
// - a finished document never goes back to waiting or tagging, a document being tagged never goes
//   back to waiting (a late or repeated message, or a snapshot taken before the socket's news);
// - counts and progress never go down;
// - a final status (completed, cancelled, failed) sticks: nothing after it reopens the job;
// - numbers may come as strings (the vendor's catchup sends its Redis hash as strings).
// (docs/vendors.md (tag generator, Part B) "WebSocket", "GET /api/batch/jobs/{job_id}/status")
import { t } from "../../i18n";

export const jobStatuses = ["pending", "processing", "paused", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];
export type RowStatus = "pending" | "processing" | "success" | "failed";

export interface JobRow {
  /** 0-based position in the job. */
  rowId: number;
  title: string;
  documentId: string | null;
  status: RowStatus;
  tags: string[];
  error: string | null;
}

export interface JobView {
  jobId: string;
  /** "unknown" until the server has said something. */
  status: JobStatus | "unknown";
  total: number;
  /** Documents tagged (successful only, as the server counts them). */
  taggedCount: number;
  failedCount: number;
  /** 0–1: finished documents (tagged or failed) / total. */
  progress: number;
  rows: JobRow[];
  /** The job's own error when it crashed. */
  error: string | null;
  /** The server's closing words ("Job already completed", "Processed 8 documents"). */
  message: string | null;
  /** Seconds the job took, when the server said. */
  processingTime: number | null;
  /** completed, cancelled or failed: nothing more will happen. */
  final: boolean;
}

/** A document result as the status route and the socket's catchup send it. */
export interface ResultWire {
  row_id?: unknown;
  row_number?: unknown;
  title?: unknown;
  document_id?: unknown;
  status?: unknown;
  success?: unknown;
  tags?: unknown;
  error?: unknown;
}

/** GET /api/batch/jobs/{job_id}/status (results is our extension). */
export interface StatusSnapshot {
  job_id?: string;
  status: string;
  progress?: unknown;
  processed_count?: unknown;
  failed_count?: unknown;
  total?: unknown;
  total_documents?: unknown;
  error?: unknown;
  results?: unknown;
}

export type JobAction =
  /** One parsed WebSocket message (any shape; unknown ones are ignored). */
  | { type: "socket"; message: unknown }
  /** A status answer (polling, or the first look at a remembered job). */
  | { type: "snapshot"; snapshot: StatusSnapshot }
  /** The status a pause/resume/cancel answer reports. */
  | { type: "status"; status: string };

export const finalStatuses: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === "string" && (jobStatuses as readonly string[]).includes(value);
}

/** A new job view; `titles` fills the rows as waiting before the server's first word. */
export function initialJobView(jobId: string, titles: string[] = []): JobView {
  return {
    jobId,
    status: "unknown",
    total: titles.length,
    taggedCount: 0,
    failedCount: 0,
    progress: 0,
    rows: titles.map((title, rowId) => ({ rowId, title, documentId: null, status: "pending", tags: [], error: null })),
    error: null,
    message: null,
    processingTime: null,
    final: false,
  };
}

function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value : null;
}

const rank: Record<RowStatus, number> = { pending: 0, processing: 1, success: 2, failed: 2 };

function rowStatusOf(result: ResultWire): RowStatus | undefined {
  if (result.status === "pending" || result.status === "processing" || result.status === "success" || result.status === "failed") return result.status;
  // The vendor's catchup results carry only `success` (and only finished documents).
  if (result.success === true) return "success";
  if (result.success === false) return "failed";
  return undefined;
}

function rowIdOf(result: ResultWire): number | undefined {
  const rowId = num(result.row_id);
  if (rowId !== undefined) return rowId;
  const rowNumber = num(result.row_number);
  return rowNumber !== undefined ? rowNumber - 1 : undefined;
}

/** Merges one document's news into the rows (never backwards; a finished row is settled). */
function mergeRow(rows: JobRow[], result: ResultWire): JobRow[] {
  const rowId = rowIdOf(result);
  const status = rowStatusOf(result);
  if (rowId === undefined || rowId < 0 || !status) return rows;
  const index = rows.findIndex((r) => r.rowId === rowId);
  const existing = index >= 0 ? rows[index] : undefined;
  if (existing && rank[status] < rank[existing.status]) return rows;
  if (existing && rank[existing.status] === 2 && status !== existing.status) return rows;
  const tags = Array.isArray(result.tags) ? result.tags.filter((t): t is string => typeof t === "string") : undefined;
  const next: JobRow = {
    rowId,
    title: text(result.title) ?? existing?.title ?? t("batch.untitledRow", { number: rowId + 1 }),
    documentId: text(result.document_id) ?? existing?.documentId ?? null,
    status,
    tags: status === "success" ? (tags && tags.length ? tags : (existing?.tags ?? [])) : [],
    error: status === "failed" ? (text(result.error) ?? existing?.error ?? t("batch.noReason")) : null,
  };
  if (
    existing &&
    existing.status === next.status &&
    existing.title === next.title &&
    existing.documentId === next.documentId &&
    existing.error === next.error &&
    existing.tags.join("\u0000") === next.tags.join("\u0000")
  ) {
    return rows;
  }
  const merged = index >= 0 ? rows.map((r, i) => (i === index ? next : r)) : [...rows, next];
  return index >= 0 ? merged : merged.sort((a, b) => a.rowId - b.rowId);
}

/** Counts and progress from the server, never lower than what is known already. */
function mergeCounts(view: JobView, counts: { total?: unknown; tagged?: unknown; failed?: unknown; progress?: unknown }): JobView {
  const total = Math.max(view.total, num(counts.total) ?? 0, view.rows.length);
  const taggedFromRows = view.rows.filter((r) => r.status === "success").length;
  const failedFromRows = view.rows.filter((r) => r.status === "failed").length;
  const taggedCount = Math.max(view.taggedCount, num(counts.tagged) ?? 0, taggedFromRows);
  const failedCount = Math.max(view.failedCount, num(counts.failed) ?? 0, failedFromRows);
  const reported = num(counts.progress);
  const fromCounts = total > 0 ? (taggedCount + failedCount) / total : 0;
  const progress = Math.min(1, Math.max(view.progress, reported ?? 0, fromCounts));
  if (total === view.total && taggedCount === view.taggedCount && failedCount === view.failedCount && progress === view.progress) return view;
  return { ...view, total, taggedCount, failedCount, progress };
}

/**
 * Whether a job in `status` is over. A cancel answers "cancelled" at once, but the document being
 * tagged then still finishes and its result is kept: until then the job is not over for the pane
 * (it keeps its socket or polling, to show that result and the server's closing words).
 */
function isOver(status: string, rowStatuses: readonly unknown[]): boolean {
  return finalStatuses.has(status) && !(status === "cancelled" && rowStatuses.includes("processing"));
}

/** A status answer says the job is over: nothing more will come (no socket, no polling needed). */
export function isSnapshotOver(snapshot: StatusSnapshot): boolean {
  const results = Array.isArray(snapshot.results) ? (snapshot.results as unknown[]) : [];
  return isOver(snapshot.status, results.map((result) => (result && typeof result === "object" ? (result as ResultWire).status : undefined)));
}

/** A new job status; a final one sticks (once the job is over). */
function withStatus(view: JobView, status: unknown): JobView {
  if (view.final || !isJobStatus(status)) return view;
  const final = isOver(status, view.rows.map((row) => row.status));
  if (status === view.status && final === view.final) return view;
  return { ...view, status, final };
}

function withRows(view: JobView, results: unknown): JobView {
  if (!Array.isArray(results)) return view;
  let rows = view.rows;
  for (const result of results) {
    if (result && typeof result === "object") rows = mergeRow(rows, result as ResultWire);
  }
  return rows === view.rows ? view : { ...view, rows };
}

function finish(view: JobView, status: "completed" | "cancelled" | "failed", message: Record<string, unknown>): JobView {
  const counted = mergeCounts(view, { total: message.total_documents, tagged: message.processed_count, failed: message.failed_count });
  // Over already with another ending (a late or stray message): keep the first ending.
  if (view.final && view.status !== status) return counted;
  const finished: JobView = {
    ...counted,
    status,
    final: true,
    message: text(message.message) ?? counted.message,
    error: status === "failed" ? (text(message.error) ?? counted.error ?? t("batch.jobStopped")) : counted.error,
    processingTime: num(message.processing_time) ?? counted.processingTime,
  };
  // Everything counted as done: the bar shows the end (a cancelled job stays where it stopped).
  return status === "completed" ? { ...finished, progress: 1 } : finished;
}

function applySocketMessage(view: JobView, raw: unknown): JobView {
  if (!raw || typeof raw !== "object") return view;
  const message = raw as Record<string, unknown>;
  // The vendor's code sends progress without a `type`; our server always sends one.
  const type = typeof message.type === "string" ? message.type : "row_id" in message ? "progress" : undefined;
  switch (type) {
    case "catchup": {
      const state = (message.state && typeof message.state === "object" ? message.state : {}) as Record<string, unknown>;
      const withResults = withRows(view, message.results);
      const counted = mergeCounts(withResults, { total: state.total, tagged: state.processed_count, failed: state.failed_count, progress: state.progress });
      return withStatus(counted, state.status);
    }
    case "progress": {
      const rows = mergeRow(view.rows, message as ResultWire);
      const counted = mergeCounts(rows === view.rows ? view : { ...view, rows }, {
        tagged: message.processed_count,
        failed: message.failed_count,
        progress: message.progress,
      });
      // A document moving means the job runs — unless it was paused or cancelled (the current one
      // finishes; a cancelled job is over once it has).
      return withStatus(counted, view.status === "pending" || view.status === "unknown" ? "processing" : view.status);
    }
    case "keepalive":
      return withStatus(view, message.status);
    case "completed":
      return finish(view, "completed", message);
    case "cancelled":
      return finish(view, "cancelled", message);
    case "error":
      return finish(view, "failed", message);
    default:
      return view; // "started" (vendor frontend) and anything new: nothing to show
  }
}

function applySnapshot(view: JobView, snapshot: StatusSnapshot): JobView {
  const withResults = withRows(view, snapshot.results);
  const counted = mergeCounts(withResults, {
    total: snapshot.total ?? snapshot.total_documents,
    tagged: snapshot.processed_count,
    failed: snapshot.failed_count,
    progress: snapshot.progress,
  });
  const status = snapshot.status;
  if ((status === "completed" || status === "cancelled" || status === "failed") && isSnapshotOver(snapshot)) {
    return finish(counted, status, { error: snapshot.error });
  }
  return withStatus(counted, status);
}

export function jobReducer(view: JobView, action: JobAction): JobView {
  switch (action.type) {
    case "socket":
      return applySocketMessage(view, action.message);
    case "snapshot":
      return applySnapshot(view, action.snapshot);
    case "status":
      return withStatus(view, action.status);
  }
}

/** Documents finished (tagged or failed). */
export function doneCount(view: JobView): number {
  return Math.max(view.taggedCount + view.failedCount, view.rows.filter((r) => rank[r.status] === 2).length);
}

/** What the controls may do now (docs/vendors.md (tag generator, Part B) "Job status values and transitions"). */
export function allowedControls(status: JobView["status"]): { pause: boolean; resume: boolean; cancel: boolean } {
  return {
    pause: status === "pending" || status === "processing",
    resume: status === "paused",
    cancel: status === "pending" || status === "processing" || status === "paused",
  };
}
