// Small helpers shared by the storage modules (and only by them).
import type Database from "better-sqlite3";
import fs from "node:fs";

export function nowIso(): string {
  return new Date().toISOString();
}

export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Writes `bytes` to a new file and fsyncs it before returning. */
export function writeFileDurably(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, "wx", 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The one INSERT of a documents row (uploaded and generated documents alike). */
export function insertDocumentRow(db: Database.Database, document: object): void {
  db.prepare(
    `INSERT INTO documents (document_id, organization_id, kind, document_name, s3_key, stored_file_name,
       sha256, size_bytes, status, workspace_id, template_json, uploaded_by, created_at, updated_at)
     VALUES (@document_id, @organization_id, @kind, @document_name, @s3_key, @stored_file_name,
       @sha256, @size_bytes, @status, @workspace_id, @template_json, @uploaded_by, @created_at, @updated_at)`,
  ).run(document);
}
