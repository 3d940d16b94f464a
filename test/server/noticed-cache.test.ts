// What a process keeps in memory of rows whose changes are announced (src/server/storage/noticed-cache.ts,
// behind the token cache and the document rows of the Sources panel on PostgreSQL).
import { NoticedCache } from "../../src/server/storage/noticed-cache";

/** A database read the test finishes when it wants, counting the reads made. */
function database(initial: Record<string, string>) {
  const rows = new Map(Object.entries(initial));
  let reads = 0;
  const pending: Array<() => void> = [];
  return {
    rows,
    get reads() {
      return reads;
    },
    read: (key: string) => async () => {
      reads++;
      return rows.get(key);
    },
    /** A read that answers with the row as it is when it was asked for, once `finish` is called. */
    slowRead: (key: string) => () => {
      reads++;
      const value = rows.get(key);
      return new Promise<string | undefined>((resolve) => pending.push(() => resolve(value)));
    },
    finish: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

/** A cache of 10 entries that keeps what it reads (for a minute). */
function keeping(): NoticedCache<string> {
  const cache = new NoticedCache<string>(10);
  cache.enable(60_000);
  return cache;
}

test("before it is enabled, and while paused, every read goes to the database and nothing is kept", async () => {
  const db = database({ a: "one" });
  const cache = new NoticedCache<string>(10);
  expect(await cache.get("a", db.read("a"))).toBe("one");
  expect(await cache.get("a", db.read("a"))).toBe("one");
  expect(db.reads).toBe(2);

  cache.enable(60_000);
  cache.forgetAll(true);
  await cache.get("a", db.read("a"));
  await cache.get("a", db.read("a"));
  expect(db.reads).toBe(4);
  cache.forgetAll(false);
  await cache.get("a", db.read("a"));
  await cache.get("a", db.read("a"));
  expect(db.reads).toBe(5);
});

test("kept once read; a forget makes the next get read the database again, and only what was picked is forgotten", async () => {
  const db = database({ a: "one", b: "two" });
  const cache = keeping();
  await cache.get("a", db.read("a"));
  await cache.get("b", db.read("b"));
  expect(db.reads).toBe(2);
  db.rows.set("a", "changed");
  db.rows.set("b", "changed too");
  expect(await cache.get("a", db.read("a"))).toBe("one"); // not announced yet
  cache.forget((key) => key === "a");
  expect(await cache.get("a", db.read("a"))).toBe("changed");
  expect(await cache.get("b", db.read("b"))).toBe("two");
  cache.forget((_key, value) => value === "two");
  expect(await cache.get("b", db.read("b"))).toBe("changed too");
});

test("a read that started before a forget does not fill the cache (it may hold the row from before the change)", async () => {
  const db = database({ a: "before" });
  const cache = keeping();
  const reading = cache.get("a", db.slowRead("a"));
  db.rows.set("a", "after");
  cache.forget((key) => key === "a");
  db.finish();
  expect(await reading).toBe("before");
  expect(await cache.get("a", db.read("a"))).toBe("after");
  expect(await cache.get("a", db.read("a"))).toBe("after");
  expect(db.reads).toBe(2);
});

test("a listening connection dropping during a read keeps that read out too", async () => {
  const db = database({ a: "before" });
  const cache = keeping();
  const reading = cache.get("a", db.slowRead("a"));
  cache.forgetAll(true);
  cache.forgetAll(false);
  db.finish();
  await reading;
  await cache.get("a", db.read("a"));
  expect(db.reads).toBe(2);
});

test("values `keep` refuses, and missing rows, are never kept", async () => {
  const db = database({ ready: "Ready", running: "Generating" });
  const cache = keeping();
  const keepReady = (value: string) => value === "Ready";
  for (let i = 0; i < 2; i++) {
    await cache.get("ready", db.read("ready"), keepReady);
    await cache.get("running", db.read("running"), keepReady);
    await cache.get("missing", db.read("missing"), keepReady);
  }
  expect(db.reads).toBe(1 + 2 + 2);
});

test("an entry is trusted for the time given at most, and the oldest entry goes first past the limit", async () => {
  const db = database({ a: "1", b: "2", c: "3" });
  const cache = new NoticedCache<string>(2);
  cache.enable(50);
  await cache.get("a", db.read("a"));
  await cache.get("a", db.read("a"));
  expect(db.reads).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 80));
  await cache.get("a", db.read("a"));
  expect(db.reads).toBe(2);

  cache.enable(60_000);
  await cache.get("a", db.read("a"));
  await cache.get("b", db.read("b"));
  await cache.get("c", db.read("c")); // a goes
  expect(db.reads).toBe(5);
  await cache.get("b", db.read("b"));
  await cache.get("c", db.read("c"));
  expect(db.reads).toBe(5);
  await cache.get("a", db.read("a"));
  expect(db.reads).toBe(6);
});
