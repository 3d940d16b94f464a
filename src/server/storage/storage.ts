// The ONE place that opens the database and the file store; everything else asks its stores.
//
// Two engines behind the same stores (storage/sql.ts):
//  - SQLite (the default): one server process owns a data directory —
//      sidecar.db (+ -wal, -shm)   SQLite in WAL mode
//      files/<uuid>.docx           stored documents, named by the server, never by the uploader
//      tmp/<uuid>.upload           uploads in progress (removed when rejected, renamed when kept)
//      tmp/<uuid>.generated        generated documents being written (renamed when complete)
//  - PostgreSQL (SIDECAR_DATABASE_URL=postgres://…): any number of processes share one database,
//    rows and files alike (files in stored_files/stored_file_chunks, storage/file-store.ts); the
//    data directory only holds each process's tmp/ (uploads in progress).
//
// Opens the directory (locked against a second server, permissions tightened) and the database
// (schema migrated: storage/migrations.ts for SQLite, storage/postgres-migrations.ts for
// PostgreSQL); each table group has its own store, reached through this class: users, signIns,
// files, documents, templates, documentSets, passages, generation, chat, corpora, batch, otp, terms.
//
// Durability: an upload is fsynced before it is kept, and the file is kept in the same transaction
// as its row (renamed into files/ and the directory fsynced; or written as rows), so after a crash
// (kill -9, power loss) a row never points at a missing or half-written file.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { BatchStore } from "./batch-store";
import { ChatStore } from "./chat-store";
import { CorpusStore } from "./corpus-store";
import { lockDataDir, type DataDirLock } from "./data-dir-lock";
import { DocumentSetStore } from "./document-set-store";
import { DocumentStore } from "./document-store";
import { makePrivate, PRIVATE_DIR_MODE } from "./file-modes";
import { DirectoryFileStore, PostgresFileStore, type FileStore } from "./file-store";
import { GenerationStore } from "./generation-store";
import { migrations } from "./migrations";
import { migratePostgres } from "./postgres-migrate";
import { PostgresSql, SqliteSql, type Engine, type Sql } from "./sql";
import { StorageVersionError } from "./storage-errors";
import { OtpStore } from "./otp-store";
import { PassageStore, registerSearchFunctions } from "./passage-store";
import { SignInAttemptStore } from "./sign-in-attempt-store";
import { SignInStore } from "./sign-in-store";
import { TemplateStore } from "./template-store";
import { TermStore } from "./term-store";
import { UserStore } from "./user-store";
import { nowIso } from "./util";

export { StorageVersionError };

const DB_FILE = "sidecar.db";

/** Where the data lives: a directory (SQLite and files/), or a PostgreSQL database (rows and files). */
export type StorageLocation = { dataDir: string; databaseUrl?: undefined } | { databaseUrl: string; dataDir: string };

export class Storage {
  readonly users: UserStore;
  readonly signIns: SignInStore;
  readonly signInAttempts: SignInAttemptStore;
  readonly documents: DocumentStore;
  readonly templates: TemplateStore;
  readonly documentSets: DocumentSetStore;
  readonly passages: PassageStore;
  readonly generation: GenerationStore;
  readonly chat: ChatStore;
  readonly corpora: CorpusStore;
  readonly batch: BatchStore;
  readonly otp: OtpStore;
  readonly terms: TermStore;

  private closed = false;

  private constructor(
    /** Local scratch space (uploads in progress); the SQLite database and files too, when not on PostgreSQL. */
    readonly dataDir: string,
    readonly sql: Sql,
    readonly files: FileStore,
    private readonly closeEngine: () => Promise<void>,
  ) {
    this.users = new UserStore(sql);
    this.signIns = new SignInStore(sql);
    this.signInAttempts = new SignInAttemptStore(sql);
    this.documents = new DocumentStore(sql, files);
    this.templates = new TemplateStore(sql);
    this.documentSets = new DocumentSetStore(sql);
    this.passages = new PassageStore(sql);
    this.generation = new GenerationStore(sql, files, (documentId) => this.documents.forgetRow(documentId));
    this.chat = new ChatStore(sql);
    this.corpora = new CorpusStore(sql);
    this.batch = new BatchStore(sql);
    this.otp = new OtpStore(sql);
    this.terms = new TermStore(sql);
  }

  get engine(): Engine {
    return this.sql.engine;
  }

  /** This process's hold on the data directory (released on close; SQLite only). */
  lock: DataDirLock | undefined;

  /** Paths whose permissions were tightened to 0700/0600 when the data directory was opened. */
  tightenedPaths: string[] = [];

  /**
   * Opens the storage and brings the schema up to date: PostgreSQL when `databaseUrl` is given
   * (several processes may share it; migrations take an advisory lock), else SQLite in `dataDir`
   * (one process: the directory is locked).
   */
  static async open(location: StorageLocation | string, options: { lock?: boolean; poolSize?: number } = {}): Promise<Storage> {
    const where = typeof location === "string" ? { dataDir: location } : location;
    if (where.databaseUrl) return Storage.openPostgres(where.databaseUrl, where.dataDir, options.poolSize);
    return Storage.openSqlite(where.dataDir, options);
  }

  private static async openPostgres(databaseUrl: string, dataDir: string, poolSize?: number): Promise<Storage> {
    fs.mkdirSync(path.join(dataDir, "tmp"), { recursive: true, mode: PRIVATE_DIR_MODE });
    const sql = PostgresSql.connect(databaseUrl, { max: poolSize });
    try {
      await migratePostgres(sql.pool);
    } catch (error) {
      await sql.close();
      throw error;
    }
    const storage = new Storage(dataDir, sql, new PostgresFileStore(sql, path.join(dataDir, "tmp")), () => sql.close());
    storage.tightenedPaths = makePrivate(dataDir);
    return storage;
  }

  private static openSqlite(dataDir: string, options: { lock?: boolean }): Storage {
    fs.mkdirSync(path.join(dataDir, "files"), { recursive: true, mode: PRIVATE_DIR_MODE });
    fs.mkdirSync(path.join(dataDir, "tmp"), { recursive: true, mode: PRIVATE_DIR_MODE });
    // A tool that only adds a row while the server runs (user:add) opens it without the lock.
    const lock = options.lock === false ? { tookOverFrom: null, release: () => undefined } : lockDataDir(dataDir);
    let db: Database.Database;
    try {
      db = new Database(path.join(dataDir, DB_FILE));
    } catch (error) {
      lock.release();
      throw damaged(error, dataDir);
    }
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 5000");
      // Before the migrations: the search index's (10) call them.
      registerSearchFunctions(db);
      migrate(db);
    } catch (error) {
      db.close();
      lock.release();
      throw damaged(error, dataDir);
    }
    reusePreparedStatements(db);
    const sql = new SqliteSql(db);
    const storage = new Storage(dataDir, sql, new DirectoryFileStore(sql, dataDir), () => sql.close());
    storage.lock = lock;
    // After the database (and its -wal, -shm) exist, so they are included.
    storage.tightenedPaths = makePrivate(dataDir);
    return storage;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.closeEngine();
    } finally {
      this.lock?.release();
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * A server secret kept in the database: made once (32 random bytes, base64url) the first time
   * it is asked for, the same value ever after — in every process sharing the database.
   */
  async serverSecret(name: string): Promise<string> {
    await this.sql.run("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [
      name,
      randomBytes(32).toString("base64url"),
      nowIso(),
    ]);
    const row = await this.sql.get<{ value: string }>("SELECT value FROM server_secrets WHERE name = ?", [name]);
    return (row as { value: string }).value;
  }
}

/** Statements kept per connection, at most (the stores' SQL is a fixed set; this only bounds it). */
const MAX_CACHED_STATEMENTS = 500;

/**
 * Makes `db.prepare` return the statement it prepared before for the same SQL: the stores prepare
 * their statements where they use them, and preparing again on every request cost a chat about a
 * tenth of its time on the main thread (measured under 10 concurrent chats). The stores use
 * statements only with get/all/run, never in a mode (pluck, raw) that would carry over.
 */
function reusePreparedStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  }) as Database.Database["prepare"];
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > migrations.length) {
    throw new StorageVersionError(
      `The database was written by a newer version of Sidecar (schema ${version}, this version knows ${migrations.length}). Update Sidecar or use another SIDECAR_DATA_DIR.`,
    );
  }
  for (let index = version; index < migrations.length; index++) {
    db.transaction(() => {
      db.exec(migrations[index] as string);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
}

/** Thrown when the database file is not a readable SQLite database (damaged, or not one at all). */
export class DatabaseDamagedError extends Error {
  constructor(readonly file: string, options?: { cause?: unknown }) {
    super(
      `The database ${file} is damaged (it is not a readable SQLite database). Restore it from a backup, or move it aside (with its -wal and -shm files) to start with an empty one; the stored documents in ${path.join(path.dirname(file), "files")} stay where they are.`,
      options,
    );
    this.name = "DatabaseDamagedError";
  }
}

/** A damaged database file as a DatabaseDamagedError; any other error as it is. */
function damaged(error: unknown, dataDir: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB" || (typeof code === "string" && code.startsWith("SQLITE_CORRUPT"))) {
    return new DatabaseDamagedError(path.join(dataDir, DB_FILE), { cause: error });
  }
  return error;
}
