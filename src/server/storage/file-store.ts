// The files of stored documents, behind one small interface (FileStore) with one implementation
// per engine: a directory (files/ beside the SQLite database) or PostgreSQL (stored_files and
// stored_file_chunks, so that every server process can serve every file). Another store (an
// S3-compatible bucket, say) would be a third implementation of the same interface.
//
// Both keep uploads and downloads in progress in a local tmp/ directory (TempFiles): uploads are
// hashed and counted as they stream in and fsynced before anyone keeps them; `keep` is called in
// the same transaction as the document's row (DocumentStore.storeLocal, GenerationStore.complete).
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { DocumentRow } from "./document-row";
import { PRIVATE_FILE_MODE } from "./file-modes";
import type { Sql } from "./sql";
import { fsyncDirectory, removeQuietly, writeFileDurably } from "./util";

export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  sizeBytes: number;
}

/** A stored file comes from a verified temp file (an upload) or from bytes in memory (a generated document). */
export type FileSource = { tempPath: string } | { bytes: Uint8Array };

type Stored = Pick<DocumentRow, "stored_file_name">;

export interface FileStore {
  /** This process's directory for files in progress. */
  readonly tmpDir: string;
  receiveUpload(source: AsyncIterable<Buffer>): Promise<ReceivedFile>;
  claimTemp(tempPath: string): void;
  releaseTemp(tempPath: string): void;
  sweepTemp(): number;
  discardTemp(tempPath: string): void;
  /**
   * Keeps `source` as the stored file `name`, replacing one of that name. Call it inside the
   * transaction that writes the row naming it; if that transaction fails, call `discard(name)`.
   */
  keep(name: string, source: FileSource): Promise<void>;
  /** Removes a stored file (one whose row was never committed). */
  discard(name: string): Promise<void>;
  /** A document's file, whole; null when it has none or it is missing. */
  read(document: Stored): Promise<Buffer | null>;
  /** Whether the document's file is there. */
  exists(document: Stored): Promise<boolean>;
  /**
   * Runs `fn` with the path of a local file holding the document's bytes (the stored file itself,
   * or a temp copy removed afterwards); null, without calling fn, when there is no such file.
   */
  withLocalFile<T>(document: Stored, fn: (filePath: string) => Promise<T>): Promise<T | null>;
  /**
   * Removes what a crash can leave behind, at start-up: temp files, and stored files no row refers
   * to (a crash between keeping the file and committing its row) older than `olderThanMs`.
   */
  removeLeftovers(olderThanMs: number): Promise<{ removed: number }>;
}

/** Files in progress under a local tmp/ directory, shared by both stores. */
abstract class TempFiles {
  /** Temp files being written or waiting to be kept: the sweep leaves them alone. */
  private readonly activeTemps = new Set<string>();

  constructor(readonly tmpDir: string) {}

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
  discardTemp(tempPath: string): void {
    if (path.dirname(tempPath) !== this.tmpDir) throw new Error(`not a temp file: ${tempPath}`);
    removeQuietly(tempPath);
    this.releaseTemp(tempPath);
  }

  /** A new temp file's path, claimed until `fn` is done, then removed. */
  protected async withTemp<T>(suffix: string, fn: (tempPath: string) => Promise<T>): Promise<T> {
    const tempPath = path.join(this.tmpDir, `${randomUUID()}${suffix}`);
    this.claimTemp(tempPath);
    try {
      return await fn(tempPath);
    } finally {
      removeQuietly(tempPath);
      this.releaseTemp(tempPath);
    }
  }
}

/** Stored files in files/ under the data directory (SQLite). */
export class DirectoryFileStore extends TempFiles implements FileStore {
  readonly filesDir: string;

  constructor(
    private readonly sql: Sql,
    dataDir: string,
  ) {
    super(path.join(dataDir, "tmp"));
    this.filesDir = path.join(dataDir, "files");
  }

  async keep(name: string, source: FileSource): Promise<void> {
    const target = this.pathOfName(name);
    if ("tempPath" in source) {
      fs.renameSync(source.tempPath, target);
      this.releaseTemp(source.tempPath);
    } else {
      const tempPath = path.join(this.tmpDir, `${randomUUID()}.generated`);
      writeFileDurably(tempPath, source.bytes);
      try {
        fs.renameSync(tempPath, target);
      } finally {
        removeQuietly(tempPath);
      }
    }
    fsyncDirectory(this.filesDir);
  }

  async discard(name: string): Promise<void> {
    removeQuietly(this.pathOfName(name));
  }

  async read(document: Stored): Promise<Buffer | null> {
    const file = this.pathOf(document);
    if (!file) return null;
    try {
      return await fsp.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async exists(document: Stored): Promise<boolean> {
    const file = this.pathOf(document);
    return file !== null && fs.existsSync(file);
  }

  async withLocalFile<T>(document: Stored, fn: (filePath: string) => Promise<T>): Promise<T | null> {
    const file = this.pathOf(document);
    if (!file || !fs.existsSync(file)) return null;
    return fn(file);
  }

  /** Where a document's stored file is (null for a document without one, such as a failed generation). */
  pathOf(document: Stored): string | null {
    return document.stored_file_name ? this.pathOfName(document.stored_file_name) : null;
  }

  async removeLeftovers(olderThanMs: number): Promise<{ removed: number }> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const isOld = (file: string) => {
      try {
        return fs.statSync(file).mtimeMs < cutoff;
      } catch {
        return false;
      }
    };
    // At start-up nothing is in flight: every temp file is a leftover (the directory is locked).
    removed += this.sweepTemp();
    for (const name of fs.readdirSync(this.filesDir)) {
      const file = path.join(this.filesDir, name);
      const known = await this.sql.get("SELECT 1 AS known FROM documents WHERE stored_file_name = ?", [name]);
      if (!known && isOld(file)) {
        removeQuietly(file);
        removed++;
      }
    }
    return { removed };
  }

  private pathOfName(name: string): string {
    if (path.basename(name) !== name) throw new Error(`not a stored file name: ${name}`);
    return path.join(this.filesDir, name);
  }
}

/** Bytes per row of stored_file_chunks: a .docx of the upload limit is a handful of rows. */
export const FILE_CHUNK_BYTES = 1024 * 1024;

/** Stored files as rows of the PostgreSQL database, in chunks of FILE_CHUNK_BYTES (bytea). */
export class PostgresFileStore extends TempFiles implements FileStore {
  constructor(
    private readonly sql: Sql,
    tmpDir: string,
  ) {
    super(tmpDir);
  }

  async keep(name: string, source: FileSource): Promise<void> {
    const bytes = "tempPath" in source ? await fsp.readFile(source.tempPath) : Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await this.sql.transaction(async () => {
      await this.sql.run("DELETE FROM stored_files WHERE name = ?", [name]);
      await this.sql.run("INSERT INTO stored_files (name, size_bytes, sha256, created_at) VALUES (?, ?, ?, ?)", [
        name,
        bytes.length,
        sha256,
        new Date().toISOString(),
      ]);
      for (let index = 0, offset = 0; offset < bytes.length || index === 0; index++, offset += FILE_CHUNK_BYTES) {
        await this.sql.run("INSERT INTO stored_file_chunks (name, chunk_index, bytes) VALUES (?, ?, ?)", [
          name,
          index,
          bytes.subarray(offset, offset + FILE_CHUNK_BYTES),
        ]);
      }
    });
    // The upload is in the database now (committed with its row by the caller's transaction).
    if ("tempPath" in source) {
      removeQuietly(source.tempPath);
      this.releaseTemp(source.tempPath);
    }
  }

  async discard(name: string): Promise<void> {
    await this.sql.run("DELETE FROM stored_files WHERE name = ?", [name]);
  }

  async read(document: Stored): Promise<Buffer | null> {
    if (!document.stored_file_name) return null;
    // One statement, so one snapshot: a file replaced meanwhile is read whole, old or new.
    const chunks = await this.sql.all<{ bytes: Buffer }>(
      "SELECT c.bytes FROM stored_files f JOIN stored_file_chunks c ON c.name = f.name WHERE f.name = ? ORDER BY c.chunk_index",
      [document.stored_file_name],
    );
    if (chunks.length === 0) return null;
    return Buffer.concat(chunks.map((chunk) => chunk.bytes));
  }

  async exists(document: Stored): Promise<boolean> {
    if (!document.stored_file_name) return false;
    return (await this.sql.get("SELECT 1 AS found FROM stored_files WHERE name = ?", [document.stored_file_name])) !== undefined;
  }

  async withLocalFile<T>(document: Stored, fn: (filePath: string) => Promise<T>): Promise<T | null> {
    const bytes = await this.read(document);
    if (!bytes) return null;
    return this.withTemp(".download", async (tempPath) => {
      writeFileDurably(tempPath, bytes);
      return fn(tempPath);
    });
  }

  async removeLeftovers(olderThanMs: number): Promise<{ removed: number }> {
    // Only this process's temp files: other processes share the database, not tmp/.
    let removed = this.sweepTemp();
    const cutoff = new Date(Date.now() - olderThanMs).toISOString();
    removed += (
      await this.sql.run(
        `DELETE FROM stored_files f WHERE f.created_at < ?
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.stored_file_name = f.name)`,
        [cutoff],
      )
    ).changes;
    return { removed };
  }
}
