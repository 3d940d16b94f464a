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
// On PostgreSQL several processes share the jobs (`shared`): a job runs where the job queue
// (pg-boss, services/shared-jobs.ts) hands its ticket, a pg-boss job whose id batch_jobs.ticket
// names; only the holder of that ticket works on the job, BATCH_CONCURRENCY jobs per process.
//
//   - a job that wants to run (created, resumed) gets a ticket, sent to the queue with a priority
//     lower the more of its organization's jobs want to run (fairness across processes);
//   - the process that fetches it claims the job (pending → processing; documents a dead holder
//     left being tagged wait again) and holds it for a lease (SIDECAR_JOB_LEASE_SECONDS): before
//     the lease ends, or when the server stops, it hands over to a new ticket and stops, and
//     whichever process fetches that one continues with the next document;
//   - a process that dies (kill -9) keeps its ticket until the lease runs out; pg-boss then offers
//     the same ticket again and another process continues the job. After
//     SIDECAR_GENERATION_MAX_ATTEMPTS such losses in a row the job fails with words;
//   - pause, resume and cancel made on any process reach the holder through the shared batch news
//     (events.ts); the row's `working` says whether a holder will report a cancel itself;
//   - every SIDECAR_JOB_MAINTENANCE_SECONDS each process sends again the tickets of jobs that want
//     to run (sending an id the queue holds is a no-op), so a ticket lost between the database
//     write and the send (a process killed there) is found again.
//
// Each write a watcher hears of (a document started or finished, the job's end) is made with its
// message under the job's lock (BatchEvents.exclusive), as pause, resume and cancel are, so the
// messages of a job go out in the order of its writes, and a document starts only if the job is
// still processing at that moment.
import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type PgBoss from "pg-boss";
import type { BatchCounts, BatchJobRow, BatchResultRow } from "../../storage/batch-store";
import type { Storage } from "../../storage/storage";
import type { BatchEvents } from "./events";
import { DocumentTagError, type DocumentTagger, type TagTarget } from "./tagger";
import { finalMessage, progressMessage } from "./wire";
import { SerialPass } from "../serial-pass";
import type { SharedJobs, Workers } from "../shared-jobs";

export interface BatchRunnerOptions {
  /** Jobs running at once (in this process). */
  concurrency: number;
  documentDelayMs: number;
  documentTimeoutMs: number;
  /** PostgreSQL: the job queue the processes share, and how it is used. */
  shared?: SharedBatchOptions;
}

export interface SharedBatchOptions {
  jobs: SharedJobs;
  /** How long a fetched ticket is this process's. */
  leaseSeconds: number;
  /** A job whose holder died this many times in a row fails. */
  maxAttempts: number;
  /** How often an idle worker asks for a ticket. */
  pollingSeconds: number;
  /** How often the tickets of jobs that want to run are sent again. */
  sweepSeconds: number;
}

export const BATCH_CONCURRENCY = 2;
export const BATCH_QUEUE = "sidecar-batch";
const BATCH_DEAD_LETTER_QUEUE = "sidecar-batch-dead";

interface TicketData {
  jobId: string;
  ticket: string;
}

const JOB_CRASHED =
  "The batch job stopped on an unexpected server error. Start a new batch for the documents that were not tagged; if it keeps happening, check the server log.";
const JOB_LOST = (attempts: number) =>
  `The batch job stopped: the server process running it stopped unexpectedly ${attempts} times in a row. Start a new batch for the documents that were not tagged; if it keeps happening, check the server log.`;
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
  /** PostgreSQL: the ticket held (null on SQLite, where this process is the only runner). */
  ticket: string | null;
  /** Stop after the current step: the server stops, or (PostgreSQL) the ticket's lease ends. */
  stop: AbortSignal;
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
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    // `work` is always followed, also when the signal has aborted already: its rejection (it
    // usually stops on the same signal) is then handled here, not left unhandled.
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
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
  private readonly shared: SharedBatchOptions | null;
  /** PostgreSQL: this process's workers on the shared batch queue. */
  private queueWorkers: Workers | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly tagger: DocumentTagger,
    private readonly events: BatchEvents,
    private readonly options: BatchRunnerOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.shared = options.shared ?? null;
    this.shared?.jobs.onStop(() => this.stopping.abort());
  }

  /** Redoes documents a stopped server left half done, then starts the jobs that want to run. */
  async start(): Promise<void> {
    if (this.state !== "new") return;
    this.state = "starting";
    if (this.shared) return this.startShared(this.shared);
    const reset = await this.storage.batch.resetInterrupted();
    if (reset > 0) this.log.info({ documents: reset }, "batch documents interrupted by a server stop will be tagged again");
    this.state = "started";
    await this.passes.run();
  }

  /** Aborts waits and model calls and waits for every job's worker to stop. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.shared) {
      // The workers hand their jobs over to new tickets; pg-boss waits for them.
      await this.shared.jobs.stop();
    }
    // A pass under way may still start a worker (it looks at `stopped` after each step): wait for it first.
    await this.passes.idle();
    await Promise.allSettled([...this.workers.values()].map((worker) => worker.done));
  }

  /**
   * A job was created or resumed: start it if there is room (resolves once that was looked at).
   * PostgreSQL: its ticket is sent to the queue the processes share.
   */
  async notify(jobId?: string): Promise<void> {
    if (!this.shared) return this.passes.run();
    if (jobId === undefined) return;
    await this.ticketAndSend(jobId);
    // With a slot free here, a worker here was woken to fetch it: wait (a second at most) until a
    // process took it, so that the answer to a start sees it processing, as on SQLite, and a
    // second start is not counted as one more waiting job (SIDECAR_MAX_QUEUED_BATCHES).
    const deadline = Date.now() + 1000;
    while (this.workers.size < this.options.concurrency && Date.now() < deadline && !this.stopped) {
      if ((await this.storage.batch.getJob(jobId))?.status !== "pending") return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  get runningCount(): number {
    return this.workers.size;
  }

  /**
   * A worker is on the job: for a cancelled job, its current document is still being tagged and
   * the cancel is not reported yet. PostgreSQL: any process's worker (the row says so).
   */
  isWorking(job: BatchJobRow): boolean {
    if (this.shared) return job.working === 1;
    const worker = this.workers.get(job.job_id);
    return worker !== undefined && !worker.leaving;
  }

  /**
   * A job was paused or cancelled: its worker stops waiting and looks at the job again. True when
   * a worker here was running it (it then reports the cancel itself, after the current document).
   */
  wake(jobId: string): boolean {
    const worker = this.workers.get(jobId);
    if (!worker || worker.leaving) return false;
    worker.wake.abort();
    worker.wake = new AbortController();
    return true;
  }

  /**
   * A job was cancelled (the row as the cancel left it): wakes its worker here; true when a worker
   * (here, or on PostgreSQL in any process) will report the cancel itself.
   */
  cancelled(job: BatchJobRow): boolean {
    const here = this.wake(job.job_id);
    return this.shared ? job.working === 1 : here;
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
    while (this.state === "started" && !this.shared && !this.stopped && this.workers.size < this.options.concurrency) {
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
        const worker = this.newWorker(null, this.stopping.signal);
        this.workers.set(job.job_id, worker);
        worker.done = this.run(job.job_id, worker);
      });
    }
  }

  private newWorker(ticket: string | null, stop: AbortSignal): Worker {
    return { wake: new AbortController(), done: Promise.resolve(), leaving: false, ticket, stop };
  }

  private async startShared(shared: SharedBatchOptions): Promise<void> {
    this.state = "started";
    this.queueWorkers = await shared.jobs.serve<TicketData>(
      {
        name: BATCH_QUEUE,
        deadLetter: BATCH_DEAD_LETTER_QUEUE,
        retryLimit: Math.max(0, shared.maxAttempts - 1),
        leaseSeconds: shared.leaseSeconds,
        concurrency: this.options.concurrency,
        pollingSeconds: shared.pollingSeconds,
      },
      (ticket) => this.runTicket(shared, ticket),
      (data) => this.giveUp(shared, data),
      // Every waiting job's ticket first, then the workers: they take them in priority order, not
      // in the order the sweep happened to send them.
      () => this.sweep(),
    );
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        if (!this.stopped && this.storage.isOpen) this.log.warn({ err: error }, "sending the tickets of waiting batch jobs failed");
      });
    }, shared.sweepSeconds * 1000);
    this.sweeper.unref();
  }

  /** Sends the ticket of every job that wants to run (a ticket the queue holds is not sent twice). */
  private async sweep(): Promise<void> {
    for (const wanted of await this.storage.batch.listWanted()) {
      if (this.stopped) return;
      const job = wanted.ticket ? { ...wanted, ticket: wanted.ticket } : await this.storage.batch.ticketFor(wanted.job_id, randomUUID());
      if (job) await this.sendTicket(job, false);
    }
    this.queueWorkers?.wake();
  }

  /** Gives the job a ticket unless it has one, and sends it; nothing when the job does not want to run. */
  private async ticketAndSend(jobId: string): Promise<void> {
    const job = await this.storage.batch.ticketFor(jobId, randomUUID());
    if (job) await this.sendTicket(job, true);
  }

  /** Sends a job's ticket, its priority lower the more of its organization's jobs want to run; `wake`: a worker here looks at once. */
  private async sendTicket(job: { job_id: string; organization_id: string; ticket: string }, wake: boolean): Promise<void> {
    const shared = this.shared as SharedBatchOptions;
    // Behind the organization's other jobs that want to run (this one is among them).
    const ahead = Math.max(0, (await this.storage.batch.countWanted(job.organization_id)) - 1);
    await shared.jobs.boss.send(BATCH_QUEUE, { jobId: job.job_id, ticket: job.ticket } satisfies TicketData, { id: job.ticket, priority: -ahead });
    if (wake) this.queueWorkers?.wake();
  }

  /**
   * Holds a ticket: works on its job until the job ends or pauses, or until the lease is nearly
   * over or the server stops, then hands over to a new ticket. Never throws for a job's own
   * troubles (the job fails with words instead).
   */
  private async runTicket(shared: SharedBatchOptions, ticket: PgBoss.Job<TicketData>): Promise<void> {
    const { jobId } = ticket.data;
    if (this.stopped) throw new Error("the server is stopping; the ticket is offered again");
    const lease = AbortSignal.timeout(Math.max(1, shared.leaseSeconds - 1) * 1000);
    const worker = this.newWorker(ticket.id, AbortSignal.any([this.stopping.signal, lease]));
    const claimed = await this.events.exclusive(jobId, async () => {
      if (this.workers.has(jobId)) return false;
      const job = await this.storage.batch.claim(jobId, ticket.id);
      if (job) {
        this.workers.set(jobId, worker);
        return true;
      }
      await this.letGo(jobId, ticket.id, worker);
      return false;
    });
    if (!claimed) return;
    this.log.info({ jobId, ticket: ticket.id }, "batch job taken");
    worker.done = this.run(jobId, worker);
    await worker.done;
    if (worker.leaving || !this.storage.isOpen) return;
    // Stopped before the job ended: a new ticket for it (or, cancelled meanwhile, its report).
    const next = randomUUID();
    const job = await this.events.exclusive(jobId, async () => {
      const before = await this.storage.batch.handOver(jobId, ticket.id, next);
      if (before?.status === "cancelled") await this.publishFinal(before, worker);
      worker.leaving = true;
      return before;
    });
    if (job?.status !== "pending" && job?.status !== "processing") return;
    await this.sendTicket({ ...job, ticket: next }, true).catch((error: unknown) => {
      // The sweep of some process sends it later.
      this.log.warn({ err: error, jobId }, "handing the batch job over failed; it is taken up again at the next sweep");
    });
  }

  /**
   * A ticket whose job no longer wants to run (paused or finished) is spent. A job cancelled while
   * a holder that then died was on it has had no report (the cancel left it to that holder): it is
   * made now.
   */
  private async letGo(jobId: string, ticket: string, worker: Worker): Promise<void> {
    const { job, lost } = await this.storage.batch.checkIn(jobId, ticket);
    if (lost || job?.working !== 1) return;
    // Its holder died mid-document: that document was not tagged.
    await this.storage.batch.resetInterruptedOf(jobId);
    if (job.status === "cancelled") await this.publishFinal(job, worker);
  }

  /** The queue gave up on a ticket (its holders died too often): the job fails, unless it moved on. */
  private async giveUp(shared: SharedBatchOptions, data: TicketData): Promise<void> {
    await this.events.exclusive(data.jobId, async () => {
      const failed = await this.storage.batch.transition(data.jobId, ["pending", "processing"], "failed", JOB_LOST(shared.maxAttempts), data.ticket);
      if (!failed) {
        await this.letGo(data.jobId, data.ticket, this.newWorker(data.ticket, this.stopping.signal));
        return;
      }
      this.log.warn({ jobId: data.jobId }, "batch job lost its runner too often; marking it failed");
      const message = finalMessage(failed, await this.storage.batch.counts(data.jobId), false);
      if (message) this.events.publish(data.jobId, message);
    });
  }

  /** Works on a job until it ends, pauses or the worker stops; never rejects. */
  private async run(jobId: string, worker: Worker): Promise<void> {
    try {
      await this.work(jobId, worker);
    } catch (error) {
      if (!this.stopped && this.storage.isOpen) {
        this.log.error({ err: error, jobId }, "batch job failed on an unexpected error");
        try {
          await this.events.exclusive(jobId, async () => {
            worker.leaving = true;
            const failed = await this.storage.batch.transition(jobId, ["pending", "processing", "paused"], "failed", JOB_CRASHED, worker.ticket);
            // Or cancelled while its document was being tagged: its watchers wait for the worker to report the cancel.
            const ended = failed ?? (await this.storage.batch.checkIn(jobId, worker.ticket)).job;
            if (ended?.status === "failed" || ended?.status === "cancelled") await this.publishFinal(ended, worker);
          });
        } catch (failure) {
          if (this.storage.isOpen) this.log.error({ err: failure, jobId }, "the failed batch job could not be recorded");
        }
      }
    } finally {
      this.workers.delete(jobId);
      if (!this.shared) void this.passes.run();
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
      if (worker.stop.aborted) return;
      // Under the job's lock: a cancel either comes before (reported here) or after (the worker is
      // leaving by then, so the cancel reports itself).
      const job = await this.events.exclusive(jobId, async () => {
        const { job: current, lost } = await this.storage.batch.checkIn(jobId, worker.ticket);
        if (current?.status === "processing" && !lost) return current;
        worker.leaving = true;
        // Paused: observers heard it when it was paused. Cancelled while running: report it now,
        // with the result of the document that was being tagged. Lost: the new holder reports.
        if (current?.status === "cancelled" && !lost) await this.publishFinal(current, worker);
        return null;
      });
      if (!job) return;
      const next = await this.storage.batch.nextPending(jobId);
      if (!next) {
        const counts = await this.events.exclusive(jobId, async () => {
          const completed = await this.storage.batch.transition(jobId, ["processing"], "completed", null, worker.ticket);
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
          await pause(this.options.documentDelayMs, AbortSignal.any([worker.wake.signal, worker.stop]));
        } else {
          // Let requests and sockets in between documents, even when a document takes no time (it fails at once).
          await new Promise((resolve) => setImmediate(resolve));
        }
        continue; // look at the job again: it may have been paused or cancelled meanwhile
      }
      waitedBefore = null;
      await this.tagDocument(job, next, worker);
    }
  }

  /** Publishes a document's result as it is now (under the job's lock, after the write it reports). */
  private async publishProgress(jobId: string, rowId: number): Promise<void> {
    const row = await this.storage.batch.result(jobId, rowId);
    if (row) this.events.publish(jobId, progressMessage(jobId, row, await this.storage.batch.counts(jobId)));
  }

  /** Starts the document, only if its job is still processing (else returns at once), and tags it. */
  private async tagDocument(job: BatchJobRow, result: BatchResultRow, worker: Worker): Promise<void> {
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
    if (worker.stop.aborted) return;
    // The check and the start in one transaction (a pause from another server process) and under
    // the job's lock (a pause here: its message and this document's are then in order).
    const started = await this.events.exclusive(jobId, async () => {
      const start = await this.storage.sql.transaction(async () => {
        const current = await this.storage.batch.getJob(jobId);
        if (current?.status !== "processing" || (worker.ticket !== null && current.ticket !== worker.ticket)) return false;
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
      const signal = AbortSignal.any([deadline, worker.stop]);
      try {
        const tags = await untilAborted(this.tagger.tag(job, result, target, signal), signal);
        if (!this.storage.isOpen) return;
        await this.events.exclusive(jobId, async () => {
          await this.storage.batch.succeedResult(jobId, rowId, documentId, tags);
          await this.publishProgress(jobId, rowId);
        });
        return;
      } catch (caught) {
        if (worker.stop.aborted) {
          // Abandoned: the next holder (or the next start) tags it again.
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
