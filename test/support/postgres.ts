// Which storage engine the server tests run against, and fresh PostgreSQL databases for them.
//
// SIDECAR_TEST_ENGINE=postgres (set by scripts/test-postgres.mjs) runs them against PostgreSQL;
// SIDECAR_TEST_DATABASE_URL is then an admin URL (a role that may CREATE/DROP DATABASE) on which each
// test creates its own database, sidecar_t_<pid>_<counter>_<random>, and drops it afterwards.
//
// Databases are created from template0: CREATE DATABASE … TEMPLATE template1 (the default) fails with
// "source database "template1" is being accessed by other users" whenever anything is connected to
// template1 at that moment; nothing can connect to template0. Object-in-use errors are retried anyway.
// A server that only needs somewhere to work (test/server/helpers.ts startServer) gets a copy of a
// migrated template instead, sidecar_template_<hash of the migrations and pg-boss's version>: Sidecar's
// schema and pg-boss's, built once per cluster (kept there; a changed migration makes a new one) and
// never connected to after. Its job queues are not in it: each server makes them with its own settings.
// Measured on the throwaway cluster: the PostgreSQL pass took 175 s with PostgreSQL using 62
// processor-seconds, against 182 s and 70 when every server migrated an empty database. Tests of
// the migrations themselves start from an empty database.
// drop() forces connections off (SQLSTATE 57P01, "terminating connection due to administrator command"):
// close the server's pools first, or give their clients an "error" listener, or that event goes unhandled.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import PgBoss from "pg-boss";
import { migratePostgres } from "../../src/server/storage/postgres-migrate";
import { postgresMigrations } from "../../src/server/storage/postgres-migrations";

export type TestEngine = "sqlite" | "postgres";

function engineFromEnv(): TestEngine {
  const value = (process.env.SIDECAR_TEST_ENGINE ?? "").trim().toLowerCase();
  if (value === "" || value === "sqlite") return "sqlite";
  if (value !== "postgres") throw new Error(`SIDECAR_TEST_ENGINE must be "sqlite" or "postgres", not ${JSON.stringify(value)}`);
  if (!process.env.SIDECAR_TEST_DATABASE_URL) {
    throw new Error(
      "SIDECAR_TEST_ENGINE=postgres needs SIDECAR_TEST_DATABASE_URL (postgres://user@host:port/db, a role that may create databases); " +
        "`node scripts/test-postgres.mjs` starts a throwaway cluster and sets both.",
    );
  }
  return "postgres";
}

export const testEngine: TestEngine = engineFromEnv();

export interface TestDatabase {
  /** postgres://… of the new database (the admin URL's host, port and credentials). */
  url: string;
  name: string;
  /** Drops the database, disconnecting whoever is still connected (WITH (FORCE)). Safe to call twice. */
  drop(): Promise<void>;
}

let counter = 0;

function adminUrl(): string {
  const url = process.env.SIDECAR_TEST_DATABASE_URL;
  if (!url) throw new Error("createTestDatabase() needs SIDECAR_TEST_DATABASE_URL (see test/support/postgres.ts)");
  return url;
}

/** The admin URL's server, credentials and options, for the database `name`. */
function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one statement on its own connection to the admin database (CREATE/DROP DATABASE cannot run in a transaction). */
async function admin(sql: string | ((serverVersion: number) => string)): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), application_name: "sidecar-tests-admin" });
  client.on("error", () => undefined); // a server going away mid-statement fails the query; nothing more to do
  await client.connect();
  try {
    if (typeof sql === "function") {
      const { rows } = await client.query<{ server_version_num: string }>("SHOW server_version_num");
      sql = sql(Number(rows[0]?.server_version_num ?? 0));
    }
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** SQLSTATEs worth another try: object_in_use (a template busy), and serialization/deadlock hiccups. */
const RETRYABLE = new Set(["55006", "40001", "40P01"]);

async function withRetry(what: string, fn: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 10 || !code || !RETRYABLE.has(code)) {
        throw Object.assign(err as Error, { message: `${what}: ${(err as Error).message}` });
      }
      await sleep(20 * attempt + Math.floor(Math.random() * 30));
    }
  }
}

/**
 * Creates a UTF-8 database for one test (file) on SIDECAR_TEST_DATABASE_URL's server: empty, or
 * (`migrated`) with Sidecar's schema and pg-boss's already in place.
 */
export async function createTestDatabase({ migrated = false }: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `sidecar_t_${process.pid}_${++counter}_${randomBytes(4).toString("hex")}`;
  const template = migrated ? await migratedTemplate() : "template0";
  // PostgreSQL 15+: STRATEGY FILE_COPY copies the tiny template0 about 3 times faster than the default
  // WAL_LOG (measured on the throwaway cluster: ~20 ms against ~30–190 ms, 20 at once 0.7 s against 2 s).
  await withRetry(`CREATE DATABASE ${name}`, () =>
    admin((version) => `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)} ENCODING 'UTF8'${version >= 150000 ? " STRATEGY FILE_COPY" : ""}`),
  );
  let dropped = false;
  return {
    url: databaseUrl(name),
    name,
    async drop() {
      if (dropped) return;
      await withRetry(`DROP DATABASE ${name}`, () => admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
      dropped = true;
    },
  };
}

let template: Promise<string> | undefined;

/** The migrated template's name, built on first use (one builder at a time, across processes). */
function migratedTemplate(): Promise<string> {
  template ??= buildTemplate().catch((error) => {
    template = undefined;
    throw error;
  });
  return template;
}

/** The advisory lock the template's builders take on the admin database ("sidecar-template"). */
const TEMPLATE_LOCK_KEY = "7310309436542841";

async function buildTemplate(): Promise<string> {
  const bossVersion = (JSON.parse(fs.readFileSync(require.resolve("pg-boss/package.json"), "utf8")) as { version: string }).version;
  const hash = createHash("sha256").update(JSON.stringify(postgresMigrations)).update(`pg-boss ${bossVersion}`).digest("hex").slice(0, 12);
  const name = `sidecar_template_${hash}`;
  const client = new pg.Client({ connectionString: adminUrl(), application_name: "sidecar-tests-admin" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return name;
    // Built under another name and renamed when complete: a builder that dies leaves no half template.
    const building = `${name}_building`;
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(building)} TEMPLATE template0 ENCODING 'UTF8'`);
    const url = databaseUrl(building);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await migratePostgres(pool);
    } finally {
      await pool.end();
    }
    // pg-boss's schema only: no maintenance, no schedules, no queues.
    const boss = new PgBoss({ connectionString: url, max: 1, supervise: false, schedule: false });
    boss.on("error", () => undefined);
    await boss.start();
    await boss.stop({ graceful: false, wait: true });
    await client.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
    return name;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
