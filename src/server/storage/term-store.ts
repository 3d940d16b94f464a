// The tagging corpus, kept incrementally (migration 8): a document's distinct terms are counted
// once, when its text is first read; organization_terms (kept by triggers) says how many of an
// organization's documents use each term. Tagging a document looks up only its own terms.
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export class TermStore {
  constructor(private readonly db: Database.Database) {}

  isCounted(documentId: string): boolean {
    const row = this.db.prepare("SELECT terms_counted_at FROM documents WHERE document_id = ?").get(documentId) as { terms_counted_at: string | null } | undefined;
    return Boolean(row?.terms_counted_at);
  }

  /** Counts a document's distinct terms into its organization's (once: false when already counted). */
  count(documentId: string, organizationId: string, terms: Iterable<string>): boolean {
    return this.db.transaction(() => {
      if (this.isCounted(documentId)) return false;
      const insert = this.db.prepare("INSERT OR IGNORE INTO document_terms (document_id, organization_id, term) VALUES (?, ?, ?)");
      for (const term of terms) insert.run(documentId, organizationId, term);
      this.db.prepare("UPDATE documents SET terms_counted_at = ? WHERE document_id = ?").run(nowIso(), documentId);
      return true;
    })();
  }

  /** How many of the organization's documents have their terms counted. */
  documentsCounted(organizationId: string): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM documents WHERE organization_id = ? AND terms_counted_at IS NOT NULL").get(organizationId) as { n: number }).n;
  }

  /** The organization's documents (taggable: generated ones only once Ready) whose terms are not counted yet. */
  uncounted(organizationId: string): string[] {
    return (
      this.db
        .prepare(
          `SELECT document_id FROM documents WHERE organization_id = ? AND terms_counted_at IS NULL
             AND (kind <> 'generated' OR status = 'Ready') ORDER BY rowid`,
        )
        .all(organizationId) as Array<{ document_id: string }>
    ).map((row) => row.document_id);
  }

  /** How many of the organization's documents use each of `terms` (terms none uses are left out). */
  frequencies(organizationId: string, terms: readonly string[]): Map<string, number> {
    const rows = this.db
      .prepare("SELECT term, documents FROM organization_terms WHERE organization_id = ? AND term IN (SELECT value FROM json_each(?))")
      .all(organizationId, JSON.stringify(terms)) as Array<{ term: string; documents: number }>;
    return new Map(rows.map((row) => [row.term, row.documents]));
  }
}
