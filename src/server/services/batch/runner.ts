// Runs batch tagging jobs in the background: each job one document at a time, at most
// `concurrency` jobs at once (the rest wait as pending, oldest first; a resumed job goes first).
// Jobs and results live in the database, so the runner survives restarts:
//
//   - at start, a document a stopped server left "processing" waits again and is redone; jobs
//     that were processing continue from their first unfinished document, pending ones start,
//     paused ones stay paused;
//   - on a graceful stop the waits and model calls are aborted; a document being tagged is
//     abandoned (back to pending) and the job stays processing for the next start.
//
// Per job, each document is: wait SIDECAR_BATCH_DOCUMENT_DELAY_MS (pause and cancel cut the wait
// short) → check the job is still processing → Resolve → Read + Tag within
// SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS → save the result (and the document's tags). A pause or cancel
// lets the document being tagged finish and keeps its result; nothing new starts after it.
//
// Each write a watcher hears of (a document started or finished, the job's end) is made with its
// message under the job's lock (BatchEvents.exclusive), as pause, resume and cancel are, so the
// messages of a job go out in the order of its writes, and a document starts only if the job is
// still processing at that moment.
import type { FastifyBaseLogger } from "fastify";
import type { BatchCounts, BatchJobRow, BatchResultRow } from "../../storage/batch-store";
import type { Storage } from "../../storage/storage";
import type { BatchEvents } from "./events";
import { DocumentTagError, type DocumentTagger, type TagTarget } from "./tagger";
import { finalMessage, progressMessage } from "./wire";
import { SerialPass } from "../serial-pass";

export interface BatchRunnerOptions {
  /** Jobs running at once. */
  concurrency: number;
  documentDelayMs: number;
  documentTimeoutMs: number;
}

export const BATCH_CONCURRENCY = 2;

const JOB_CRASHED =
  "The batch job stopped on an unexpected server error. Start a new batch for the documents that were not tagged; if it keeps happening, check the server log.";
const UNEXPECTED_DOCUMENT_ERROR =
  "Tagging this document failed on an unexpected server error. Try again; if it keeps happening, check the server log.";

interface Worker {
  /** Aborted (and replaced) to cut the current wait short: the job was paused or cancelled. */
  wake: AbortController;
  done: Promise<void>;
  /**
   * The worker is done with the job (it reported the job's end, or saw it paused), decided under
   * the job's lock: from then on a cancel is reported by whoever cancels (wake answers false).
   */
  leaving: boolean;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** `work`, but rejected with the signal's reason as soon as `signal` aborts (even if `work` can't be cut short). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

export class BatchRunner {
  private readonly workers = new Map<string, Worker>();
  private readonly stopping = new AbortController();
  /** "starting": documents left half done are being reset; jobs start once that is done. */
  private state: "new" | "starting" | "started" = "new";
  /** Filling free slots: one pass at a time (two would both fill the same slot). */
  private readonly passes = new SerialPass(() =>
    this.fill().catch((error: unknown) => {
      // After the storage closed (stopping), nothing is to be started anyway.
      if (!this.stopped && this.storage.isOpen) this.log.error({ err: error }, "starting batch jobs failed");
    }),
  );

  constructor(
    private readonly storage: Storage,
    private readonly tagger: DocumentTagger,
    private readonly events: BatchEvents,
    private readonly options: BatchRunnerOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Redoes documents a stopped server left half done, then starts the jobs that want to run. */
  async start(): Promise<void> {
    if (this.state !== "new") return;
    this.state = "starting";
    const reset = await this.storage.batch.resetInterrupted();
    if (reset > 0) this.log.info({ documents: reset }, "batch documents interrupted by a server stop will be tagged again");
    this.state = "started";
    await this.passes.run();
  }

  /** Aborts waits and model calls and waits for every job's worker to stop. */
  async stop(): Promise<void> {
    this.stopping.abort();
    // A pass under way may still start a worker (it looks at `stopped` after each step): wait for it first.
    await this.passes.idle();
    await Promise.allSettled([...this.workers.values()].map((worker) => worker.done));
  }

  /** A job was created or resumed: start it if there is room (resolves once that was looked at). */
  notify(): Promise<void> {
    return this.passes.run();
  }

  get runningCount(): number {
    return this.workers.size;
  }

  /** A worker is on the job: for a cancelled job, its current document is still being tagged and the cancel is not reported yet. */
  isWorking(jobId: string): boolean {
    const worker = this.workers.get(jobId);
    return worker !== undefined && !worker.leaving;
  }

  /**
   * A job was paused or cancelled: its worker stops waiting and looks at the job again. True when
   * a worker was running it (it then reports the cancel itself, after the current document).
   */
  wake(jobId: string): boolean {
    const worker = this.workers.get(jobId);
    if (!worker || worker.leaving) return false;
    worker.wake.abort();
    worker.wake = new AbortController();
    return true;
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /**
   * Fills free slots one job at a time, reading the queue again after each start: starting a job
   * moves its organization behind the others (listRunnable's order), so two free slots go to two
   * organizations rather than both to the one that asked first.
   */
  private async fill(): Promise<void> {
    while (this.state === "started" && !this.stopped && this.workers.size < this.options.concurrency) {
      const job = (await this.storage.batch.listRunnable()).find((candidate) => !this.workers.has(candidate.job_id));
      if (!job || this.stopped) return;
      // Under the job's lock: a pause or cancel since the queue was read either comes first (the job
      // is not started) or finds the worker (and leaves the report of a cancel to it).
      await this.events.exclusive(job.job_id, async () => {
        if (this.stopped || this.workers.has(job.job_id)) return;
        const current =
          job.status === "pending" ? await this.storage.batch.transition(job.job_id, ["pending"], "processing") : await this.storage.batch.getJob(job.job_id);
        if (current?.status !== "processing") return;
        // Moved to processing but stopping meanwhile: the next start continues it.
        if (this.stopped) return;
        const worker: Worker = { wake: new AbortController(), done: Promise.resolve(), leaving: false };
        this.workers.set(job.job_id, worker);
        worker.done = this.run(job.job_id, worker);
      });
    }
  }

  /** Works on a job until it ends, pauses or the runner stops; never rejects. */
  private async run(jobId: string, worker: Worker): Promise<void> {
    try {
      await this.work(jobId, worker);
    } catch (error) {
      if (!this.stopped && this.storage.isOpen) {
        this.log.error({ err: error, jobId }, "batch job failed on an unexpected error");
        try {
          await this.events.exclusive(jobId, async () => {
            worker.leaving = true;
            const failed = await this.storage.batch.transition(jobId, ["pending", "processing", "paused"], "failed", JOB_CRASHED);
            // Or cancelled while its document was being tagged: its watchers wait for the worker to report the cancel.
            const ended = failed ?? (await this.storage.batch.getJob(jobId));
            if (ended?.status === "failed" || ended?.status === "cancelled") await this.publishFinal(ended, worker);
          });
        } catch (failure) {
          if (this.storage.isOpen) this.log.error({ err: failure, jobId }, "the failed batch job could not be recorded");
        }
      }
    } finally {
      this.workers.delete(jobId);
      void this.passes.run();
    }
  }

  /** Publishes the job's final message (under the job's lock), the worker leaving; the job's counts. */
  private async publishFinal(job: BatchJobRow, worker: Worker): Promise<BatchCounts> {
    const counts = await this.storage.batch.counts(job.job_id);
    const message = finalMessage(job, counts, false);
    worker.leaving = true;
    if (message) this.events.publish(job.job_id, message);
    return counts;
  }

  private async work(jobId: string, worker: Worker): Promise<void> {
    let waitedBefore: number | null = null;
    for (;;) {
      if (this.stopped) return;
      // Under the job's lock: a cancel either comes before (reported here) or after (the worker is
      // leaving by then, so the cancel reports itself).
      const job = await this.events.exclusive(jobId, async () => {
        const current = await this.storage.batch.getJob(jobId);
        if (current?.status === "processing") return current;
        worker.leaving = true;
        // Paused: observers heard it when it was paused. Cancelled while running: report it now,
        // with the result of the document that was being tagged.
        if (current?.status === "cancelled") await this.publishFinal(current, worker);
        return null;
      });
      if (!job) return;
      const next = await this.storage.batch.nextPending(jobId);
      if (!next) {
        const counts = await this.events.exclusive(jobId, async () => {
          const completed = await this.storage.batch.transition(jobId, ["processing"], "completed");
          return completed ? this.publishFinal(completed, worker) : null;
        });
        // Not completed: paused or cancelled since it was looked at; look again.
        if (!counts) continue;
        this.log.info({ jobId, tagged: counts.succeeded, failed: counts.failed }, "batch job completed");
        return;
      }
      if (waitedBefore !== next.row_id) {
        waitedBefore = next.row_id;
        if (this.options.documentDelayMs > 0) {
          await pause(this.options.documentDelayMs, AbortSignal.any([worker.wake.signal, this.stopping.signal]));
        } else {
          // Let requests and sockets in between documents, even when a document takes no time (it fails at once).
          await new Promise((resolve) => setImmediate(resolve));
        }
        continue; // look at the job again: it may have been paused or cancelled meanwhile
      }
      waitedBefore = null;
      await this.tagDocument(job, next);
    }
  }

  /** Publishes a document's result as it is now (under the job's lock, after the write it reports). */
  private async publishProgress(jobId: string, rowId: number): Promise<void> {
    const row = await this.storage.batch.result(jobId, rowId);
    if (row) this.events.publish(jobId, progressMessage(jobId, row, await this.storage.batch.counts(jobId)));
  }

  /** Starts the document, only if its job is still processing (else returns at once), and tags it. */
  private async tagDocument(job: BatchJobRow, result: BatchResultRow): Promise<void> {
    const { job_id: jobId, row_id: rowId } = result;
    let target: TagTarget | null = null;
    let error: string | null = null;
    try {
      target = await this.tagger.resolve(job, result);
    } catch (caught) {
      if (!(caught instanceof DocumentTagError)) throw caught;
      error = caught.message;
    }
    const documentId = target?.kind === "stored" ? target.document.document_id : null;
    if (this.stopped) return;
    // The check and the start in one transaction (a pause from another server process) and under
    // the job's lock (a pause here: its message and this document's are then in order).
    const started = await this.events.exclusive(jobId, async () => {
      const start = await this.storage.sql.transaction(async () => {
        if ((await this.storage.batch.getJob(jobId))?.status !== "processing") return false;
        await this.storage.batch.startResult(jobId, rowId, documentId);
        return true;
      });
      if (start) await this.publishProgress(jobId, rowId);
      return start;
    });
    // Paused or cancelled since the job was looked at: the caller looks at it again.
    if (!started) return;

    if (target) {
      const deadline = AbortSignal.timeout(this.options.documentTimeoutMs);
      const signal = AbortSignal.any([deadline, this.stopping.signal]);
      try {
        const tags = await untilAborted(this.tagger.tag(job, result, target, signal), signal);
        if (!this.storage.isOpen) return;
        await this.events.exclusive(jobId, async () => {
          await this.storage.batch.succeedResult(jobId, rowId, documentId, tags);
          await this.publishProgress(jobId, rowId);
        });
        return;
      } catch (caught) {
        if (this.stopped) {
          // Abandoned: the next start tags it again.
          if (this.storage.isOpen) await this.storage.batch.resetResult(jobId, rowId);
          return;
        }
        if (deadline.aborted) {
          error = `Tagging this document took longer than ${this.options.documentTimeoutMs / 1000} s and was stopped. Try again; if it keeps happening, check the model settings of the server.`;
        } else if (caught instanceof DocumentTagError) {
          error = caught.message;
        } else {
          this.log.error({ err: caught, jobId, rowId }, "tagging a document failed on an unexpected error");
          error = UNEXPECTED_DOCUMENT_ERROR;
        }
      }
    }
    await this.events.exclusive(jobId, async () => {
      await this.storage.batch.failResult(jobId, rowId, error ?? UNEXPECTED_DOCUMENT_ERROR);
      await this.publishProgress(jobId, rowId);
    });
  }
}
