// Batch tagging jobs: the job row (status, config, owner), one result row per document in job
// order, and the tags a successful result saves on its document. Every status change is one
// conditional UPDATE inside a transaction, so a pause, resume or cancel and the runner never
// overwrite each other's decisions (the runner only completes a job that is still processing).
import type { Sql } from "./sql";
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
  constructor(private readonly sql: Sql) {}

  /** Creates a pending job with one pending result per document. Throws BatchJobExistsError. */
  async createJob(input: NewBatchJob): Promise<BatchJobRow> {
    return this.sql.transaction(async () => {
      if (await this.getJob(input.jobId)) throw new BatchJobExistsError(input.jobId);
      const now = nowIso();
      await this.sql.run(
        `INSERT INTO batch_jobs (job_id, organization_id, user_id, status, num_tags, num_pages, exclusion_words_json,
           model_name, column_mapping_json, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
        [
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
        ],
      );
      for (const [rowId, document] of input.documents.entries()) {
        await this.sql.run(
          `INSERT INTO batch_results (job_id, row_id, title, file_path, file_source_type, description, status)
           VALUES (?, ?, ?, ?, ?, ?, 'pending')`,
          [input.jobId, rowId, document.title, document.filePath, document.fileSourceType, document.description],
        );
      }
      return (await this.getJob(input.jobId)) as BatchJobRow;
    });
  }

  async getJob(jobId: string): Promise<BatchJobRow | undefined> {
    return this.sql.get<BatchJobRow>("SELECT * FROM batch_jobs WHERE job_id = ?", [jobId]);
  }

  async results(jobId: string): Promise<BatchResultRow[]> {
    return this.sql.all<BatchResultRow>("SELECT * FROM batch_results WHERE job_id = ? ORDER BY row_id", [jobId]);
  }

  async result(jobId: string, rowId: number): Promise<BatchResultRow | undefined> {
    return this.sql.get<BatchResultRow>("SELECT * FROM batch_results WHERE job_id = ? AND row_id = ?", [jobId, rowId]);
  }

  async counts(jobId: string): Promise<BatchCounts> {
    const row = (await this.sql.get<BatchCounts>(
      `SELECT COUNT(*) AS total,
         COALESCE(SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END), 0) AS succeeded,
         COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed
       FROM batch_results WHERE job_id = ?`,
      [jobId],
    )) as BatchCounts;
    return { total: row.total, succeeded: row.succeeded, failed: row.failed };
  }

  /** A user's pending, processing and paused jobs, newest first. */
  async listOpen(userId: string): Promise<BatchJobRow[]> {
    return this.sql.all<BatchJobRow>(
      `SELECT * FROM batch_jobs WHERE user_id = ? AND status IN ('pending', 'processing', 'paused')
       ORDER BY created_at DESC, rowid DESC`,
      [userId],
    );
  }

  /**
   * Jobs that want a runner: processing ones (resumed, or running when the server stopped) first,
   * then pending ones organization by organization in turn (the one whose last job started
   * longest ago, or never, first), oldest first within an organization.
   */
  async listRunnable(): Promise<BatchJobRow[]> {
    // "IS NOT NULL" first puts never-started organizations first on both engines (false/0 before
    // true/1), whichever end each engine sorts NULLs to.
    return this.sql.all<BatchJobRow>(
      `SELECT * FROM batch_jobs j WHERE status IN ('processing', 'pending')
       ORDER BY CASE status WHEN 'processing' THEN 0 ELSE 1 END,
                (SELECT MAX(s.started_at) FROM batch_jobs s WHERE s.organization_id = j.organization_id) IS NOT NULL,
                (SELECT MAX(s.started_at) FROM batch_jobs s WHERE s.organization_id = j.organization_id),
                created_at, rowid`,
    );
  }

  /** How many of an organization's batch jobs wait to start. */
  async countPending(organizationId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM batch_jobs WHERE organization_id = ? AND status = 'pending'", [organizationId]);
    return (row as { n: number }).n;
  }

  /**
   * Moves a job from one of `from` to `to`; the updated row, or undefined when the job's status
   * was not one of `from` (nothing changes then). Moving to a final status sets finished_at.
   */
  async transition(jobId: string, from: readonly BatchJobStatus[], to: BatchJobStatus, error: string | null = null): Promise<BatchJobRow | undefined> {
    return this.sql.transaction(async () => {
      const job = await this.getJob(jobId);
      if (!job || !from.includes(job.status)) return undefined;
      const now = nowIso();
      const final = to === "completed" || to === "failed" || to === "cancelled";
      // A NULL parameter leaves its column as it was: started_at is set (once) on the way to
      // processing, finished_at on the way to a final status, error when one is given.
      await this.sql.run(
        `UPDATE batch_jobs SET status = ?, updated_at = ?,
           started_at = COALESCE(started_at, ?),
           finished_at = COALESCE(?, finished_at),
           error = COALESCE(?, error)
         WHERE job_id = ?`,
        [to, now, to === "processing" ? now : null, final ? now : null, error, jobId],
      );
      return this.getJob(jobId);
    });
  }

  /** The first document of the job still waiting, in job order. */
  async nextPending(jobId: string): Promise<BatchResultRow | undefined> {
    return this.sql.get<BatchResultRow>("SELECT * FROM batch_results WHERE job_id = ? AND status = 'pending' ORDER BY row_id LIMIT 1", [jobId]);
  }

  async startResult(jobId: string, rowId: number, documentId: string | null): Promise<void> {
    await this.sql.run(
      `UPDATE batch_results SET status = 'processing', document_id = ?, started_at = ?, finished_at = NULL, error = NULL
       WHERE job_id = ? AND row_id = ?`,
      [documentId, nowIso(), jobId, rowId],
    );
  }

  /**
   * A document tagged: its result and the document's tags (replacing earlier ones), together. A
   * document read from an address (documentId null) is not one of this server's: only the result.
   */
  async succeedResult(jobId: string, rowId: number, documentId: string | null, tags: readonly string[]): Promise<void> {
    await this.sql.transaction(async () => {
      const now = nowIso();
      const json = JSON.stringify(tags);
      await this.sql.run(
        `UPDATE batch_results SET status = 'success', document_id = ?, tags_json = ?, error = NULL, finished_at = ?
         WHERE job_id = ? AND row_id = ?`,
        [documentId, json, now, jobId, rowId],
      );
      if (documentId) await this.sql.run("UPDATE documents SET tags_json = ?, tagged_at = ? WHERE document_id = ?", [json, now, documentId]);
    });
  }

  async failResult(jobId: string, rowId: number, error: string): Promise<void> {
    await this.sql.run(
      `UPDATE batch_results SET status = 'failed', tags_json = '[]', error = ?, finished_at = ?
       WHERE job_id = ? AND row_id = ?`,
      [error, nowIso(), jobId, rowId],
    );
  }

  /** Puts an abandoned document (the server stopped while tagging it) back to waiting. */
  async resetResult(jobId: string, rowId: number): Promise<void> {
    await this.sql.run("UPDATE batch_results SET status = 'pending', started_at = NULL WHERE job_id = ? AND row_id = ? AND status = 'processing'", [
      jobId,
      rowId,
    ]);
  }

  /** At start: documents a stopped server left being tagged wait again (they are redone). */
  async resetInterrupted(): Promise<number> {
    return (await this.sql.run("UPDATE batch_results SET status = 'pending', started_at = NULL WHERE status = 'processing'")).changes;
  }
}
