// The files directory: stored documents under files/, uploads and downloads in progress under
// tmp/. Uploads are hashed and counted as they stream in and fsynced before anyone keeps them
// (DocumentStore.storeLocal renames them into files/ in the same transaction as their row).
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type Database from "better-sqlite3";
import type { DocumentRow } from "./document-row";
import { PRIVATE_FILE_MODE } from "./file-modes";
import { removeQuietly } from "./util";

export interface ReceivedFile {
  tempPath: string;
  sha256: string;
  sizeBytes: number;
}

export class FileStore {
  readonly filesDir: string;
  readonly tmpDir: string;

  /** Temp files being written or waiting to be kept: the sweep leaves them alone. */
  private readonly activeTemps = new Set<string>();

  constructor(
    private readonly db: Database.Database,
    dataDir: string,
  ) {
    this.filesDir = path.join(dataDir, "files");
    this.tmpDir = path.join(dataDir, "tmp");
  }

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

  /** Where a document's stored file is (null for a document without one, such as a failed generation). */
  pathOf(document: Pick<DocumentRow, "stored_file_name">): string | null {
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
}
