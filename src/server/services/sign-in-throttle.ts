// Sign-in throttling (docs/api.md "Auth"; README "Security"). Failed sign-ins are counted per
// account (the e-mail, whether or not it has an account, so a lock says nothing about who exists)
// and per client address. After `maxFailures` failures within the window the account is locked
// for `lockoutSeconds`; each further failure once the lock is over locks it again for twice as
// long (up to an hour). The same for an address after `maxFailuresPerAddress`. A locked account
// or address is answered 429 with Retry-After and words, before any password is hashed. A
// successful sign-in forgets the account's failures (not the address's: one account an attacker
// owns must not wipe the count of its guesses at others).
//
// Counts live in memory: a restart forgets them (a restart takes long enough to be a delay too).
import { HttpError } from "../errors";

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
/** Keys remembered at most (each a few dozen bytes); the oldest are forgotten first. */
const MAX_KEYS = 50_000;

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

class FailureCounter {
  private readonly records = new Map<string, Failures>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly lockoutMs: number,
  ) {}

  /** Milliseconds the key stays locked (0 = not locked). */
  lockedFor(key: string, now: number): number {
    const record = this.current(key, now);
    return record ? Math.max(0, record.lockedUntil - now) : 0;
  }

  fail(key: string, now: number): void {
    const record = this.current(key, now) ?? { count: 0, lastAt: now, lockedUntil: 0 };
    record.count++;
    record.lastAt = now;
    if (record.count >= this.limit) {
      record.lockedUntil = now + Math.min(MAX_LOCKOUT_MS, this.lockoutMs * 2 ** Math.min(30, record.count - this.limit));
    }
    this.records.delete(key); // re-inserted at the end: the Map's order is "least recently failed first"
    this.records.set(key, record);
    if (this.records.size > MAX_KEYS) this.forgetOldest(now);
  }

  clear(key: string): void {
    this.records.delete(key);
  }

  /** The key's record, unless it is stale (no lock running and no failure within the window). */
  private current(key: string, now: number): Failures | undefined {
    const record = this.records.get(key);
    if (record && now >= record.lockedUntil && now - record.lastAt > this.windowMs) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  private forgetOldest(now: number): void {
    for (const [key, record] of this.records) {
      if (this.records.size <= MAX_KEYS * 0.9) return;
      // Locked keys are kept while others can go; under a flood of distinct keys, the oldest go anyway.
      if (record.lockedUntil <= now || this.records.size > MAX_KEYS) this.records.delete(key);
    }
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

  constructor(
    options: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {
    const windowMs = options.windowSeconds * 1000;
    const lockoutMs = options.lockoutSeconds * 1000;
    this.accounts = new FailureCounter(options.maxFailures, windowMs, lockoutMs);
    this.addresses = new FailureCounter(options.maxFailuresPerAddress, windowMs, lockoutMs);
  }

  /** Throws 429 (Retry-After, words) when the account or the address is locked now. */
  check(attempt: SignInAttempt): void {
    const now = this.now();
    const account = attempt.account ? this.accounts.lockedFor(attempt.account, now) : 0;
    const address = this.addresses.lockedFor(attempt.address, now);
    if (account === 0 && address === 0) return;
    const seconds = Math.max(1, Math.ceil(Math.max(account, address) / 1000));
    const what = account >= address ? "for this account" : "from your network address";
    throw tooManyAttempts(`Too many failed sign-ins ${what}. Wait ${duration(seconds)}, then try again.`, seconds);
  }

  failed(attempt: SignInAttempt): void {
    const now = this.now();
    if (attempt.account) this.accounts.fail(attempt.account, now);
    this.addresses.fail(attempt.address, now);
  }

  succeeded(attempt: SignInAttempt): void {
    if (attempt.account) this.accounts.clear(attempt.account);
  }

  /**
   * Runs a sign-in step: 429 when locked; a 401 from `step` counts as a failure, success clears
   * the account's failures.
   */
  async guard<T>(attempt: SignInAttempt, step: () => T | Promise<T>): Promise<T> {
    this.check(attempt);
    try {
      const result = await step();
      this.succeeded(attempt);
      return result;
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 401) this.failed(attempt);
      throw error;
    }
  }
}
