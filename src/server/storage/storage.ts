// The ONE place that opens SQLite and the files directory; everything else asks its stores.
//
// Layout of the data directory:
//   sidecar.db (+ -wal, -shm)   SQLite in WAL mode
//   files/<uuid>.docx           stored documents, named by the server, never by the uploader
//   tmp/<uuid>.upload           uploads in progress (removed when rejected, renamed when kept)
//   tmp/<uuid>.generated        generated documents being written (renamed when complete)
//
// Opens the directory (locked against a second server, permissions tightened) and the database
// (schema migrated); each table group has its own store, reached through this class: users,
// signIns, files (the files directory), documents, templates, documentSets, passages, generation,
// chat, corpora, batch, otp, terms.
//
// Durability: uploads are fsynced before they are renamed into files/, the directory is fsynced
// after the rename, and the row is committed in the same transaction as the rename, so after a
// crash (kill -9, power loss) a row never points at a missing or half-written file.
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
import { FileStore } from "./file-store";
import { GenerationStore } from "./generation-store";
import { migrations } from "./migrations";
import { OtpStore } from "./otp-store";
import { PassageStore, registerSearchFunctions } from "./passage-store";
import { SignInStore } from "./sign-in-store";
import { TemplateStore } from "./template-store";
import { TermStore } from "./term-store";
import { UserStore } from "./user-store";
import { nowIso } from "./util";

export class StorageVersionError extends Error {
  override name = "StorageVersionError";
}

const DB_FILE = "sidecar.db";

export class Storage {
  readonly dbPath: string;
  readonly users: UserStore;
  readonly signIns: SignInStore;
  readonly files: FileStore;
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

  private constructor(
    readonly dataDir: string,
    private readonly db: Database.Database,
  ) {
    this.dbPath = path.join(dataDir, DB_FILE);
    this.users = new UserStore(db);
    this.signIns = new SignInStore(db);
    this.files = new FileStore(db, dataDir);
    this.documents = new DocumentStore(db, this.files);
    this.templates = new TemplateStore(db);
    this.documentSets = new DocumentSetStore(db);
    this.passages = new PassageStore(db);
    this.generation = new GenerationStore(db, this.files.filesDir, this.files.tmpDir);
    this.chat = new ChatStore(db);
    this.corpora = new CorpusStore(db);
    this.batch = new BatchStore(db);
    this.otp = new OtpStore(db);
    this.terms = new TermStore(db);
  }

  /** This process's hold on the data directory (released on close). */
  lock: DataDirLock | undefined;

  /** Paths whose permissions were tightened to 0700/0600 when the data directory was opened. */
  tightenedPaths: string[] = [];

  /** Opens (creating if needed) the data directory and brings the schema up to date. */
  static open(dataDir: string, options: { lock?: boolean } = {}): Storage {
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
    const storage = new Storage(dataDir, db);
    storage.lock = lock;
    // After the database (and its -wal, -shm) exist, so they are included.
    storage.tightenedPaths = makePrivate(dataDir);
    return storage;
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock?.release();
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /**
   * A server secret kept in the database: made once (32 random bytes, base64url) the first time
   * it is asked for, the same value ever after.
   */
  serverSecret(name: string): string {
    return this.db.transaction(() => {
      this.db
        .prepare("INSERT OR IGNORE INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)")
        .run(name, randomBytes(32).toString("base64url"), nowIso());
      return (this.db.prepare("SELECT value FROM server_secrets WHERE name = ?").get(name) as { value: string }).value;
    })();
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
