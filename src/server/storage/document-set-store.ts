// Document sets (workspaces, docs/vendors.md Artos §7): named groups of an organization's generated documents.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export interface DocumentSetRow {
  document_set_id: string;
  organization_id: string;
  document_set_name: string;
  details: string | null;
  version: number;
  created_by: string | null;
  created_at: string;
}

export interface DocumentSetWithDocuments extends DocumentSetRow {
  /** Ids of the documents in the set (generated into it), oldest first. */
  documents: string[];
}

export class DocumentSetStore {
  constructor(private readonly db: Database.Database) {}

  /** The organization's sets, oldest first. */
  list(organizationId: string): DocumentSetWithDocuments[] {
    const rows = this.db
      .prepare("SELECT * FROM document_sets WHERE organization_id = ? ORDER BY created_at, rowid")
      .all(organizationId) as DocumentSetRow[];
    return rows.map((row) => this.withDocuments(row));
  }

  get(organizationId: string, documentSetId: string): DocumentSetWithDocuments | undefined {
    const row = this.db
      .prepare("SELECT * FROM document_sets WHERE organization_id = ? AND document_set_id = ?")
      .get(organizationId, documentSetId) as DocumentSetRow | undefined;
    return row ? this.withDocuments(row) : undefined;
  }

  /**
   * Creates a set, unless the organization has one of that name (compared without case): then
   * that one is returned with created false.
   */
  create(organizationId: string, name: string, createdBy: string | null): { set: DocumentSetWithDocuments; created: boolean } {
    return this.db.transaction(() => {
      const existing = this.db
        .prepare("SELECT * FROM document_sets WHERE organization_id = ? AND document_set_name = ? COLLATE NOCASE")
        .get(organizationId, name) as DocumentSetRow | undefined;
      if (existing) return { set: this.withDocuments(existing), created: false };
      const row: DocumentSetRow = {
        document_set_id: randomUUID(),
        organization_id: organizationId,
        document_set_name: name,
        details: null,
        version: 1,
        created_by: createdBy,
        created_at: nowIso(),
      };
      this.db
        .prepare(
          `INSERT INTO document_sets (document_set_id, organization_id, document_set_name, details, version, created_by, created_at)
           VALUES (@document_set_id, @organization_id, @document_set_name, @details, @version, @created_by, @created_at)`,
        )
        .run(row);
      return { set: { ...row, documents: [] }, created: true };
    })();
  }

  count(organizationId: string): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM document_sets WHERE organization_id = ?").get(organizationId) as { n: number }
    ).n;
  }

  private withDocuments(row: DocumentSetRow): DocumentSetWithDocuments {
    const documents = this.db
      .prepare("SELECT document_id FROM documents WHERE organization_id = ? AND workspace_id = ? ORDER BY created_at, rowid")
      .all(row.organization_id, row.document_set_id) as Array<{ document_id: string }>;
    return { ...row, documents: documents.map((d) => d.document_id) };
  }
}
