// Rows kept in memory by one server process of several sharing a PostgreSQL database, trusted
// because every change to them is announced (a NOTIFY, delivered at its commit to every process)
// and each process forgets what changed. Used for tokens (sign-in-store.ts) and for the documents
// the Sources panel asks about (document-store.ts).
//
// - A read that started before a forget does not fill the cache (the epoch moved on), so a row
//   read just before its change is not kept.
// - While the process cannot hear announcements (its listening connection dropped: `paused`),
//   nothing is kept and every read goes to the database; when it hears them again, nothing read
//   before is kept either (announcements may have been missed meanwhile).
// - An entry is trusted for `ttlMs` at most: the bound on an announcement lost anyway.
// - At most `maxEntries` entries; the oldest one goes first.

export class NoticedCache<V> {
  private entries: Map<string, { value: V; until: number }> | null = null;
  private ttlMs = 0;
  private epoch = 0;
  private paused = false;

  constructor(private readonly maxEntries: number) {}

  /** From now on, values read are kept (until then every read goes to the database). */
  enable(ttlMs: number): void {
    this.ttlMs = ttlMs;
    this.entries = new Map();
  }

  /** Forgets the entries `changed` picks (its key, its value): something announced a change. */
  forget(changed: (key: string, value: V) => boolean): void {
    this.epoch++;
    if (!this.entries) return;
    for (const [key, entry] of this.entries) if (changed(key, entry.value)) this.entries.delete(key);
  }

  /** Forgets everything; `paused`: keep nothing until called again with false. */
  forgetAll(paused: boolean): void {
    this.epoch++;
    this.paused = paused;
    this.entries?.clear();
  }

  /** The value of `key`: kept, or read (and kept when `keep` says so). */
  async get(key: string, read: () => Promise<V | undefined>, keep: (value: V) => boolean = () => true): Promise<V | undefined> {
    const entries = this.entries;
    if (!entries || this.paused) return read();
    const hit = entries.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const epoch = this.epoch;
    const value = await read();
    if (value !== undefined && keep(value) && epoch === this.epoch && !this.paused) {
      entries.delete(key);
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, until: Date.now() + this.ttlMs });
    }
    return value;
  }
}
