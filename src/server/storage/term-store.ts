// The tagging corpus, kept incrementally (migration 8): a document's distinct terms are counted
// once, when its text is first read; organization_terms (kept by triggers) says how many of an
// organization's documents use each term. Tagging a document looks up only its own terms.
import { inJsonList, type Sql } from "./sql";
import { nowIso } from "./util";

export class TermStore {
  constructor(private readonly sql: Sql) {}

  async isCounted(documentId: string): Promise<boolean> {
    const row = await this.sql.get<{ terms_counted_at: string | null }>("SELECT terms_counted_at FROM documents WHERE document_id = ?", [documentId]);
    return Boolean(row?.terms_counted_at);
  }

  /** Counts a document's distinct terms into its organization's (once: false when already counted). */
  async count(documentId: string, organizationId: string, terms: Iterable<string>): Promise<boolean> {
    // Read once, before the transaction: a transaction may be run again (PostgreSQL), and an
    // iterator would be spent by then.
    const list = [...terms];
    return this.sql.transaction(async () => {
      if (await this.isCounted(documentId)) return false;
      for (const term of list) {
        await this.sql.run("INSERT INTO document_terms (document_id, organization_id, term) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [
          documentId,
          organizationId,
          term,
        ]);
      }
      await this.sql.run("UPDATE documents SET terms_counted_at = ? WHERE document_id = ?", [nowIso(), documentId]);
      return true;
    });
  }

  /** How many of the organization's documents have their terms counted. */
  async documentsCounted(organizationId: string): Promise<number> {
    const row = await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM documents WHERE organization_id = ? AND terms_counted_at IS NOT NULL", [
      organizationId,
    ]);
    return (row as { n: number }).n;
  }

  /** The organization's documents (taggable: generated ones only once Ready) whose terms are not counted yet. */
  async uncounted(organizationId: string): Promise<string[]> {
    const rows = await this.sql.all<{ document_id: string }>(
      `SELECT document_id FROM documents WHERE organization_id = ? AND terms_counted_at IS NULL
         AND (kind <> 'generated' OR status = 'Ready') ORDER BY rowid`,
      [organizationId],
    );
    return rows.map((row) => row.document_id);
  }

  /** How many of the organization's documents use each of `terms` (terms none uses are left out). */
  async frequencies(organizationId: string, terms: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ term: string; documents: number }>(
      `SELECT term, documents FROM organization_terms WHERE organization_id = ? AND term IN (${inJsonList(this.sql)})`,
      [organizationId, JSON.stringify(terms)],
    );
    return new Map(rows.map((row) => [row.term, row.documents]));
  }
}
