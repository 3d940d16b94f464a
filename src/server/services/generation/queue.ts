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
import { PipelineError, STAGES, type GenerationPipeline, type StageName } from "./pipeline";

export interface QueueOptions {
  concurrency: number;
  maxAttempts: number;
}

function interruptedError(attempts: number): string {
  return `Generation was interrupted ${attempts === 1 ? "once" : `${attempts} times`} by the server stopping and was not finished. Generate the document again under a new output name; if it keeps happening, check the server log.`;
}

export class GenerationQueue {
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
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.storage.generation.listInterrupted()) {
      if (job.attempts >= this.options.maxAttempts) {
        this.log.warn({ documentId: job.document_id, attempts: job.attempts }, "generation job interrupted too often; marking it Failed");
        this.storage.generation.fail(job.document_id, interruptedError(job.attempts));
      } else {
        this.log.info({ documentId: job.document_id, attempts: job.attempts }, "resuming a generation job interrupted by a server stop");
        this.storage.generation.requeue(job.document_id, false);
      }
    }
    this.pump();
  }

  /** A job was queued: start it if there is room. */
  notify(): void {
    if (this.started) this.pump();
  }

  /** Stops the running jobs between steps (they go back to Pending) and waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  get runningCount(): number {
    return this.running.size;
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.options.concurrency) {
      const job = this.storage.generation.claimNext();
      if (!job) return;
      const run = this.runJob(job).finally(() => {
        this.running.delete(job.document_id);
        this.pump();
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
      if (signal.aborted) {
        if (this.storage.isOpen) this.storage.generation.requeue(job.document_id, true);
        return;
      }
      if (!this.storage.isOpen) return;
      const stage = (this.storage.generation.getJob(job.document_id)?.stage ?? "extract") as StageName;
      const label = STAGES[stage]?.label ?? stage;
      let message: string;
      if (error instanceof PipelineError) {
        message = error.message;
      } else {
        this.log.error({ err: error, documentId: job.document_id, stage }, "generation failed on an unexpected error");
        message = `Generation failed at the ${label} step on an unexpected server error. Try again under a new output name; if it keeps failing, check the server log.`;
      }
      this.storage.generation.fail(job.document_id, message);
    }
  }
}
