// Live batch news: the runner and the control routes publish a job's socket messages here, and
// every socket watching that job receives them in order. Publishing is synchronous; the database
// is not (storage/sql.ts), so a write and the message that reports it are made under the job's
// lock (`exclusive`), and a socket's snapshot of the job and its subscription are taken under the
// same lock (BatchJobService.watch): the socket misses nothing and sees nothing twice.
//
// On PostgreSQL several processes share the jobs (`share`): each message is also sent to the
// others with NOTIFY on the channel `sidecar_batch`, and each process LISTENs there, so a socket on
// one process follows a job whose news is made on another (`onRemote` lets the runner hear a
// pause or cancel made elsewhere; a cancel of a job running elsewhere is a `nudge`). A process hears its own notifications too and drops them.
import { EventEmitter } from "node:events";
import type { BatchSocketMessage } from "../../../shared/wire/batch";
import { SharedChannel } from "../shared-channel";

const CHANNEL = "sidecar_batch";

interface Notice {
  jobId: string;
  /** Null: a nudge (wake the job's worker), not for sockets. */
  message: BatchSocketMessage | null;
}

export type BatchListener = (message: BatchSocketMessage) => void;

export class BatchEvents {
  private readonly emitter = new EventEmitter();
  /** Per job, the end of the queue of holders of its lock. */
  private readonly locks = new Map<string, Promise<void>>();

  constructor() {
    // One listener per open socket: any number may watch.
    this.emitter.setMaxListeners(0);
  }

  publish(jobId: string, message: BatchSocketMessage): void {
    this.emitter.emit(jobId, message);
    this.shared?.notify({ jobId, message });
  }

  /** Wakes the job's worker in whichever other process runs it (PostgreSQL); sockets hear nothing. */
  nudge(jobId: string): void {
    this.shared?.notify({ jobId, message: null });
  }

  private shared: SharedChannel<Notice> | null = null;

  /**
   * Shares the news with the other processes of a PostgreSQL database; `onRemote` hears what they
   * publish (after this process's sockets got it). Resolves once listening.
   */
  async share(databaseUrl: string, onRemote: (jobId: string, message: BatchSocketMessage | null) => void, onError: (error: Error) => void): Promise<void> {
    this.shared = new SharedChannel<Notice>(
      { databaseUrl, channel: CHANNEL, applicationName: "sidecar-batch-news", hearOwn: false },
      (notice) => {
        if (notice.message) this.emitter.emit(notice.jobId, notice.message);
        onRemote(notice.jobId, notice.message);
      },
      onError,
    );
    await this.shared.listen();
  }

  async close(): Promise<void> {
    await this.shared?.close();
    this.shared = null;
  }

  /** Calls `listener` with each message of the job from now on; returns the unsubscribe. */
  subscribe(jobId: string, listener: BatchListener): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  watchers(jobId: string): number {
    return this.emitter.listenerCount(jobId);
  }

  /**
   * Runs `fn` holding the job's lock (one holder at a time, in the order they asked): for a write
   * with the message that reports it, or a watcher's snapshot with its subscription. Not
   * re-entrant: `fn` must not ask for the same job's lock. Take it outside any database
   * transaction, never inside one (a transaction waiting for the lock while the holder waits for
   * the transaction would wait forever).
   */
  async exclusive<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(jobId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.locks.set(jobId, tail);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(jobId) === tail) this.locks.delete(jobId);
    }
  }
}
