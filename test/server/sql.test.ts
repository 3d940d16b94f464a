// The stores' one way to their database (src/server/storage/sql.ts), on the engine under test:
// transactions that many requests open at once stay whole, a query from outside never lands inside
// another's transaction, a savepoint undoes only its own part, and `?` placeholders become `$n`.
import { numberedPlaceholders } from "../../src/server/storage/sql";
import type { Storage } from "../../src/server/storage/storage";
import { openTestStorage } from "./helpers";

let storage: Storage;

beforeAll(async () => {
  storage = await openTestStorage();
  await storage.sql.run("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '2026-01-01')");
});

afterAll(async () => {
  await storage.close();
});

const counter = async () => Number((await storage.sql.get<{ value: string }>("SELECT value FROM server_secrets WHERE name = 'counter'"))?.value ?? "0");

test("twenty read-then-write transactions at once each see the others' writes: none is lost", async () => {
  await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('counter', '0', 'now')");
  await Promise.all(
    Array.from({ length: 20 }, () =>
      storage.sql.transaction(async () => {
        const value = await counter();
        // Something else gets its turn between the read and the write.
        await new Promise((resolve) => setTimeout(resolve, 1));
        await storage.sql.run("UPDATE server_secrets SET value = ? WHERE name = 'counter'", [String(value + 1)]);
      }),
    ),
  );
  expect(await counter()).toBe(20);
});

test("a write from outside a transaction is not undone by that transaction's rollback", async () => {
  let insideStarted!: () => void;
  const started = new Promise<void>((resolve) => (insideStarted = resolve));
  const failing = storage.sql
    .transaction(async () => {
      await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('inside', 'x', 'now')");
      insideStarted();
      await new Promise((resolve) => setTimeout(resolve, 30));
      throw new Error("rolled back on purpose");
    })
    .catch((error: Error) => error.message);
  await started;
  // Made while the other transaction is open, outside it.
  await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('outside', 'y', 'now')");
  expect(await failing).toBe("rolled back on purpose");
  const names = (await storage.sql.all<{ name: string }>("SELECT name FROM server_secrets WHERE name IN ('inside', 'outside')")).map((row) => row.name);
  expect(names).toEqual(["outside"]);
});

test("a transaction inside a transaction is a savepoint: its failure undoes only its own writes", async () => {
  await storage.sql.transaction(async () => {
    await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('outer', '1', 'now')");
    const inner = await storage.sql
      .transaction(async () => {
        await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('inner', '2', 'now')");
        throw new Error("inner fails");
      })
      .catch((error: Error) => error.message);
    expect(inner).toBe("inner fails");
    expect(storage.sql.inTransaction).toBe(true);
  });
  expect(storage.sql.inTransaction).toBe(false);
  const names = (await storage.sql.all<{ name: string }>("SELECT name FROM server_secrets WHERE name IN ('outer', 'inner') ORDER BY name")).map((row) => row.name);
  expect(names).toEqual(["outer"]);
});

test("a constraint error inside a transaction reaches the caller and leaves nothing behind", async () => {
  const error = await storage.sql
    .transaction(async () => {
      await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('twice', '1', 'now')");
      await storage.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES ('twice', '2', 'now')");
    })
    .catch((caught: unknown) => caught);
  // SQLite: "UNIQUE constraint failed"; PostgreSQL: "duplicate key value violates unique constraint".
  expect(error).toMatchObject({ message: expect.stringMatching(/UNIQUE constraint failed|duplicate key/) });
  expect(await storage.sql.get("SELECT name FROM server_secrets WHERE name = 'twice'")).toBeUndefined();
  // The database still serves.
  expect(await counter()).toBe(20);
});

test("a server secret is made once and the same ever after, however many ask at once", async () => {
  const values = await Promise.all(Array.from({ length: 10 }, () => storage.serverSecret("shared")));
  expect(new Set(values).size).toBe(1);
  expect(values[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await storage.serverSecret("shared")).toBe(values[0]);
});

test("`?` placeholders become $1, $2, … outside quoted strings and names", () => {
  expect(numberedPlaceholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)")).toBe("SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  expect(numberedPlaceholders(`SELECT '?' AS "what?", ? AS x`)).toBe(`SELECT '?' AS "what?", $1 AS x`);
  expect(numberedPlaceholders("SELECT 'it''s ?', ?")).toBe("SELECT 'it''s ?', $1");
});

test("a transaction still running when its database closes fails at its next query instead of waiting forever", async () => {
  const closing = await openTestStorage();
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const running = closing.sql
    .transaction(async () => {
      await closing.sql.get("SELECT 1 AS one");
      entered();
      await gate;
      return closing.sql.get("SELECT 1 AS one");
    })
    .then(
      () => "finished",
      (error: Error) => `failed: ${error.message}`,
    );
  await inside;
  const closed = closing.close();
  release();
  expect(await running).toMatch(/^failed: .*(not open|after calling end)/);
  await closed;
});
