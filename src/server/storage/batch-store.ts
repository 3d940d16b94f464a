// Batch tagging jobs: the job row (status, config, owner), one result row per document in job
// order, and the tags a successful result saves on its document. Every status change is one
// conditional UPDATE inside a transaction, so a pause, resume or cancel and the runner never
// overwrite each other's decisions (the runner only completes a job that is still processing).
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export type BatchJobStatus = "pending" | "processing" | "paused" | "completed" | "failed" | "cancelled";
export type BatchResultStatus = "pending" | "processing" | "success" | "failed";

export interface BatchJobRow {
  job_id: string;
  organization_id: string;
  user_id: string;
  status: BatchJobStatus;
  num_tags: number;
  num_pages: number;
  exclusion_words_json: string;
  model_name: string | null;
  column_mapping_json: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface BatchResultRow {
  job_id: string;
  row_id: number;
  title: string;
  file_path: string;
  file_source_type: string;
  description: string | null;
  document_id: string | null;
  status: BatchResultStatus;
  tags_json: string;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface BatchCounts {
  total: number;
  /** Successful documents. */
  succeeded: number;
  failed: number;
}

export interface NewBatchJob {
  jobId: string;
  organizationId: string;
  userId: string;
  numTags: number;
  numPages: number;
  exclusionWords: string[];
  modelName: string | null;
  columnMapping: Record<string, unknown> | null;
  documents: Array<{ title: string; filePath: string; fileSourceType: string; description: string | null }>;
}

export class BatchJobExistsError extends Error {
  constructor(readonly jobId: string) {
    super(`batch job ${jobId} already exists`);
    this.name = "BatchJobExistsError";
  }
}

/** Statuses of jobs that are not finished (listed by /active, picked up by the runner). */
export const OPEN_STATUSES: readonly BatchJobStatus[] = ["pending", "processing", "paused"];

export class BatchStore {
  constructor(private readonly db: Database.Database) {}

  /** Creates a pending job with one pending result per document. Throws BatchJobExistsError. */
  createJob(input: NewBatchJob): BatchJobRow {
    return this.db.transaction(() => {
      if (this.getJob(input.jobId)) throw new BatchJobExistsError(input.jobId);
      const now = nowIso();
      this.db
        .prepare(
          `INSERT INTO batch_jobs (job_id, organization_id, user_id, status, num_tags, num_pages, exclusion_words_json,
             model_name, column_mapping_json, created_at, updated_at)
           VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.jobId,
          input.organizationId,
          input.userId,
          input.numTags,
          input.numPages,
          JSON.stringify(input.exclusionWords),
          input.modelName,
          input.columnMapping ? JSON.stringify(input.columnMapping) : null,
          now,
          now,
        );
      const insert = this.db.prepare(
        `INSERT INTO batch_results (job_id, row_id, title, file_path, file_source_type, description, status)
         VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
      );
      input.documents.forEach((document, rowId) => {
        insert.run(input.jobId, rowId, document.title, document.filePath, document.fileSourceType, document.description);
      });
      return this.getJob(input.jobId) as BatchJobRow;
    })();
  }

  getJob(jobId: string): BatchJobRow | undefined {
    return this.db.prepare("SELECT * FROM batch_jobs WHERE job_id = ?").get(jobId) as BatchJobRow | undefined;
  }

  results(jobId: string): BatchResultRow[] {
    return this.db.prepare("SELECT * FROM batch_results WHERE job_id = ? ORDER BY row_id").all(jobId) as BatchResultRow[];
  }

  result(jobId: string, rowId: number): BatchResultRow | undefined {
    return this.db.prepare("SELECT * FROM batch_results WHERE job_id = ? AND row_id = ?").get(jobId, rowId) as BatchResultRow | undefined;
  }

  counts(jobId: string): BatchCounts {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS total,
           COALESCE(SUM(status = 'success'), 0) AS succeeded,
           COALESCE(SUM(status = 'failed'), 0) AS failed
         FROM batch_results WHERE job_id = ?`,
      )
      .get(jobId) as BatchCounts;
    return { total: row.total, succeeded: row.succeeded, failed: row.failed };
  }

  /** A user's pending, processing and paused jobs, newest first. */
  listOpen(userId: string): BatchJobRow[] {
    return this.db
      .prepare(
        `SELECT * FROM batch_jobs WHERE user_id = ? AND status IN ('pending', 'processing', 'paused')
         ORDER BY created_at DESC, rowid DESC`,
      )
      .all(userId) as BatchJobRow[];
  }

  /**
   * Jobs that want a runner: processing ones (resumed, or running when the server stopped) first,
   * then pending ones organization by organization in turn (the one whose last job started
   * longest ago, or never, first), oldest first within an organization.
   */
  listRunnable(): BatchJobRow[] {
    return this.db
      .prepare(
        `SELECT * FROM batch_jobs j WHERE status IN ('processing', 'pending')
         ORDER BY CASE status WHEN 'processing' THEN 0 ELSE 1 END,
                  (SELECT MAX(s.started_at) FROM batch_jobs s WHERE s.organization_id = j.organization_id) IS NOT NULL,
                  (SELECT MAX(s.started_at) FROM batch_jobs s WHERE s.organization_id = j.organization_id),
                  created_at, rowid`,
      )
      .all() as BatchJobRow[];
  }

  /** How many of an organization's batch jobs wait to start. */
  countPending(organizationId: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM batch_jobs WHERE organization_id = ? AND status = 'pending'").get(organizationId) as { n: number }).n;
  }

  /**
   * Moves a job from one of `from` to `to`; the updated row, or undefined when the job's status
   * was not one of `from` (nothing changes then). Moving to a final status sets finished_at.
   */
  transition(jobId: string, from: readonly BatchJobStatus[], to: BatchJobStatus, error: string | null = null): BatchJobRow | undefined {
    return this.db.transaction(() => {
      const job = this.getJob(jobId);
      if (!job || !from.includes(job.status)) return undefined;
      const now = nowIso();
      const final = to === "completed" || to === "failed" || to === "cancelled";
      this.db
        .prepare(
          `UPDATE batch_jobs SET status = ?, updated_at = ?,
             started_at = CASE WHEN ? = 'processing' THEN COALESCE(started_at, ?) ELSE started_at END,
             finished_at = CASE WHEN ? THEN ? ELSE finished_at END,
             error = CASE WHEN ? IS NOT NULL THEN ? ELSE error END
           WHERE job_id = ?`,
        )
        .run(to, now, to, now, final ? 1 : 0, now, error, error, jobId);
      return this.getJob(jobId);
    })();
  }

  /** The first document of the job still waiting, in job order. */
  nextPending(jobId: string): BatchResultRow | undefined {
    return this.db
      .prepare("SELECT * FROM batch_results WHERE job_id = ? AND status = 'pending' ORDER BY row_id LIMIT 1")
      .get(jobId) as BatchResultRow | undefined;
  }

  startResult(jobId: string, rowId: number, documentId: string | null): void {
    this.db
      .prepare(
        `UPDATE batch_results SET status = 'processing', document_id = ?, started_at = ?, finished_at = NULL, error = NULL
         WHERE job_id = ? AND row_id = ?`,
      )
      .run(documentId, nowIso(), jobId, rowId);
  }

  /**
   * A document tagged: its result and the document's tags (replacing earlier ones), together. A
   * document read from an address (documentId null) is not one of this server's: only the result.
   */
  succeedResult(jobId: string, rowId: number, documentId: string | null, tags: readonly string[]): void {
    this.db.transaction(() => {
      const now = nowIso();
      const json = JSON.stringify(tags);
      this.db
        .prepare(
          `UPDATE batch_results SET status = 'success', document_id = ?, tags_json = ?, error = NULL, finished_at = ?
           WHERE job_id = ? AND row_id = ?`,
        )
        .run(documentId, json, now, jobId, rowId);
      if (documentId) this.db.prepare("UPDATE documents SET tags_json = ?, tagged_at = ? WHERE document_id = ?").run(json, now, documentId);
    })();
  }

  failResult(jobId: string, rowId: number, error: string): void {
    this.db
      .prepare(
        `UPDATE batch_results SET status = 'failed', tags_json = '[]', error = ?, finished_at = ?
         WHERE job_id = ? AND row_id = ?`,
      )
      .run(error, nowIso(), jobId, rowId);
  }

  /** Puts an abandoned document (the server stopped while tagging it) back to waiting. */
  resetResult(jobId: string, rowId: number): void {
    this.db
      .prepare("UPDATE batch_results SET status = 'pending', started_at = NULL WHERE job_id = ? AND row_id = ? AND status = 'processing'")
      .run(jobId, rowId);
  }

  /** At start: documents a stopped server left being tagged wait again (they are redone). */
  resetInterrupted(): number {
    return this.db
      .prepare("UPDATE batch_results SET status = 'pending', started_at = NULL WHERE status = 'processing'")
      .run().changes;
  }
}
