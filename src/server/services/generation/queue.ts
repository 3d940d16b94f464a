// Runs generation jobs in the background, at most `concurrency` at once (the rest wait as
// Pending, oldest first). Jobs live in the database, so the queue survives restarts:
//
//   - at start, a job left Ingesting/Generating by a server that stopped without finishing it
//     (kill -9, power loss) is queued again, or ends Failed once it has been started
//     `maxAttempts` times, so no job stays Generating forever;
//   - on a graceful stop the running jobs are stopped between steps and put back to Pending
//     without counting the attempt; the next start picks them up.
import type { FastifyBaseLogger } from "fastify";
import type { GenerationJobRow } from "../../storage/generation-store";
import type { Storage } from "../../storage/storage";
import { SerialPass } from "../serial-pass";
import { PipelineError, STAGES, type GenerationPipeline, type StageName } from "./pipeline";

export interface QueueOptions {
  concurrency: number;
  maxAttempts: number;
}

/** What runs generation jobs: this in-process queue (SQLite), or the shared one (shared-queue.ts, PostgreSQL). */
export interface GenerationJobs {
  /** Starts taking jobs (and recovers those a stopped server left). */
  start(): Promise<void>;
  /** A generation was requested (its row is Pending): run it when there is room. */
  enqueue(documentId: string): Promise<void>;
  /** Stops the running jobs between steps (back to Pending) and waits for them. */
  stop(): Promise<void>;
  readonly runningCount: number;
}

/** The words a run that failed leaves on its document: the pipeline's own, or (logged) which step broke. */
export async function failureMessage(storage: Storage, log: FastifyBaseLogger, documentId: string, error: unknown): Promise<string> {
  if (error instanceof PipelineError) return error.message;
  const stage = ((await storage.generation.getJob(documentId))?.stage ?? "extract") as StageName;
  log.error({ err: error, documentId, stage }, "generation failed on an unexpected error");
  return `Generation failed at the ${STAGES[stage]?.label ?? stage} step on an unexpected server error. Try again under a new output name; if it keeps failing, check the server log.`;
}

export function interruptedError(attempts: number): string {
  return `Generation was interrupted ${attempts === 1 ? "once" : `${attempts} times`} by the server stopping and was not finished. Generate the document again under a new output name; if it keeps happening, check the server log.`;
}

export class GenerationQueue implements GenerationJobs {
  private readonly running = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private started = false;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly pipeline: GenerationPipeline,
    private readonly options: QueueOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Recovers jobs a previous server left running, then starts the waiting ones. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const job of await this.storage.generation.listInterrupted()) {
      if (job.attempts >= this.options.maxAttempts) {
        this.log.warn({ documentId: job.document_id, attempts: job.attempts }, "generation job interrupted too often; marking it Failed");
        await this.storage.generation.fail(job.document_id, interruptedError(job.attempts));
      } else {
        this.log.info({ documentId: job.document_id, attempts: job.attempts }, "resuming a generation job interrupted by a server stop");
        await this.storage.generation.requeue(job.document_id, false);
      }
    }
    await this.passes.run();
  }

  /** A job was queued: start it if there is room (resolves once that was looked at). */
  enqueue(): Promise<void> {
    return this.started ? this.passes.run() : Promise.resolve();
  }

  /** Stops the running jobs between steps (they go back to Pending) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.passes.idle();
    await Promise.allSettled([...this.running.values()]);
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Taking waiting jobs into free slots: one pass at a time. */
  private readonly passes = new SerialPass(() =>
    this.claim().catch((error: unknown) => {
      if (this.storage.isOpen) this.log.error({ err: error }, "could not take the next generation job");
    }),
  );

  private async claim(): Promise<void> {
    while (!this.stopped && this.running.size < this.options.concurrency) {
      const job = await this.storage.generation.claimNext();
      if (!job) return;
      const run = this.runJob(job).finally(() => {
        this.running.delete(job.document_id);
        void this.passes.run();
      });
      this.running.set(job.document_id, run);
    }
  }

  private async runJob(job: GenerationJobRow): Promise<void> {
    const signal = this.controller.signal;
    const started = Date.now();
    try {
      await this.pipeline.run(job, signal);
      this.log.info({ documentId: job.document_id, ms: Date.now() - started }, "generated document is ready");
    } catch (error) {
      try {
        await this.settle(job, error, signal);
      } catch (settleError) {
        // The database went away under us (a shutdown): the next start finds the job and resumes it.
        if (this.storage.isOpen) this.log.error({ err: settleError, documentId: job.document_id }, "could not record the generation's outcome");
      }
    }
  }

  /** A run that ended early: back to Pending when stopped on purpose, else Failed with words for the person. */
  private async settle(job: GenerationJobRow, error: unknown, signal: AbortSignal): Promise<void> {
    if (signal.aborted) {
      if (this.storage.isOpen) await this.storage.generation.requeue(job.document_id, true);
      return;
    }
    if (!this.storage.isOpen) return;
    await this.storage.generation.fail(job.document_id, await failureMessage(this.storage, this.log, job.document_id, error));
  }
}
