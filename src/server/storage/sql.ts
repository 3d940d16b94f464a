// The one way the stores talk to their database, whichever engine it is: SQLite (better-sqlite3,
// the default, one process) or PostgreSQL (`pg`, when SIDECAR_DATABASE_URL is set, any number of
// processes). The stores write their SQL once, with `?` placeholders, in the part of SQL both
// engines share; where the engines differ (full-text search, JSON lists), a store asks
// `sql.engine` and says it both ways.
//
// Transactions: `transaction(fn)` runs fn in one transaction, and every query made in fn's
// asynchronous context — by this store or any other, however deep — joins it (the context is kept
// in an AsyncLocalStorage, so a store method needs no transaction argument). A transaction inside
// a transaction is a savepoint.
//  - SQLite: one connection, so while a transaction is open every query from outside it waits
//    until it ends (they would otherwise run inside it). Queries with no transaction open run at
//    once, synchronously, as before.
//  - PostgreSQL: a pooled connection for the transaction, SERIALIZABLE, so that a store's
//    read-then-write means what it meant on SQLite (where one writer at a time was the rule) even
//    with several processes; a transaction that loses a serialization conflict or a deadlock is
//    run again from the start (fn must only touch the database), up to TRANSACTION_ATTEMPTS times.
import { AsyncLocalStorage } from "node:async_hooks";
import type Database from "better-sqlite3";
import pg from "pg";

export type SqlParam = string | number | bigint | boolean | null | Uint8Array;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

export type Engine = "sqlite" | "postgres";

export interface Sql {
  readonly engine: Engine;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlParam[]): Promise<RunResult>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** True when called inside a transaction of this database. */
  readonly inTransaction: boolean;
  /**
   * Closes the connection(s). It also ends the AsyncLocalStorage that carries transactions: left
   * enabled, an instance is visited by every promise the process creates from then on, so a
   * process that opens and closes databases (the tests start hundreds of servers) grows slower
   * with each one.
   */
  close(): Promise<void>;
}

interface SqliteTransaction {
  depth: number;
  ended: Promise<void>;
}

export class SqliteSql implements Sql {
  readonly engine = "sqlite";
  private readonly context = new AsyncLocalStorage<SqliteTransaction>();
  private active: SqliteTransaction | null = null;

  constructor(readonly db: Database.Database) {}

  get inTransaction(): boolean {
    return this.active !== null && this.context.getStore() === this.active;
  }

  async close(): Promise<void> {
    this.context.disable();
    if (this.db.open) this.db.close();
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    // The wait and the statement with nothing awaited between them (see waiting()).
    while (this.waiting()) await this.active?.ended;
    return this.db.prepare(sql).get(...sqliteParams(params)) as T | undefined;
  }

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    while (this.waiting()) await this.active?.ended;
    return this.db.prepare(sql).all(...sqliteParams(params)) as T[];
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    while (this.waiting()) await this.active?.ended;
    return { changes: this.db.prepare(sql).run(...sqliteParams(params)).changes };
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    if (current && current === this.active) {
      const name = `sp${++current.depth}`;
      this.db.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn();
        this.db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw error;
      } finally {
        current.depth--;
      }
    }
    while (this.waiting()) await this.active?.ended;
    let end!: () => void;
    const transaction: SqliteTransaction = { depth: 0, ended: new Promise<void>((resolve) => (end = resolve)) };
    this.active = transaction;
    try {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await this.context.run(transaction, fn);
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    } finally {
      this.active = null;
      end();
    }
  }

  /**
   * True while a transaction other than the caller's is open: the caller waits for its end. The
   * last check and what follows it must run in one go (no await between), or another transaction
   * could begin in the gap. Never once the database is closed (close() also ends the context a
   * transaction would be recognised by): the statement fails at once, saying so.
   */
  private waiting(): boolean {
    return this.active !== null && this.db.open && this.context.getStore() !== this.active;
  }
}

/** better-sqlite3 takes no booleans: 1 and 0, as SQLite stores them. */
function sqliteParams(params: readonly SqlParam[]): unknown[] {
  return params.map((value) => (typeof value === "boolean" ? (value ? 1 : 0) : value));
}

/** The values of a JSON array of strings passed as one `?` parameter, as a subquery for `IN (…)`, in the engine's words. */
export function inJsonList(sql: Sql): string {
  return sql.engine === "postgres" ? "SELECT value FROM json_array_elements_text(?::json)" : "SELECT value FROM json_each(?)";
}

const TRANSACTION_ATTEMPTS = 20;
/** serialization_failure, deadlock_detected */
const RETRYABLE = new Set(["40001", "40P01"]);

interface PostgresTransaction {
  client: pg.PoolClient;
  depth: number;
}

/** int8 (COUNT, bigint columns) and numeric (SUM) as JS numbers: every value the stores keep fits. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export class PostgresSql implements Sql {
  readonly engine = "postgres";
  private readonly context = new AsyncLocalStorage<PostgresTransaction>();

  constructor(readonly pool: pg.Pool) {}

  static connect(url: string, options: { max?: number; applicationName?: string } = {}): PostgresSql {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: options.applicationName ?? "sidecar", types });
    // An idle connection the server drops (a restart) must not crash the process; the pool replaces it.
    pool.on("error", () => undefined);
    return new PostgresSql(pool);
  }

  get inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    return (await this.query<T & pg.QueryResultRow>(sql, params)).rows[0];
  }

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return (await this.query<T & pg.QueryResultRow>(sql, params)).rows;
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    if (current) {
      const name = `sp${++current.depth}`;
      await current.client.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn();
        await current.client.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await current.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      } finally {
        current.depth--;
      }
    }
    const client = await this.pool.connect();
    let broken = false;
    try {
      for (let attempt = 1; ; attempt++) {
        await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
        try {
          const result = await this.context.run({ client, depth: 0 }, fn);
          await client.query("COMMIT");
          return result;
        } catch (error) {
          await client.query("ROLLBACK").catch(() => (broken = true));
          const code = (error as { code?: unknown }).code;
          if (broken || typeof code !== "string" || !RETRYABLE.has(code) || attempt >= TRANSACTION_ATTEMPTS) throw error;
          // Let the transaction that won finish before trying again.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
        }
      }
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    this.context.disable();
    await this.pool.end();
  }

  private query<T extends pg.QueryResultRow>(sql: string, params: readonly SqlParam[]): Promise<pg.QueryResult<T>> {
    const query = { ...preparedStatement(sql), values: params as unknown[] };
    const transaction = this.context.getStore();
    return transaction ? transaction.client.query<T>(query) : this.pool.query<T>(query);
  }
}

const statements = new Map<string, { name: string; text: string }>();

/**
 * The stores' SQL as a named prepared statement: each connection parses and plans it once, then
 * only binds and runs it (half the database's work for the short lookups most requests make).
 * The stores' SQL is a fixed set; past 2,000 distinct texts (never, unless SQL is built per call)
 * a statement is sent unnamed, parsed each time.
 */
function preparedStatement(sql: string): { name?: string; text: string } {
  const known = statements.get(sql);
  if (known) return known;
  const text = numberedPlaceholders(sql);
  if (statements.size >= 2000) return { text };
  const statement = { name: `sidecar_${statements.size + 1}`, text };
  statements.set(sql, statement);
  return statement;
}

const numbered = new Map<string, string>();

/**
 * `?` placeholders as PostgreSQL's `$1, $2, …` (outside quoted strings and identifiers). The
 * stores' SQL is a fixed set, so each is converted once.
 */
export function numberedPlaceholders(sql: string): string {
  let text = numbered.get(sql);
  if (text !== undefined) return text;
  let out = "";
  let n = 0;
  let quote: string | null = null;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "?") {
      out += `$${++n}`;
      continue;
    }
    out += char;
  }
  text = out;
  if (numbered.size < 1000) numbered.set(sql, text);
  return text;
}
