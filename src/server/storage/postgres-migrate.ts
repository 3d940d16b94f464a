// Brings a PostgreSQL database's schema up to date (postgres-migrations.ts), as storage.ts's
// migrate() does for SQLite. schema_migrations has a row per migration applied (version = its
// number, from 1); each migration runs in its own transaction together with its row.
//
// Several server processes may start at once against one database: each takes the same
// session-level advisory lock first, so one migrates while the others wait, then find nothing
// left to do.
import type { Pool, PoolClient } from "pg";
import { postgresMigrations } from "./postgres-migrations";
import { StorageVersionError } from "./storage-errors";

/**
 * The advisory lock's key: the bytes of "sidecar" read as a big-endian number. Advisory locks are
 * per database, so servers using other databases of the same cluster don't wait on each other.
 */
const MIGRATION_LOCK_KEY = "32485502240383346";

/** Applies the migrations the database lacks; `from` and `to` are the schema versions before and after. */
export async function migratePostgres(pool: Pool, migrations: readonly string[] = postgresMigrations): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)");
    const { rows } = await client.query<{ version: number }>("SELECT COALESCE(MAX(version), 0)::integer AS version FROM schema_migrations");
    const from = rows[0]?.version ?? 0;
    if (from > migrations.length) {
      throw new StorageVersionError(
        `The database was written by a newer version of Sidecar (schema ${from}, this version knows ${migrations.length}). Update Sidecar or point SIDECAR_DATABASE_URL at another database.`,
      );
    }
    for (let index = from; index < migrations.length; index++) {
      await client.query("BEGIN");
      try {
        await client.query(migrations[index] as string);
        await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [index + 1, new Date().toISOString()]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    }
    return { from, to: migrations.length };
  } finally {
    await release(client);
  }
}

/** Unlocks and gives the connection back; a connection that can't unlock is closed instead (which ends its lock). */
async function release(client: PoolClient): Promise<void> {
  try {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : new Error(String(error)));
  }
}
