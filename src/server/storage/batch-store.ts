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
  /** PostgreSQL only (several processes): the id of the job-queue job that may work on it. */
  ticket?: string | null;
  /** PostgreSQL only: 1 while a process holds the job (its ticket claimed), else 0. */
  working?: number;
}

/** What a worker holding a ticket finds when it looks at its job (PostgreSQL, BatchStore.checkIn). */
export interface CheckIn {
  job: BatchJobRow | undefined;
  /** The job's ticket is no longer the worker's (its lease ran out and another process took it). */
  lost: boolean;
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
  async transition(
    jobId: string,
    from: readonly BatchJobStatus[],
    to: BatchJobStatus,
    error: string | null = null,
    /** PostgreSQL: only while this ticket is the job's, and the job is let go of (ticket cleared, not working). */
    release: string | null = null,
  ): Promise<BatchJobRow | undefined> {
    return this.sql.transaction(async () => {
      const job = await this.getJob(jobId);
      if (!job || !from.includes(job.status)) return undefined;
      if (release !== null) {
        if (job.ticket !== release) return undefined;
        await this.letGo(jobId);
      }
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

  // Several processes (PostgreSQL): a batch job is worked on only by the holder of its ticket, the
  // job-queue job named in batch_jobs.ticket (services/batch/runner.ts).

  /**
   * Gives a pending or processing job without a ticket the ticket `ticket`; the job with its ticket
   * now (to be sent to the queue), or undefined when the job does not want to run.
   */
  async ticketFor(jobId: string, ticket: string): Promise<(BatchJobRow & { ticket: string }) | undefined> {
    return this.sql.transaction(async () => {
      const job = await this.getJob(jobId);
      if (!job || (job.status !== "pending" && job.status !== "processing")) return undefined;
      if (job.ticket) return { ...job, ticket: job.ticket };
      await this.sql.run("UPDATE batch_jobs SET ticket = ? WHERE job_id = ?", [ticket, jobId]);
      return { ...job, ticket };
    });
  }

  /**
   * The holder of `ticket` takes the job: a pending job starts processing, documents a holder that
   * died left being tagged wait again. Undefined when the ticket is not the job's (an old one), or
   * the job does not want to run (paused or finished: checkIn then lets it go).
   */
  async claim(jobId: string, ticket: string): Promise<BatchJobRow | undefined> {
    return this.sql.transaction(async () => {
      const job = await this.getJob(jobId);
      if (!job || job.ticket !== ticket) return undefined;
      if (job.status !== "pending" && job.status !== "processing") return undefined;
      if (job.status === "pending") await this.transition(jobId, ["pending"], "processing");
      await this.sql.run("UPDATE batch_jobs SET working = 1 WHERE job_id = ?", [jobId]);
      await this.resetInterruptedOf(jobId);
      return this.getJob(jobId);
    });
  }

  /**
   * The job as its worker finds it before each document. With a ticket: a job no longer
   * processing is let go of in the same transaction (so a cancel knows whether a worker will
   * report it), and a ticket that is no longer the job's is `lost`.
   */
  async checkIn(jobId: string, ticket: string | null): Promise<CheckIn> {
    if (ticket === null) return { job: await this.getJob(jobId), lost: false };
    return this.sql.transaction(async () => {
      const job = await this.getJob(jobId);
      if (!job || job.ticket !== ticket) return { job, lost: true };
      if (job.status !== "processing") await this.letGo(jobId);
      return { job, lost: false };
    });
  }

  /**
   * A worker stopping before its job ended (its lease is over, or the server stops): a job that
   * still wants to run gets the new ticket `next` (to be sent), any other is let go of. The job as
   * it was, or undefined when `ticket` was no longer its ticket.
   */
  async handOver(jobId: string, ticket: string, next: string): Promise<BatchJobRow | undefined> {
    return this.sql.transaction(async () => {
      const job = await this.getJob(jobId);
      if (!job || job.ticket !== ticket) return undefined;
      const wanted = job.status === "pending" || job.status === "processing";
      await this.sql.run("UPDATE batch_jobs SET ticket = ?, working = 0 WHERE job_id = ?", [wanted ? next : null, jobId]);
      return job;
    });
  }

  /** No process holds the job, and no ticket may take it. */
  private async letGo(jobId: string): Promise<void> {
    await this.sql.run("UPDATE batch_jobs SET ticket = NULL, working = 0 WHERE job_id = ?", [jobId]);
  }

  /** Jobs that want to run, with their tickets (sent again when lost: the sweep of runner.ts). */
  async listWanted(): Promise<Array<{ job_id: string; organization_id: string; ticket: string | null }>> {
    return this.sql.all("SELECT job_id, organization_id, ticket FROM batch_jobs WHERE status IN ('pending', 'processing') ORDER BY created_at, rowid");
  }

  /** How many of an organization's jobs are pending or processing (the fairness of the shared queue). */
  async countWanted(organizationId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM batch_jobs WHERE organization_id = ? AND status IN ('pending', 'processing')", [
      organizationId,
    ]);
    return (row as { n: number }).n;
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

  /** Documents of one job a holder that died left being tagged wait again (several processes). */
  async resetInterruptedOf(jobId: string): Promise<void> {
    await this.sql.run("UPDATE batch_results SET status = 'pending', started_at = NULL WHERE job_id = ? AND status = 'processing'", [jobId]);
  }

  /** At start: documents a stopped server left being tagged wait again (they are redone). */
  async resetInterrupted(): Promise<number> {
    return (await this.sql.run("UPDATE batch_results SET status = 'pending', started_at = NULL WHERE status = 'processing'")).changes;
  }
}
