// Password hashing with scrypt (node:crypto). Stored form: scrypt$N$r$p$<salt b64>$<hash b64>,
// so the cost can be raised later without invalidating existing hashes.
//
// A sign-in's hash goes through a HashGate: at most `concurrency` hashes at once, the others
// waiting in turn per queue (the client's address), so a flood of sign-ins from one address waits
// behind itself instead of in front of everyone else's.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

const KEY_LENGTH = 64;
const DEFAULTS = { N: 16384, r: 8, p: 1 };

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, DEFAULTS);
  return ["scrypt", DEFAULTS.N, DEFAULTS.r, DEFAULTS.p, salt.toString("base64"), key.toString("base64")].join("$");
}

// Compared against when the e-mail is unknown, so both cases take the same time.
let dummyHash: Promise<string> | null = null;

/** Thrown when a queue already has its most waiting hashes (the caller answers 429). */
export class HashQueueFullError extends Error {
  constructor() {
    super("too many password checks waiting for this queue");
    this.name = "HashQueueFullError";
  }
}

/**
 * A semaphore for password hashes with one queue per key, served round-robin: when a hash
 * finishes, the next one comes from the queue after the one served last, not from the longest.
 */
export class HashGate {
  private active = 0;
  /** Waiting starts per key, in the order the keys will be served (a served key moves to the end). */
  private readonly queues = new Map<string, Array<() => void>>();

  constructor(
    readonly concurrency: number,
    /** The most hashes one key may have waiting; beyond it run() throws HashQueueFullError. */
    readonly maxWaitingPerKey: number,
  ) {}

  /** Hashes running now and waiting now (for tests and logs). */
  get load(): { active: number; waiting: number } {
    let waiting = 0;
    for (const queue of this.queues.values()) waiting += queue.length;
    return { active: this.active, waiting };
  }

  /**
   * Runs `work` once a slot is free and it is `key`'s turn. `whenTurn` runs just before (it may
   * throw, e.g. when the account was locked while this waited: then no hash is spent).
   */
  async run<T>(key: string, work: () => Promise<T>, whenTurn?: () => void | Promise<void>): Promise<T> {
    if (this.active >= this.concurrency) {
      const queue = this.queues.get(key) ?? [];
      if (queue.length >= this.maxWaitingPerKey) throw new HashQueueFullError();
      await new Promise<void>((resolve) => {
        queue.push(resolve);
        this.queues.set(key, queue);
      });
    } else {
      this.active++;
    }
    try {
      await whenTurn?.();
      return await work();
    } finally {
      this.release();
    }
  }

  /** Hands the slot to the next key's first waiter, or frees it. */
  private release(): void {
    const next = this.queues.entries().next();
    if (next.done) {
      this.active--;
      return;
    }
    const [key, queue] = next.value;
    const start = queue.shift() as () => void;
    this.queues.delete(key);
    if (queue.length > 0) this.queues.set(key, queue); // to the back of the round
    start(); // the slot passes on: active stays the same
  }
}

/** True when `password` matches `stored`; `stored` null means "no such user" (still costs a hash). */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const encoded = stored ?? (await (dummyHash ??= hashPassword("not a real password")));
  const [scheme, n, r, p, saltText, keyText] = encoded.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, "base64");
  const actual = await scryptAsync(password, Buffer.from(saltText, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected) && stored !== null;
}
