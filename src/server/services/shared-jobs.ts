// The job queue every server process on one PostgreSQL database shares (pg-boss, schema `pgboss`):
// one pg-boss instance per process, used by the generation queue (generation/shared-queue.ts), the
// batch runner (batch/runner.ts) and the corpus indexer (chat/indexer.ts). A fetched job is the
// process's for a lease (expireInSeconds); a process that dies keeps it until the lease runs out,
// then pg-boss's maintenance offers it again under the same id (a retry), up to the queue's retry
// limit, then sends it to the queue's dead-letter queue.
//
// Stopping: every user's own stop (aborting its runs, which then put their work back) happens
// first, then pg-boss waits for the handlers to return.
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import PgBoss from "pg-boss";

/** A queue, its dead-letter queue, and this process's workers on it (SharedJobs.serve). */
export interface ServedQueue {
  name: string;
  deadLetter: string;
  /** pg-boss's queue policy (default "standard"). */
  policy?: PgBoss.QueuePolicy;
  /** Times a job whose handler failed or whose lease ran out is offered again before its dead letter. */
  retryLimit: number;
  /** How long a fetched job is this process's. */
  leaseSeconds: number;
  /** Workers in this process. */
  concurrency: number;
  /** How often an idle worker asks for a job. */
  pollingSeconds: number;
}

/** This process's workers on a queue. */
export interface Workers {
  /** Each worker looks for a job at once rather than at its next poll (nothing once stopping). */
  wake(): void;
}

export interface SharedJobsOptions {
  databaseUrl: string;
  /** How often expired leases are looked for (and the queue tidied). */
  maintenanceSeconds: number;
}

export class SharedJobs {
  readonly boss: PgBoss;
  private readonly aborts: Array<() => void> = [];
  private starting: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(options: SharedJobsOptions, log: FastifyBaseLogger) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      max: 4,
      application_name: "sidecar-jobs",
      maintenanceIntervalSeconds: options.maintenanceSeconds,
      // Finished jobs are archived after an hour and kept a day: the rows keep what people see.
      archiveCompletedAfterSeconds: 3600,
    });
    this.boss.on("error", (error: Error) => {
      if (!this.stopping) log.error({ err: error }, "the job queue reported an error");
    });
  }

  /** Starts pg-boss (once, whoever asks first; its schema is created or migrated then). */
  start(): Promise<void> {
    this.starting ??= this.boss.start().then(() => undefined);
    return this.starting;
  }

  /** `abort` is called first when the process stops, before pg-boss waits for the handlers. */
  onStop(abort: () => void): void {
    this.aborts.push(abort);
  }

  get stopped(): boolean {
    return this.stopping !== null;
  }

  /** Stops every user's runs, then pg-boss (once, whoever asks first). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const abort of this.aborts) abort();
      if (this.starting) {
        await this.starting.catch(() => undefined);
        await this.boss.stop({ graceful: true, timeout: 10_000, wait: true });
      }
    })();
    return this.stopping;
  }

  /**
   * Creates the queue and its dead-letter queue (unless they exist), runs `beforeWorking` (work
   * to send before anything is fetched), then starts this process's workers: `concurrency` running
   * `run` (one job each; a rejection offers the job again) and one handing each dead letter's data
   * to `giveUp`.
   */
  async serve<T extends object>(
    queue: ServedQueue,
    run: (job: PgBoss.Job<T>) => Promise<void>,
    giveUp: (data: T) => Promise<void>,
    beforeWorking: () => Promise<void> = async () => undefined,
  ): Promise<Workers> {
    await this.start();
    await this.ensureQueue(queue.deadLetter, {});
    await this.ensureQueue(queue.name, {
      ...(queue.policy ? { policy: queue.policy } : {}),
      retryLimit: queue.retryLimit,
      retryDelay: 0,
      expireInSeconds: queue.leaseSeconds,
      deadLetter: queue.deadLetter,
    });
    await beforeWorking();
    const ids: string[] = [];
    for (let i = 0; i < queue.concurrency; i++) {
      ids.push(await this.boss.work<T>(queue.name, { batchSize: 1, pollingIntervalSeconds: queue.pollingSeconds }, ([job]) => run(job as PgBoss.Job<T>)));
    }
    ids.push(
      await this.boss.work<T>(queue.deadLetter, { batchSize: 1, pollingIntervalSeconds: Math.max(queue.pollingSeconds, 2) }, ([job]) =>
        giveUp((job as PgBoss.Job<T>).data),
      ),
    );
    return {
      wake: () => {
        if (!this.stopping) for (const id of ids) this.boss.notifyWorker(id);
      },
    };
  }

  /**
   * Creates a queue unless it exists. Several processes start at once: one made by another is fine,
   * and two creating it at the same moment can deadlock in PostgreSQL (one is aborted): the loser
   * looks again a moment later.
   */
  private async ensureQueue(name: string, options: Omit<PgBoss.Queue, "name">): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await this.boss.getQueue(name)) return;
      try {
        await this.boss.createQueue(name, { name, ...options });
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await sleep(50 + Math.random() * 200);
      }
    }
  }
}
