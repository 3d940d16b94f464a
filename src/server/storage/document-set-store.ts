// Document sets (workspaces, docs/vendors.md Artos §7): named groups of an organization's generated documents.
import { randomUUID } from "node:crypto";
import type { Sql } from "./sql";
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
  constructor(private readonly sql: Sql) {}

  /** The organization's sets, oldest first. */
  async list(organizationId: string): Promise<DocumentSetWithDocuments[]> {
    const rows = await this.sql.all<DocumentSetRow>("SELECT * FROM document_sets WHERE organization_id = ? ORDER BY created_at, rowid", [organizationId]);
    const sets: DocumentSetWithDocuments[] = [];
    for (const row of rows) sets.push(await this.withDocuments(row));
    return sets;
  }

  async get(organizationId: string, documentSetId: string): Promise<DocumentSetWithDocuments | undefined> {
    const row = await this.sql.get<DocumentSetRow>("SELECT * FROM document_sets WHERE organization_id = ? AND document_set_id = ?", [
      organizationId,
      documentSetId,
    ]);
    return row ? this.withDocuments(row) : undefined;
  }

  /**
   * Creates a set, unless the organization has one of that name (compared without case): then
   * that one is returned with created false.
   */
  async create(organizationId: string, name: string, createdBy: string | null): Promise<{ set: DocumentSetWithDocuments; created: boolean }> {
    return this.sql.transaction(async () => {
      // The column itself is case-sensitive (only its unique index is NOCASE on SQLite), so both
      // sides are folded here; SQLite's lower() folds ASCII only, as NOCASE does.
      const existing = await this.sql.get<DocumentSetRow>(
        "SELECT * FROM document_sets WHERE organization_id = ? AND LOWER(document_set_name) = LOWER(?)",
        [organizationId, name],
      );
      if (existing) return { set: await this.withDocuments(existing), created: false };
      const row: DocumentSetRow = {
        document_set_id: randomUUID(),
        organization_id: organizationId,
        document_set_name: name,
        details: null,
        version: 1,
        created_by: createdBy,
        created_at: nowIso(),
      };
      await this.sql.run(
        `INSERT INTO document_sets (document_set_id, organization_id, document_set_name, details, version, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [row.document_set_id, row.organization_id, row.document_set_name, row.details, row.version, row.created_by, row.created_at],
      );
      return { set: { ...row, documents: [] }, created: true };
    });
  }

  async count(organizationId: string): Promise<number> {
    return ((await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM document_sets WHERE organization_id = ?", [organizationId])) as { n: number }).n;
  }

  private async withDocuments(row: DocumentSetRow): Promise<DocumentSetWithDocuments> {
    const documents = await this.sql.all<{ document_id: string }>(
      "SELECT document_id FROM documents WHERE organization_id = ? AND workspace_id = ? ORDER BY created_at, rowid",
      [row.organization_id, row.document_set_id],
    );
    return { ...row, documents: documents.map((d) => d.document_id) };
  }
}
