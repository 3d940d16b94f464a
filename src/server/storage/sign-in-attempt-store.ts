// Failed sign-ins, counted per account and per client address (services/sign-in-throttle.ts
// decides what they mean). In the database, so that every server process sharing it counts the
// same failures and honours the same locks; a restart forgets nothing. Times are epoch ms.
import type { Sql } from "./sql";

export type AttemptScope = "account" | "address";

export interface AttemptRow {
  failures: number;
  last_failed_at: number;
  locked_until: number;
}

export class SignInAttemptStore {
  constructor(private readonly sql: Sql) {}

  get(scope: AttemptScope, key: string): Promise<AttemptRow | undefined> {
    return this.sql.get<AttemptRow>("SELECT failures, last_failed_at, locked_until FROM sign_in_attempts WHERE scope = ? AND key = ?", [scope, key]);
  }

  /**
   * Counts one more failure at `now`, in one transaction with reading the count (so failures in
   * several processes at once are all counted); `lockUntil` says, from the new count, until when
   * the key is locked (0 = not). A count gone stale (`isStale`) starts again from 1.
   */
  fail(scope: AttemptScope, key: string, now: number, isStale: (row: AttemptRow) => boolean, lockUntil: (failures: number) => number): Promise<void> {
    return this.sql.transaction(async () => {
      const current = await this.get(scope, key);
      const failures = current && !isStale(current) ? current.failures + 1 : 1;
      await this.sql.run(
        `INSERT INTO sign_in_attempts (scope, key, failures, last_failed_at, locked_until) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, key) DO UPDATE SET failures = excluded.failures, last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until`,
        [scope, key, failures, now, lockUntil(failures)],
      );
    });
  }

  async clear(scope: AttemptScope, key: string): Promise<void> {
    await this.sql.run("DELETE FROM sign_in_attempts WHERE scope = ? AND key = ?", [scope, key]);
  }

  /** Forgets counts whose lock is over and whose last failure is older than `staleBefore`. */
  async purge(now: number, staleBefore: number): Promise<number> {
    return (await this.sql.run("DELETE FROM sign_in_attempts WHERE locked_until <= ? AND last_failed_at < ?", [now, staleBefore])).changes;
  }
}
