// The ONE module that talks to SQLite and to the files directory. Everything else asks it.
//
// Layout of the data directory:
//   sidecar.db (+ -wal, -shm)   SQLite in WAL mode
//   files/<uuid>.docx           stored documents, named by the server, never by the uploader
//   tmp/<uuid>.upload           uploads in progress (removed when rejected, renamed when kept)
//   tmp/<uuid>.generated        generated documents being written (renamed when complete)
//
// Tables beyond users and documents have their own modules, reached through this class:
// templates, documentSets, passages, generation, chat, corpora, batch.
//
// Durability: uploads are fsynced before they are renamed into files/, the directory is fsynced
// after the rename, and the row is committed in the same transaction as the rename, so after a
// crash (kill -9, power loss) a row never points at a missing or half-written file.
import { lockDataDir, type DataDirLock } from "./data-dir-lock";
import { insertDocumentRow, newDocumentRow, type DocumentRow } from "./document-row";
import { makePrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "./file-modes";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { BatchStore } from "./batch-store";
import { ChatStore } from "./chat-store";
import { CorpusStore } from "./corpus-store";
import { DocumentSetStore } from "./document-set-store";
import { GenerationStore } from "./generation-store";
import { migrations } from "./migrations";
import { OtpStore } from "./otp-store";
import { PassageStore } from "./passage-store";
import { TemplateStore } from "./template-store";
import { fsyncDirectory, nowIso, removeQuietly } from "./util";

export interface OrganizationRow {
  id: string;
  name: string;
  created_at: string;
}

export interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

export interface UserWithOrganization extends UserRow {
  organization_name: string;
}

export type TokenKind = "refresh" | "api";

/**
 * Which services accept a sign-in's tokens: "sidecar" (the Ejento sign-ins, this server's own
 * one-sign-in) every face, "documents" only the documents service, "batch" only the tag generator.
 */
export type SignInFace = "sidecar" | "documents" | "batch";

export interface NewToken {
  tokenHash: string;
  kind: TokenKind;
  expiresAt: number;
}

/** A stored token with everything needed to decide whether it is still good. */
export interface TokenRecord {
  kind: TokenKind;
  expiresAt: number;
  revoked: boolean;
  signInId: string;
  signInExpiresAt: number;
  signInRevoked: boolean;
  face: SignInFace;
  userId: string;
  email: string;
  organizationId: string;
  organizationName: string;
}

export type { DocumentRow } from "./document-row";

export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  sizeBytes: number;
}

export interface NewLocalDocument {
  tempPath: string;
  organizationId: string;
  uploadedBy: string;
  documentName: string;
  sha256: string;
  sizeBytes: number;
}

export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`A user with the e-mail ${email} already exists.`);
    this.name = "EmailTakenError";
  }
}

export class StorageVersionError extends Error {
  override name = "StorageVersionError";
}

const DB_FILE = "sidecar.db";

export class Storage {
  readonly filesDir: string;
  readonly tmpDir: string;
  readonly dbPath: string;
  readonly templates: TemplateStore;
  readonly documentSets: DocumentSetStore;
  readonly passages: PassageStore;
  readonly generation: GenerationStore;
  readonly chat: ChatStore;
  readonly corpora: CorpusStore;
  readonly batch: BatchStore;
  readonly otp: OtpStore;

  /** Prepared statements of the queries every request makes (a token, a document), made once. */
  private readonly hotStatements = new Map<string, Database.Statement>();

  private constructor(
    readonly dataDir: string,
    private readonly db: Database.Database,
  ) {
    this.filesDir = path.join(dataDir, "files");
    this.tmpDir = path.join(dataDir, "tmp");
    this.dbPath = path.join(dataDir, DB_FILE);
    this.templates = new TemplateStore(db);
    this.documentSets = new DocumentSetStore(db);
    this.passages = new PassageStore(db);
    this.generation = new GenerationStore(db, this.filesDir, this.tmpDir);
    this.chat = new ChatStore(db);
    this.corpora = new CorpusStore(db);
    this.batch = new BatchStore(db);
    this.otp = new OtpStore(db);
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
      migrate(db);
    } catch (error) {
      db.close();
      lock.release();
      throw damaged(error, dataDir);
    }
    const storage = new Storage(dataDir, db);
    storage.lock = lock;
    // After the database (and its -wal, -shm) exist, so they are included.
    storage.tightenedPaths = makePrivate(dataDir);
    return storage;
  }

  /** The prepared statement for `sql`, prepared on first use (for queries on every request's path). */
  private hot(sql: string): Database.Statement {
    let statement = this.hotStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.hotStatements.set(sql, statement);
    }
    return statement;
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

  // ---- organizations and users ---------------------------------------------------------------

  findOrganizationByName(name: string): OrganizationRow | undefined {
    return this.db.prepare("SELECT * FROM organizations WHERE name = ? COLLATE NOCASE").get(name) as OrganizationRow | undefined;
  }

  countUsers(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM users").get() as { n: number }).n;
  }

  findUserByEmail(email: string): UserWithOrganization | undefined {
    return this.db
      .prepare(
        `SELECT u.*, o.name AS organization_name FROM users u
         JOIN organizations o ON o.id = u.organization_id
         WHERE u.email = ? COLLATE NOCASE`,
      )
      .get(email) as UserWithOrganization | undefined;
  }

  findUserById(id: string): UserWithOrganization | undefined {
    return this.db
      .prepare(
        `SELECT u.*, o.name AS organization_name FROM users u
         JOIN organizations o ON o.id = u.organization_id
         WHERE u.id = ?`,
      )
      .get(id) as UserWithOrganization | undefined;
  }

  /** Every user with their organization's name, by organization then e-mail (no password hashes). */
  listUsers(): Array<Omit<UserWithOrganization, "password_hash">> {
    return this.db
      .prepare(
        `SELECT u.id, u.organization_id, u.email, u.created_at, o.name AS organization_name FROM users u
         JOIN organizations o ON o.id = u.organization_id
         ORDER BY o.name COLLATE NOCASE, u.email COLLATE NOCASE`,
      )
      .all() as Array<Omit<UserWithOrganization, "password_hash">>;
  }

  /**
   * Adds a user, creating the organization when no organization of that name (compared without
   * case) exists. Throws EmailTakenError when the e-mail is taken, in any organization.
   */
  addUser(input: { organizationName: string; email: string; passwordHash: string }): {
    user: UserRow;
    organization: OrganizationRow;
    organizationCreated: boolean;
  } {
    return this.db.transaction(() => {
      if (this.findUserByEmail(input.email)) throw new EmailTakenError(input.email);
      let organization = this.db
        .prepare("SELECT * FROM organizations WHERE name = ? COLLATE NOCASE")
        .get(input.organizationName) as OrganizationRow | undefined;
      const organizationCreated = !organization;
      if (!organization) {
        organization = { id: randomUUID(), name: input.organizationName, created_at: nowIso() };
        this.db.prepare("INSERT INTO organizations (id, name, created_at) VALUES (@id, @name, @created_at)").run(organization);
      }
      const user: UserRow = {
        id: randomUUID(),
        organization_id: organization.id,
        email: input.email,
        password_hash: input.passwordHash,
        created_at: nowIso(),
      };
      this.db
        .prepare(
          `INSERT INTO users (id, organization_id, email, password_hash, created_at)
           VALUES (@id, @organization_id, @email, @password_hash, @created_at)`,
        )
        .run(user);
      return { user, organization, organizationCreated };
    })();
  }

  // ---- sign-ins and tokens -------------------------------------------------------------------

  createSignIn(userId: string, expiresAt: number, tokens: NewToken[], face: SignInFace = "sidecar"): string {
    const signInId = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO sign_ins (id, user_id, created_at, expires_at, face) VALUES (?, ?, ?, ?, ?)")
        .run(signInId, userId, nowIso(), expiresAt, face);
      this.insertTokens(signInId, tokens);
    })();
    return signInId;
  }

  addTokens(signInId: string, tokens: NewToken[]): void {
    this.db.transaction(() => this.insertTokens(signInId, tokens))();
  }

  private insertTokens(signInId: string, tokens: NewToken[]): void {
    const insert = this.db.prepare(
      "INSERT INTO auth_tokens (token_hash, sign_in_id, kind, expires_at, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    for (const token of tokens) insert.run(token.tokenHash, signInId, token.kind, token.expiresAt, nowIso());
  }

  findToken(tokenHash: string): TokenRecord | undefined {
    const row = this.hot(
      `SELECT t.kind, t.expires_at, t.revoked, s.id AS sign_in_id, s.expires_at AS sign_in_expires_at,
              s.revoked_at, s.face, u.id AS user_id, u.email, o.id AS organization_id, o.name AS organization_name
       FROM auth_tokens t
       JOIN sign_ins s ON s.id = t.sign_in_id
       JOIN users u ON u.id = s.user_id
       JOIN organizations o ON o.id = u.organization_id
       WHERE t.token_hash = ?`,
    ).get(tokenHash) as
      | {
          kind: TokenKind;
          expires_at: number;
          revoked: number;
          sign_in_id: string;
          sign_in_expires_at: number;
          revoked_at: string | null;
          face: SignInFace;
          user_id: string;
          email: string;
          organization_id: string;
          organization_name: string;
        }
      | undefined;
    if (!row) return undefined;
    return {
      kind: row.kind,
      expiresAt: row.expires_at,
      revoked: row.revoked !== 0,
      signInId: row.sign_in_id,
      signInExpiresAt: row.sign_in_expires_at,
      signInRevoked: row.revoked_at !== null,
      face: row.face,
      userId: row.user_id,
      email: row.email,
      organizationId: row.organization_id,
      organizationName: row.organization_name,
    };
  }

  /** Revokes one token (a rotated refresh token); its sign-in and other tokens go on. */
  revokeToken(tokenHash: string): void {
    this.db.prepare("UPDATE auth_tokens SET revoked = 1 WHERE token_hash = ?").run(tokenHash);
  }

  /** Ends a sign-in: it and every token it issued stop working. */
  revokeSignIn(signInId: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE sign_ins SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(nowIso(), signInId);
      this.db.prepare("UPDATE auth_tokens SET revoked = 1 WHERE sign_in_id = ?").run(signInId);
    })();
  }

  /** Forgets sign-ins (and their tokens) that ended before `before` (epoch ms). */
  purgeSignInsExpiredBefore(before: number): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM auth_tokens WHERE expires_at < ?").run(before);
      this.db.prepare("DELETE FROM sign_ins WHERE expires_at < ?").run(before);
    })();
  }

  // ---- files ---------------------------------------------------------------------------------

  /**
   * Streams `source` into a new file under tmp/, hashing and counting as it goes, and fsyncs it.
   * On any error the temp file is removed and the error rethrown.
   */
  async receiveUpload(source: AsyncIterable<Buffer>): Promise<ReceivedFile> {
    const tempPath = path.join(this.tmpDir, `${randomUUID()}.upload`);
    const hash = createHash("sha256");
    let sizeBytes = 0;
    this.claimTemp(tempPath);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(tempPath, "wx", PRIVATE_FILE_MODE);
    } catch (error) {
      this.releaseTemp(tempPath);
      throw error;
    }
    try {
      try {
        for await (const chunk of source) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          await handle.write(chunk);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      removeQuietly(tempPath);
      this.releaseTemp(tempPath);
      throw error;
    }
    return { tempPath, sha256: hash.digest("hex"), sizeBytes };
  }

  /** Temp files being written or waiting to be kept: the sweep leaves them alone. */
  private readonly activeTemps = new Set<string>();

  /** Marks a file under tmp/ as in use (an upload, a download) until releaseTemp. */
  claimTemp(tempPath: string): void {
    this.activeTemps.add(tempPath);
  }

  releaseTemp(tempPath: string): void {
    this.activeTemps.delete(tempPath);
  }

  /**
   * Removes every file under tmp/ that nothing is using — whatever its age: one left by an
   * upload cut off by kill -9 (or a full disk) goes at the next sweep, not only at a restart.
   */
  sweepTemp(): number {
    let removed = 0;
    let names: string[];
    try {
      names = fs.readdirSync(this.tmpDir);
    } catch {
      return 0;
    }
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      if (this.activeTemps.has(file)) continue;
      removeQuietly(file);
      removed++;
    }
    return removed;
  }

  /** Removes a temp file if it is still there (it is gone once stored). */
  discardTempFile(tempPath: string): void {
    if (path.dirname(tempPath) !== this.tmpDir) throw new Error(`not a temp file: ${tempPath}`);
    removeQuietly(tempPath);
    this.releaseTemp(tempPath);
  }

  documentFilePath(document: Pick<DocumentRow, "stored_file_name">): string | null {
    return document.stored_file_name ? path.join(this.filesDir, document.stored_file_name) : null;
  }

  /**
   * Removes what a crash can leave behind, at start-up: every temp file (no other server can be
   * using the directory: it is locked), and stored files no row refers to (a crash between rename
   * and commit) older than `olderThanMs`.
   */
  removeLeftovers(olderThanMs: number): { removed: number } {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const isOld = (file: string) => {
      try {
        return fs.statSync(file).mtimeMs < cutoff;
      } catch {
        return false;
      }
    };
    // At start-up nothing is in flight: every temp file is a leftover.
    removed += this.sweepTemp();
    const known = this.db.prepare("SELECT 1 FROM documents WHERE stored_file_name = ?");
    for (const name of fs.readdirSync(this.filesDir)) {
      const file = path.join(this.filesDir, name);
      if (!known.get(name) && isOld(file)) {
        removeQuietly(file);
        removed++;
      }
    }
    return { removed };
  }

  // ---- documents -----------------------------------------------------------------------------

  /**
   * Keeps an uploaded (already validated) temp file as a local document of the organization.
   * Same bytes under the same name in the same organization → the existing record, created false
   * (the temp file is left for the caller to discard). Otherwise the file is renamed into files/
   * and the row inserted in one transaction.
   */
  storeLocalDocument(input: NewLocalDocument): { document: DocumentRow; created: boolean } {
    let movedTo: string | null = null;
    const store = this.db.transaction(() => {
      const existing = this.db
        .prepare(
          `SELECT * FROM documents
           WHERE kind = 'local' AND organization_id = ? AND document_name = ? AND sha256 = ?`,
        )
        .get(input.organizationId, input.documentName, input.sha256) as DocumentRow | undefined;
      if (existing) return { document: existing, created: false };

      const documentId = randomUUID();
      const document = newDocumentRow({
        document_id: documentId,
        organization_id: input.organizationId,
        kind: "local",
        document_name: input.documentName,
        stored_file_name: `${documentId}.docx`,
        sha256: input.sha256,
        size_bytes: input.sizeBytes,
        status: "Ready",
        uploaded_by: input.uploadedBy,
      });
      insertDocumentRow(this.db, document);
      const target = path.join(this.filesDir, document.stored_file_name as string);
      fs.renameSync(input.tempPath, target);
      this.releaseTemp(input.tempPath);
      movedTo = target;
      fsyncDirectory(this.filesDir);
      return { document, created: true };
    });
    try {
      return store();
    } catch (error) {
      // The transaction rolled back; don't keep a file no row refers to.
      if (movedTo) removeQuietly(movedTo);
      throw error;
    }
  }

  /** Documents of one organization, newest first. */
  /** One page of an organization's documents, newest first, and how many there are in all. */
  listDocumentsPage(organizationId: string, limit: number, offset: number): { rows: DocumentRow[]; total: number } {
    const rows = this.db
      .prepare("SELECT * FROM documents WHERE organization_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?")
      .all(organizationId, limit, offset) as DocumentRow[];
    const { n } = this.db.prepare("SELECT COUNT(*) AS n FROM documents WHERE organization_id = ?").get(organizationId) as { n: number };
    return { rows, total: n };
  }

  listDocuments(organizationId: string): DocumentRow[] {
    return this.db
      .prepare("SELECT * FROM documents WHERE organization_id = ? ORDER BY created_at DESC, rowid DESC")
      .all(organizationId) as DocumentRow[];
  }

  getDocument(documentId: string): DocumentRow | undefined {
    return this.hot("SELECT * FROM documents WHERE document_id = ?").get(documentId) as DocumentRow | undefined;
  }

  findDocumentByS3Key(s3Key: string): DocumentRow | undefined {
    return this.hot("SELECT * FROM documents WHERE s3_key = ?").get(s3Key) as DocumentRow | undefined;
  }
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
