// The PostgreSQL schema (src/server/storage/postgres-migrations.ts) is SQLite's
// (src/server/storage/migrations.ts, all of it) table for table and column for column, and
// migratePostgres (src/server/storage/postgres-migrate.ts) brings a database up to it once, even
// when several server processes start together, and refuses a database from a newer Sidecar.
//
// Needs a PostgreSQL cluster to throw away: SIDECAR_TEST_DATABASE_URL is an address whose user
// may create databases (e.g. postgres://postgres@127.0.0.1:55432/postgres). Each test makes its
// own database and drops it at the end.
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { migrations } from "../../src/server/storage/migrations";
import { migratePostgres } from "../../src/server/storage/postgres-migrate";
import { postgresMigrations } from "../../src/server/storage/postgres-migrations";
import { StorageVersionError } from "../../src/server/storage/storage-errors";

const ADMIN_URL = process.env.SIDECAR_TEST_DATABASE_URL;

/** Tables only PostgreSQL has (files and sign-in throttling shared by several processes; its version record). */
const POSTGRES_ONLY_TABLES = new Set(["stored_files", "stored_file_chunks", "schema_migrations"]);
/** Columns only PostgreSQL has: SQLite's implicit rowid made explicit, and the passages' search index. */
const POSTGRES_ONLY_COLUMNS = new Set(["rowid", "search_vector"]);
/** A batch job's ticket and holder (several processes; migration 2). */
const POSTGRES_ONLY_BATCH_COLUMNS = new Set(["ticket", "working"]);
const ROWID_TABLES = ["documents", "document_sets", "templates", "generation_jobs", "batch_jobs", "thread_corpora", "passages"];

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
}

interface Schema {
  /** table → its columns, in order */
  columns: Map<string, Column[]>;
  /** "table(primary key columns)" */
  primaryKeys: Set<string>;
  /** "table(columns)" of each UNIQUE constraint */
  uniques: Set<string>;
  /** "table(columns) → table(columns) ON DELETE action" */
  foreignKeys: Set<string>;
  /** "name ON table(columns) unique? partial?" of each index made by CREATE INDEX */
  indexes: Set<string>;
}

/** The schema of a SQLite database brought up to date by migrations.ts. */
function sqliteSchema(): Schema {
  const db = new Database(":memory:");
  try {
    // Migration 10 reads the passages through these (storage/passage-store.ts registers the real ones); there are none here.
    db.function("sidecar_search_text", { deterministic: true }, (text: unknown) => text);
    db.function("sidecar_unspaced", { deterministic: true }, (_text: unknown) => 0);
    for (const migration of migrations) db.exec(migration);
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'passages_fts%' ORDER BY name")
      .all() as Array<{ name: string; sql: string }>;
    const schema: Schema = { columns: new Map(), primaryKeys: new Set(), uniques: new Set(), foreignKeys: new Set(), indexes: new Set() };
    for (const table of tables) {
      // SQLite's table_info doesn't give collations: a column declared COLLATE NOCASE is expected as citext.
      const noCase = new Set([...table.sql.matchAll(/(\w+)\s+TEXT\b[^,\n]*COLLATE NOCASE/gi)].map((match) => match[1]));
      const info = db.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>;
      schema.columns.set(
        table.name,
        info.map((column) => ({
          name: column.name,
          type: noCase.has(column.name) ? "citext" : ({ TEXT: "text", INTEGER: "bigint", REAL: "double precision" } as Record<string, string>)[column.type] ?? column.type,
          // PostgreSQL's primary keys are never NULL (SQLite lets a TEXT primary key be NULL unless it says NOT NULL).
          notNull: column.notnull === 1 || column.pk > 0,
          default: column.dflt_value,
        })),
      );
      const primaryKey = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
      if (primaryKey.length > 0) schema.primaryKeys.add(`${table.name}(${primaryKey.map((column) => column.name).join(", ")})`);
      const indexes = db.prepare(`PRAGMA index_list(${table.name})`).all() as Array<{ name: string; unique: number; origin: string; partial: number }>;
      for (const index of indexes) {
        const columns = (db.prepare(`PRAGMA index_info(${index.name})`).all() as Array<{ name: string | null }>).map((column) => column.name ?? "<expression>");
        if (index.origin === "u") schema.uniques.add(`${table.name}(${columns.join(", ")})`);
        if (index.origin === "c") schema.indexes.add(`${index.name} ON ${table.name}(${columns.join(", ")})${index.unique ? " unique" : ""}${index.partial ? " partial" : ""}`);
      }
      const foreignKeys = db.prepare(`PRAGMA foreign_key_list(${table.name})`).all() as Array<{ id: number; table: string; from: string; to: string; on_delete: string }>;
      for (const id of new Set(foreignKeys.map((key) => key.id))) {
        const parts = foreignKeys.filter((key) => key.id === id);
        schema.foreignKeys.add(
          `${table.name}(${parts.map((key) => key.from).join(", ")}) → ${parts[0]?.table}(${parts.map((key) => key.to).join(", ")}) ON DELETE ${parts[0]?.on_delete}`,
        );
      }
    }
    return schema;
  } finally {
    db.close();
  }
}

/** The schema of a PostgreSQL database's public schema, in the same terms. */
async function postgresSchema(pool: pg.Pool): Promise<Schema> {
  const schema: Schema = { columns: new Map(), primaryKeys: new Set(), uniques: new Set(), foreignKeys: new Set(), indexes: new Set() };
  const columns = await pool.query<{ table: string; name: string; type: string; not_null: boolean; default: string | null }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
  );
  for (const column of columns.rows) {
    const list = schema.columns.get(column.table) ?? [];
    // 'sidecar'::text → 'sidecar', as SQLite gives a default.
    list.push({ name: column.name, type: column.type, notNull: column.not_null, default: column.default?.replace(/::[a-z ]+$/, "") ?? null });
    schema.columns.set(column.table, list);
  }
  // Columns of a key, in the key's order.
  const keyColumns = (relation: string, keys: string) =>
    `(SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum)`;
  const constraints = await pool.query<{ contype: string; table: string; columns: string; references: string | null; to: string | null; on_delete: string }>(
    `SELECT c.contype, c.conrelid::regclass::text AS table, ${keyColumns("c.conrelid", "c.conkey")} AS columns,
            c.confrelid::regclass::text AS references, ${keyColumns("c.confrelid", "c.confkey")} AS to,
            CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' ELSE 'SET DEFAULT' END AS on_delete
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`,
  );
  for (const constraint of constraints.rows) {
    if (constraint.contype === "p") schema.primaryKeys.add(`${constraint.table}(${constraint.columns})`);
    if (constraint.contype === "u") schema.uniques.add(`${constraint.table}(${constraint.columns})`);
    if (constraint.contype === "f") schema.foreignKeys.add(`${constraint.table}(${constraint.columns}) → ${constraint.references}(${constraint.to}) ON DELETE ${constraint.on_delete}`);
  }
  // Indexes that are not a constraint's (those made by CREATE INDEX).
  const indexes = await pool.query<{ name: string; table: string; columns: string[]; unique: boolean; partial: boolean }>(
    `SELECT i.relname AS name, t.relname AS table, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
            ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnatts) k ORDER BY k) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
  );
  for (const index of indexes.rows) {
    // SQLite's indexes end with the rowid implicitly; lower(name) is what COLLATE NOCASE was.
    const columns = index.columns.filter((column, at) => !(column === "rowid" && at === index.columns.length - 1)).map((column) => column.replace(/^lower\((\w+)\)$/, "$1"));
    schema.indexes.add(`${index.name} ON ${index.table}(${columns.join(", ")})${index.unique ? " unique" : ""}${index.partial ? " partial" : ""}`);
  }
  return schema;
}

/** A fresh database for one test: `open` gives pools on it (each like another server process); all are ended and the database dropped afterwards. */
async function withDatabase(use: (open: () => pg.Pool) => Promise<void>): Promise<void> {
  const name = `sidecar_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const pools: pg.Pool[] = [];
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL as string);
    url.pathname = `/${name}`;
    await use(() => {
      const pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
      // pool.end() resolves before its connections have closed, so dropping the database may end one
      // still closing: an error on an idle connection, which the pool re-emits (and is thrown if unheard).
      pool.on("error", () => undefined);
      pools.push(pool);
      return pool;
    });
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const describeWithPostgres = ADMIN_URL ? describe : describe.skip;
const title = ADMIN_URL
  ? "the PostgreSQL schema and its migration"
  : "the PostgreSQL schema and its migration (skipped: set SIDECAR_TEST_DATABASE_URL to an admin address of a throwaway PostgreSQL cluster)";

describeWithPostgres(title, () => {
  jest.setTimeout(60_000);

  test("applies to an empty database, and has every table and column of the SQLite schema, with the same types, keys and indexes", async () => {
    await withDatabase(async (open) => {
      const pool = open();
      expect(await migratePostgres(pool)).toEqual({ from: 0, to: postgresMigrations.length });
      const sqlite = sqliteSchema();
      const postgres = await postgresSchema(pool);

      expect([...postgres.columns.keys()].filter((table) => !POSTGRES_ONLY_TABLES.has(table)).sort()).toEqual([...sqlite.columns.keys()].sort());
      for (const [table, columns] of sqlite.columns) {
        const shared = (postgres.columns.get(table) ?? []).filter(
          (column) => !POSTGRES_ONLY_COLUMNS.has(column.name) && !(table === "batch_jobs" && POSTGRES_ONLY_BATCH_COLUMNS.has(column.name)),
        );
        const byName = (list: Column[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
        expect({ table, columns: byName(shared) }).toEqual({ table, columns: byName(columns) });
      }
      const sqliteOnly = (postgresSet: Set<string>, sqliteSet: Set<string>) => [...sqliteSet].filter((entry) => !postgresSet.has(entry));
      expect(sqliteOnly(postgres.primaryKeys, sqlite.primaryKeys)).toEqual([]);
      expect(sqliteOnly(postgres.uniques, sqlite.uniques)).toEqual([]);
      expect(sqliteOnly(postgres.foreignKeys, sqlite.foreignKeys)).toEqual([]);
      expect(sqliteOnly(postgres.indexes, sqlite.indexes)).toEqual([]);

      // SQLite's implicit rowid, where the stores order by it: insertion order.
      for (const table of ROWID_TABLES) {
        expect({ table, rowid: postgres.columns.get(table)?.find((column) => column.name === "rowid") }).toEqual({
          table,
          rowid: { name: "rowid", type: "bigint", notNull: true, default: null },
        });
      }
      expect(postgres.columns.get("passages")?.find((column) => column.name === "search_vector")).toEqual({ name: "search_vector", type: "tsvector", notNull: true, default: null });
      expect(postgres.columns.get("stored_file_chunks")?.map((column) => `${column.name} ${column.type}`)).toEqual(["name text", "chunk_index integer", "bytes bytea"]);
      expect(postgres.columns.get("sign_in_attempts")?.map((column) => column.name)).toEqual(["scope", "key", "failures", "last_failed_at", "locked_until"]);
      expect(postgres.columns.get("batch_jobs")?.filter((column) => POSTGRES_ONLY_BATCH_COLUMNS.has(column.name))).toEqual([
        { name: "ticket", type: "text", notNull: false, default: null },
        { name: "working", type: "smallint", notNull: true, default: "0" },
      ]);

      // Nothing left to do the second time.
      expect(await migratePostgres(pool)).toEqual({ from: postgresMigrations.length, to: postgresMigrations.length });
    });
  });

  test("three processes migrating at the same moment all succeed, and each migration is applied once", async () => {
    await withDatabase(async (open) => {
      // A second migration that takes a while: without the lock, another process would apply it too (and fail on the table).
      const known = [...postgresMigrations, "CREATE TABLE migration_probe (id integer PRIMARY KEY); SELECT pg_sleep(0.3);"];
      const pools = [open(), open(), open()];
      const results = await Promise.all(pools.map((pool) => migratePostgres(pool, known)));
      expect(results.map((result) => result.from).sort()).toEqual([0, known.length, known.length]);
      expect(results.every((result) => result.to === known.length)).toBe(true);
      const applied = await pools[0]!.query<{ version: number; times: number }>("SELECT version, COUNT(*)::integer AS times FROM schema_migrations GROUP BY version ORDER BY version");
      expect(applied.rows).toEqual(known.map((_, index) => ({ version: index + 1, times: 1 })));
    });
  });

  test("a database written by a newer Sidecar is refused, in words, and the lock is let go", async () => {
    await withDatabase(async (open) => {
      const pool = open();
      await migratePostgres(pool);
      const newer = postgresMigrations.length + 1;
      await pool.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [newer, new Date().toISOString()]);
      const refusal = migratePostgres(open());
      await expect(refusal).rejects.toBeInstanceOf(StorageVersionError);
      await expect(refusal).rejects.toThrow(
        `The database was written by a newer version of Sidecar (schema ${newer}, this version knows ${postgresMigrations.length}). Update Sidecar or point SIDECAR_DATABASE_URL at another database.`,
      );
      // Another process that knows the newer migration doesn't wait for a lock left behind.
      expect(await migratePostgres(open(), [...postgresMigrations, "SELECT 1"])).toEqual({ from: newer, to: newer });
    });
  });

  test("the 'sidecar' text search configuration stems, ignores diacritics and keeps every word", async () => {
    await withDatabase(async (open) => {
      const pool = open();
      await migratePostgres(pool);
      const matches = async (text: string, query: string, config = "sidecar") =>
        (await pool.query<{ matches: boolean }>("SELECT to_tsvector($1::regconfig, $2) @@ to_tsquery($1::regconfig, $3) AS matches", [config, text, query])).rows[0]?.matches;
      expect(await matches("Nutritional café", "nutrition & cafe")).toBe(true);
      expect(await matches("Nutrition cafe", "nutritional & café")).toBe(true);
      expect(await matches("Crème brûlée, São Paulo", "creme & brulee & sao")).toBe(true);
      expect(await matches("naïve well-known", "naive & known")).toBe(true);
      // FTS5 keeps words that English stop-word lists leave out.
      expect(await matches("To be or not to be", "not & be")).toBe(true);
      expect(await matches("Nutritional café", "nutrition & tea")).toBe(false);
      // 'english' alone keeps the accents: the configuration is what removes them.
      expect(await matches("Nutritional café", "nutrition & cafe", "english")).toBe(false);
    });
  });

  test("an organization's term counts follow its documents' terms: up on insert, down on delete (also when the document goes)", async () => {
    await withDatabase(async (open) => {
      const pool = open();
      await migratePostgres(pool);
      const now = new Date().toISOString();
      await pool.query("INSERT INTO organizations (id, name, created_at) VALUES ('org', 'Acme', $1), ('other', 'Other', $1)", [now]);
      for (const [id, organization] of [["a", "org"], ["b", "org"], ["c", "other"]]) {
        await pool.query(
          `INSERT INTO documents (document_id, organization_id, kind, document_name, s3_key, status, created_at, updated_at)
           VALUES ($1, $2, 'local', $1, $1, 'Ready', $3, $3)`,
          [id, organization, now],
        );
      }
      const addTerms = (document: string, organization: string, terms: string[]) =>
        pool.query(
          `INSERT INTO document_terms (document_id, organization_id, term) SELECT $1, $2, unnest($3::text[])
           ON CONFLICT (document_id, term) DO NOTHING`,
          [document, organization, terms],
        );
      const counts = async () =>
        Object.fromEntries(
          (await pool.query<{ key: string; documents: number }>("SELECT organization_id || ':' || term AS key, documents::integer AS documents FROM organization_terms ORDER BY 1")).rows.map(
            (row) => [row.key, row.documents],
          ),
        );

      await addTerms("a", "org", ["bees", "honey"]);
      await addTerms("b", "org", ["bees", "wax"]);
      await addTerms("c", "other", ["bees"]);
      expect(await counts()).toEqual({ "org:bees": 2, "org:honey": 1, "org:wax": 1, "other:bees": 1 });
      // A term the document already has is not counted again.
      await addTerms("a", "org", ["bees"]);
      expect((await counts())["org:bees"]).toBe(2);

      await pool.query("DELETE FROM document_terms WHERE document_id = 'b' AND term = 'wax'");
      expect(await counts()).toEqual({ "org:bees": 2, "org:honey": 1, "org:wax": 0, "other:bees": 1 });
      await pool.query("DELETE FROM documents WHERE document_id = 'a'");
      expect(await counts()).toEqual({ "org:bees": 1, "org:honey": 0, "org:wax": 0, "other:bees": 1 });
    });
  });

  test("names and e-mails are unique without regard to case, as SQLite's COLLATE NOCASE", async () => {
    await withDatabase(async (open) => {
      const pool = open();
      await migratePostgres(pool);
      const now = new Date().toISOString();
      await pool.query("INSERT INTO organizations (id, name, created_at) VALUES ('org', 'Acme', $1)", [now]);
      await expect(pool.query("INSERT INTO organizations (id, name, created_at) VALUES ('org2', 'ACME', $1)", [now])).rejects.toThrow(/duplicate key/);
      expect((await pool.query("SELECT id FROM organizations WHERE name = $1", ["acme"])).rows).toEqual([{ id: "org" }]);
      await pool.query("INSERT INTO users (id, organization_id, email, password_hash, created_at) VALUES ('u', 'org', 'Pat@Acme.example', 'x', $1)", [now]);
      expect((await pool.query("SELECT id FROM users WHERE email = $1", ["pat@acme.EXAMPLE"])).rows).toEqual([{ id: "u" }]);
      await pool.query("INSERT INTO document_sets (document_set_id, organization_id, document_set_name, created_at) VALUES ('s', 'org', 'Reports', $1)", [now]);
      await expect(
        pool.query("INSERT INTO document_sets (document_set_id, organization_id, document_set_name, created_at) VALUES ('s2', 'org', 'REPORTS', $1)", [now]),
      ).rejects.toThrow(/duplicate key/);
    });
  });
});
