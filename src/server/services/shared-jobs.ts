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
   * Creates a queue unless it exists. Several processes start at once: one made by another is fine,
   * and two creating it at the same moment can deadlock in PostgreSQL (one is aborted): the loser
   * looks again a moment later.
   */
  async ensureQueue(name: string, options: Omit<PgBoss.Queue, "name">): Promise<void> {
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
