// The documents table: uploaded ("local") documents and generated ones (their rows are written by
// GenerationStore through document-row.ts).
import { randomUUID } from "node:crypto";
import { insertDocumentRow, newDocumentRow, type DocumentRow } from "./document-row";
import type { FileStore } from "./file-store";
import { NoticedCache } from "./noticed-cache";
import type { Sql } from "./sql";

export interface NewLocalDocument {
  tempPath: string;
  organizationId: string;
  uploadedBy: string;
  documentName: string;
  sha256: string;
  sizeBytes: number;
}

/**
 * The LISTEN/NOTIFY channel on which PostgreSQL announces every update and delete of a documents
 * row that was Ready (a trigger made by PostgreSQL migration 3; its payload is {"origin":
 * "database", "body": <document_id>}).
 */
export const DOCUMENT_CHANGES_CHANNEL = "sidecar_documents";

const MAX_KEPT_ROWS = 2_000; // the outline cache keeps 500 documents; rows beyond those save little

export class DocumentStore {
  constructor(
    private readonly sql: Sql,
    private readonly files: FileStore,
  ) {}

  // PostgreSQL (several processes): the Sources panel's calls, made on every selection change by
  // every open pane, each read their document's row. Ready rows are kept in memory a while
  // (keepReadyRows); the trigger announces every change of a Ready row on DOCUMENT_CHANGES_CHANNEL, and
  // each process forgets that row (noticed-cache.ts says what else that cache guarantees). A row
  // not Ready yet is never kept: it is about to change, and the pane asks again once it has.
  private readonly ready = new NoticedCache<DocumentRow>(MAX_KEPT_ROWS);

  keepReadyRows(ttlMs: number): void {
    this.ready.enable(ttlMs);
  }

  /** A row was updated or deleted (by any process): forget it. */
  forgetRow(documentId: string): void {
    this.ready.forget((key) => key === documentId);
  }

  /** Announcements may be missed (`paused`: the listening connection dropped) or have been: forget every row. */
  forgetAllRows(paused: boolean): void {
    this.ready.forgetAll(paused);
  }

  /**
   * Keeps an uploaded (already validated) temp file as a local document of the organization.
   * Same bytes under the same name in the same organization → the existing record, created false
   * (the temp file is left for the caller to discard). Otherwise the file is renamed into files/
   * and the row inserted in one transaction.
   */
  async storeLocal(input: NewLocalDocument): Promise<{ document: DocumentRow; created: boolean }> {
    let kept: string | null = null;
    try {
      return await this.sql.transaction(async () => {
        const existing = await this.sql.get<DocumentRow>(
          `SELECT * FROM documents
           WHERE kind = 'local' AND organization_id = ? AND document_name = ? AND sha256 = ?`,
          [input.organizationId, input.documentName, input.sha256],
        );
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
        await insertDocumentRow(this.sql, document);
        kept = document.stored_file_name as string;
        await this.files.keep(kept, { tempPath: input.tempPath });
        return { document, created: true };
      });
    } catch (error) {
      // The transaction rolled back; don't keep a file no row refers to.
      if (kept) await this.files.discard(kept).catch(() => undefined);
      throw error;
    }
  }

  /** One page of an organization's documents, newest first, and how many there are in all. */
  async listPage(organizationId: string, limit: number, offset: number): Promise<{ rows: DocumentRow[]; total: number }> {
    const rows = await this.sql.all<DocumentRow>("SELECT * FROM documents WHERE organization_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?", [
      organizationId,
      limit,
      offset,
    ]);
    const count = await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM documents WHERE organization_id = ?", [organizationId]);
    return { rows, total: count?.n ?? 0 };
  }

  /** Every document of one organization, newest first. */
  list(organizationId: string): Promise<DocumentRow[]> {
    return this.sql.all<DocumentRow>("SELECT * FROM documents WHERE organization_id = ? ORDER BY created_at DESC, rowid DESC", [organizationId]);
  }

  /** The organization's newest documents that can be read (generated ones only once Ready), at most `limit`. */
  newestReadable(organizationId: string, limit: number): Promise<DocumentRow[]> {
    return this.sql.all<DocumentRow>(
      `SELECT * FROM documents WHERE organization_id = ? AND (kind <> 'generated' OR status = 'Ready')
       ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      [organizationId, limit],
    );
  }

  get(documentId: string): Promise<DocumentRow | undefined> {
    return this.sql.get<DocumentRow>("SELECT * FROM documents WHERE document_id = ?", [documentId]);
  }

  /**
   * The row, from memory when it was Ready when read and no change has been heard of since
   * (keepReadyRows); otherwise as get(). For reads made very often, where a change another process
   * committed a few milliseconds ago may be missed. This process's own changes the Sources panel reads
   * (a generation ending Ready or Failed: the generation store) are forgotten at their commit.
   */
  getOften(documentId: string): Promise<DocumentRow | undefined> {
    return this.ready.get(documentId, () => this.get(documentId), (row) => row.status === "Ready");
  }

  findByS3Key(s3Key: string): Promise<DocumentRow | undefined> {
    return this.sql.get<DocumentRow>("SELECT * FROM documents WHERE s3_key = ?", [s3Key]);
  }
}
