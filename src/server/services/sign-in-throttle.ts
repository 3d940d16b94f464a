// Sign-in throttling (docs/api.md "Auth"; README "Security"). Failed sign-ins are counted per
// account (the e-mail, whether or not it has an account, so a lock says nothing about who exists)
// and per client address. After `maxFailures` failures within the window the account is locked
// for `lockoutSeconds`; each further failure once the lock is over locks it again for twice as
// long (up to an hour). The same for an address after `maxFailuresPerAddress`. A locked account
// or address is answered 429 with Retry-After and words, before any password is hashed. A
// successful sign-in forgets the account's failures (not the address's: one account an attacker
// owns must not wipe the count of its guesses at others).
//
// Counts live in the database (storage/sign-in-attempt-store.ts): every server process sharing it
// counts the same failures and honours the same locks, and a restart forgets nothing. Stale counts
// are purged now and then as failures come in.
import { HttpError } from "../errors";
import type { AttemptRow, AttemptScope, SignInAttemptStore } from "../storage/sign-in-attempt-store";

export interface ThrottleOptions {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

/** Who is signing in: the account when the request names one, and the client's address. */
export interface SignInAttempt {
  account?: string;
  address: string;
}

const MAX_LOCKOUT_MS = 3600 * 1000;
/** Stale counts are purged at most this often (each process). */
const PURGE_EVERY_MS = 60_000;

class FailureCounter {
  constructor(
    private readonly store: SignInAttemptStore,
    private readonly scope: AttemptScope,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly lockoutMs: number,
  ) {}

  /** Milliseconds the key stays locked (0 = not locked). */
  async lockedFor(key: string, now: number): Promise<number> {
    const record = await this.store.get(this.scope, key);
    return record ? Math.max(0, record.locked_until - now) : 0;
  }

  fail(key: string, now: number): Promise<void> {
    return this.store.fail(
      this.scope,
      key,
      now,
      (record) => this.isStale(record, now),
      (count) => (count >= this.limit ? now + Math.min(MAX_LOCKOUT_MS, this.lockoutMs * 2 ** Math.min(30, count - this.limit)) : 0),
    );
  }

  clear(key: string): Promise<void> {
    return this.store.clear(this.scope, key);
  }

  /** No lock running and no failure within the window: the count starts again. */
  isStale(record: AttemptRow, now: number): boolean {
    return now >= record.locked_until && now - record.last_failed_at > this.windowMs;
  }
}

/** "30 seconds", "1 minute", "4 minutes". */
function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

export function tooManyAttempts(detail: string, retryAfterSeconds: number): HttpError {
  return new HttpError(429, detail, { "retry-after": String(retryAfterSeconds) });
}

export class SignInThrottle {
  private readonly accounts: FailureCounter;
  private readonly addresses: FailureCounter;
  private lastPurge = 0;

  constructor(
    private readonly store: SignInAttemptStore,
    private readonly options: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {
    const windowMs = options.windowSeconds * 1000;
    const lockoutMs = options.lockoutSeconds * 1000;
    this.accounts = new FailureCounter(store, "account", options.maxFailures, windowMs, lockoutMs);
    this.addresses = new FailureCounter(store, "address", options.maxFailuresPerAddress, windowMs, lockoutMs);
  }

  /** Throws 429 (Retry-After, words) when the account or the address is locked now. */
  async check(attempt: SignInAttempt): Promise<void> {
    const now = this.now();
    const account = attempt.account ? await this.accounts.lockedFor(attempt.account, now) : 0;
    const address = await this.addresses.lockedFor(attempt.address, now);
    if (account === 0 && address === 0) return;
    const seconds = Math.max(1, Math.ceil(Math.max(account, address) / 1000));
    const what = account >= address ? "for this account" : "from your network address";
    throw tooManyAttempts(`Too many failed sign-ins ${what}. Wait ${duration(seconds)}, then try again.`, seconds);
  }

  async failed(attempt: SignInAttempt): Promise<void> {
    const now = this.now();
    if (attempt.account) await this.accounts.fail(attempt.account, now);
    await this.addresses.fail(attempt.address, now);
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.store.purge(now, now - this.options.windowSeconds * 1000);
    }
  }

  async succeeded(attempt: SignInAttempt): Promise<void> {
    if (attempt.account) await this.accounts.clear(attempt.account);
  }

  /**
   * Runs a sign-in step: 429 when locked; a 401 from `step` counts as a failure, success clears
   * the account's failures.
   */
  async guard<T>(attempt: SignInAttempt, step: () => T | Promise<T>): Promise<T> {
    await this.check(attempt);
    let result: T;
    try {
      result = await step();
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 401) await this.failed(attempt);
      throw error;
    }
    await this.succeeded(attempt);
    return result;
  }
}
