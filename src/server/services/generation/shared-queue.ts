// Generation jobs on PostgreSQL, shared by every server process on the database, through pg-boss
// (a job queue kept in PostgreSQL itself; schema `pgboss`). The document row stays the truth about a
// generation (status, stage, progress, attempts); the pg-boss job is its claim ticket:
//
//   - requesting a generation sends a pg-boss job whose id is the document's id (sending again is a
//     no-op), its priority lower the more of its organization's generations are already waiting or
//     running, so an organization that asks for many waits behind itself, not in front of everyone
//     else;
//   - any process's workers (SIDECAR_GENERATION_CONCURRENCY each) fetch jobs; a fetched job is
//     this process's for its lease (SIDECAR_JOB_LEASE_SECONDS). A run still going at the end of
//     its lease stops itself, so a job is never run by two processes at once;
//   - a process that dies (kill -9) holds its job until the lease runs out; pg-boss's maintenance
//     (every SIDECAR_JOB_MAINTENANCE_SECONDS, in whichever process gets there first) puts it back,
//     and another process runs it again from the start (the pipeline can always start over). The
//     row's attempts bound it: at SIDECAR_GENERATION_MAX_ATTEMPTS starts it ends Failed with words;
//   - a graceful stop puts the running jobs back without counting the attempt;
//   - a job pg-boss gives up on reaches a dead-letter queue, whose worker marks the row Failed.
//
// On SQLite (one process) the in-process queue (queue.ts) does the same without pg-boss.
import type { FastifyBaseLogger } from "fastify";
import type PgBoss from "pg-boss";
import type { Storage } from "../../storage/storage";
import type { SharedJobs, Workers } from "../shared-jobs";
import type { GenerationPipeline } from "./pipeline";
import { failureMessage, interruptedError, type GenerationJobs } from "./queue";

export const GENERATION_QUEUE = "sidecar-generation";
const DEAD_LETTER_QUEUE = "sidecar-generation-dead";

export interface SharedQueueOptions {
  /** Workers in this process. */
  concurrency: number;
  maxAttempts: number;
  /** How long a fetched job is this process's; a run still going then stops. */
  leaseSeconds: number;
  /** How often an idle worker asks for a job. */
  pollingSeconds: number;
}

interface JobData {
  documentId: string;
}

export class SharedGenerationQueue implements GenerationJobs {
  private readonly controller = new AbortController();
  private readonly running = new Set<string>();
  private workers: Workers | null = null;
  private started = false;

  constructor(
    private readonly storage: Storage,
    private readonly pipeline: GenerationPipeline,
    private readonly jobs: SharedJobs,
    private readonly options: SharedQueueOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    jobs.onStop(() => this.controller.abort());
  }

  get runningCount(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.workers = await this.jobs.serve<JobData>(
      {
        name: GENERATION_QUEUE,
        deadLetter: DEAD_LETTER_QUEUE,
        // The row's attempts bound a job; pg-boss's own limit is only a backstop.
        retryLimit: this.options.maxAttempts + 2,
        leaseSeconds: this.options.leaseSeconds,
        concurrency: this.options.concurrency,
        pollingSeconds: this.options.pollingSeconds,
      },
      (job) => this.runJob(job),
      (data) => this.giveUp(data.documentId),
    );
    // Generations that wait without a job (their request was answered, then the send failed; or a
    // database from before the shared queue): sent now. A document with a job already is skipped.
    for (const documentId of await this.storage.generation.listWaitingIds()) await this.send(documentId);
  }

  /** A generation was requested: its job is sent, and a worker here is woken to look at once. */
  async enqueue(documentId: string): Promise<void> {
    await this.send(documentId);
    this.workers?.wake();
  }

  /** Stops the running jobs between steps (back to Pending, the attempt not counted) and the workers. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.jobs.stop();
  }

  private async send(documentId: string): Promise<void> {
    const job = await this.storage.generation.getJob(documentId);
    if (!job) return;
    // Behind the organization's other unfinished generations (this one is among them).
    const ahead = (await this.storage.generation.countUnfinished(job.organization_id)) - 1;
    await this.jobs.boss.send(GENERATION_QUEUE, { documentId } satisfies JobData, { id: documentId, priority: -Math.max(0, ahead) });
  }

  /**
   * One run of one job. Resolves when the job is done with (Ready, or Failed with words the
   * person can act on); throws to have pg-boss offer it again (stopped, or an attempt cut short).
   */
  private async runJob(job: PgBoss.Job<JobData>): Promise<void> {
    const { documentId } = job.data;
    const row = await this.storage.generation.startRun(documentId, this.options.maxAttempts);
    if (row === "finished") return;
    if (row === "exhausted") {
      const attempts = (await this.storage.generation.getJob(documentId))?.attempts ?? this.options.maxAttempts;
      this.log.warn({ documentId, attempts }, "generation job interrupted too often; marking it Failed");
      await this.storage.generation.fail(documentId, interruptedError(attempts));
      return;
    }
    this.running.add(documentId);
    const lease = AbortSignal.timeout(Math.max(1, this.options.leaseSeconds - 1) * 1000);
    const signal = AbortSignal.any([this.controller.signal, lease]);
    const started = Date.now();
    this.log.info({ documentId, attempt: row.attempts }, "generation started");
    try {
      await this.pipeline.run(row, signal);
      this.log.info({ documentId, ms: Date.now() - started }, "generated document is ready");
    } catch (error) {
      if (this.controller.signal.aborted) {
        // A graceful stop: back to Pending, this attempt not counted; pg-boss offers it again.
        if (this.storage.isOpen) await this.storage.generation.requeue(documentId, true).catch(() => undefined);
        throw new Error("the server stopped during the generation; it will be run again");
      }
      if (lease.aborted) {
        // Out of lease: another process may take it now. Pending again, this attempt counted.
        await this.storage.generation.requeue(documentId, false);
        throw new Error(`the generation did not finish within its lease (${this.options.leaseSeconds} s); it will be run again`);
      }
      await this.storage.generation.fail(documentId, await failureMessage(this.storage, this.log, documentId, error));
    } finally {
      this.running.delete(documentId);
      // A worker that just finished would otherwise wait out its polling interval before asking
      // again: while jobs wait, the next is taken at once.
      this.workers?.wake();
    }
  }

  /** pg-boss gave up on a job (its retries ran out): the row ends Failed unless it got done. */
  private async giveUp(documentId: string): Promise<void> {
    const job = await this.storage.generation.getJob(documentId);
    if (!job || job.status === "Ready" || job.status === "Failed") return;
    this.log.warn({ documentId, attempts: job.attempts }, "generation job given up by the queue; marking it Failed");
    await this.storage.generation.fail(documentId, interruptedError(Math.max(1, job.attempts)));
  }
}
