// The documents table: uploaded ("local") documents and generated ones (their rows are written by
// GenerationStore through document-row.ts). Statements are prepared once per connection by
// storage.ts (reusePreparedStatements).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { insertDocumentRow, newDocumentRow, type DocumentRow } from "./document-row";
import type { FileStore } from "./file-store";
import { fsyncDirectory, removeQuietly } from "./util";

export interface NewLocalDocument {
  tempPath: string;
  organizationId: string;
  uploadedBy: string;
  documentName: string;
  sha256: string;
  sizeBytes: number;
}

export class DocumentStore {
  constructor(
    private readonly db: Database.Database,
    private readonly files: FileStore,
  ) {}

  /**
   * Keeps an uploaded (already validated) temp file as a local document of the organization.
   * Same bytes under the same name in the same organization → the existing record, created false
   * (the temp file is left for the caller to discard). Otherwise the file is renamed into files/
   * and the row inserted in one transaction.
   */
  storeLocal(input: NewLocalDocument): { document: DocumentRow; created: boolean } {
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
      const target = path.join(this.files.filesDir, document.stored_file_name as string);
      fs.renameSync(input.tempPath, target);
      this.files.releaseTemp(input.tempPath);
      movedTo = target;
      fsyncDirectory(this.files.filesDir);
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

  /** One page of an organization's documents, newest first, and how many there are in all. */
  listPage(organizationId: string, limit: number, offset: number): { rows: DocumentRow[]; total: number } {
    const rows = this.db
      .prepare("SELECT * FROM documents WHERE organization_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?")
      .all(organizationId, limit, offset) as DocumentRow[];
    const { n } = this.db.prepare("SELECT COUNT(*) AS n FROM documents WHERE organization_id = ?").get(organizationId) as { n: number };
    return { rows, total: n };
  }

  /** Every document of one organization, newest first. */
  list(organizationId: string): DocumentRow[] {
    return this.db
      .prepare("SELECT * FROM documents WHERE organization_id = ? ORDER BY created_at DESC, rowid DESC")
      .all(organizationId) as DocumentRow[];
  }

  /** The organization's newest documents that can be read (generated ones only once Ready), at most `limit`. */
  newestReadable(organizationId: string, limit: number): DocumentRow[] {
    return this.db
      .prepare(
        `SELECT * FROM documents WHERE organization_id = ? AND (kind <> 'generated' OR status = 'Ready')
         ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(organizationId, limit) as DocumentRow[];
  }

  get(documentId: string): DocumentRow | undefined {
    return this.db.prepare("SELECT * FROM documents WHERE document_id = ?").get(documentId) as DocumentRow | undefined;
  }

  findByS3Key(s3Key: string): DocumentRow | undefined {
    return this.db.prepare("SELECT * FROM documents WHERE s3_key = ?").get(s3Key) as DocumentRow | undefined;
  }
}
