// Passages: a document's text cut into retrievable pieces, extracted once per document and reused
// by every feature that retrieves from documents (generation, chat grounding). Their full-text
// index (passages_fts, FTS5) is kept in step by triggers (storage/migrations.ts, 7 and 10), which
// read the text through sidecar_search_text(): Chinese and Japanese characters one token each, so
// a word is found as a phrase of its characters (searchPhrase) wherever a sentence has it.
import type Database from "better-sqlite3";
import { hasUnspacedScript, searchPhrase, searchText } from "../../shared/words";
import { nowIso } from "./util";

const registered = new WeakSet<Database.Database>();

/**
 * The SQL functions the search index's triggers and migration 10 call, on this connection (every
 * connection that writes passages needs them: the server's, the docx workers'). Idempotent.
 */
export function registerSearchFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function("sidecar_search_text", { deterministic: true }, (text: unknown) => (typeof text === "string" ? searchText(text) : text));
  db.function("sidecar_unspaced", { deterministic: true }, (text: unknown) => (typeof text === "string" && hasUnspacedScript(text) ? 1 : 0));
  registered.add(db);
}

/** An FTS5 query for a word or words as written: a quoted phrase of the index's tokens ("必要" → "必 要"). */
export function matchPhrase(term: string): string {
  return `"${searchPhrase(term).replace(/"/g, '""')}"`;
}

export interface PassageRow {
  /** `<document_id>:<passage_index>` */
  passage_id: string;
  document_id: string;
  passage_index: number;
  /** The nearest heading above the passage, if any. */
  heading: string | null;
  text: string;
  /** Index of the first and last paragraph (in the document's paragraph order) it came from. */
  first_paragraph: number;
  last_paragraph: number;
}

export interface SearchHit {
  passage_id: string;
  passage_index: number;
  document_id: string;
  document_name: string;
  s3_key: string | null;
  heading: string | null;
  text: string;
  first_paragraph: number;
  score: number;
}

export interface NewPassage {
  heading: string | null;
  text: string;
  firstParagraph: number;
  lastParagraph: number;
}

export function passageId(documentId: string, passageIndex: number): string {
  return `${documentId}:${passageIndex}`;
}

export class PassageStore {
  constructor(private readonly db: Database.Database) {
    registerSearchFunctions(db);
  }

  /** True once the document's passages were extracted (even if it has none). */
  isExtracted(documentId: string): boolean {
    const row = this.db.prepare("SELECT passages_extracted_at FROM documents WHERE document_id = ?").get(documentId) as
      | { passages_extracted_at: string | null }
      | undefined;
    return Boolean(row?.passages_extracted_at);
  }

  /**
   * Keeps a document's passages. Idempotent: when they were already saved (by an earlier run, or
   * a job running at the same time) nothing changes and false is returned.
   */
  save(documentId: string, passages: NewPassage[]): boolean {
    return this.db.transaction(() => {
      if (this.isExtracted(documentId)) return false;
      this.db.prepare("DELETE FROM passages WHERE document_id = ?").run(documentId);
      const insert = this.db.prepare(
        `INSERT INTO passages (passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      passages.forEach((passage, index) => {
        insert.run(passageId(documentId, index), documentId, index, passage.heading, passage.text, passage.firstParagraph, passage.lastParagraph);
      });
      this.db.prepare("UPDATE documents SET passages_extracted_at = ? WHERE document_id = ?").run(nowIso(), documentId);
      return true;
    })();
  }

  /** Passages of the given documents, in document then passage order. */
  listForDocuments(documentIds: readonly string[]): PassageRow[] {
    const select = this.db.prepare("SELECT * FROM passages WHERE document_id = ? ORDER BY passage_index");
    return documentIds.flatMap((id) => select.all(id) as PassageRow[]);
  }

  /** How many passages the documents have in all. */
  countForDocuments(documentIds: readonly string[]): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM passages WHERE document_id IN (SELECT value FROM json_each(?))").get(JSON.stringify(documentIds)) as { n: number }).n;
  }

  /**
   * The passages of the given documents that match an FTS5 query (passages_fts, BM25 with the
   * text, heading and document name weighted 1, 1.5 and 0.3), best first, at most `limit`; `score`
   * is positive, higher is better.
   */
  search(documentIds: readonly string[], match: string, limit: number): SearchHit[] {
    const statement = this.db.prepare(
      `SELECT p.passage_id, p.passage_index, p.document_id, d.document_name, d.s3_key, p.heading, p.text, p.first_paragraph,
                -bm25(passages_fts, 1.0, 1.5, 0.3) AS score
         FROM passages_fts
         JOIN passages p ON p.rowid = passages_fts.rowid
         JOIN documents d ON d.document_id = p.document_id
         WHERE passages_fts MATCH ? AND p.document_id IN (SELECT value FROM json_each(?))
         ORDER BY score DESC
         LIMIT ?`,
    );
    return statement.all(match, JSON.stringify(documentIds), limit) as SearchHit[];
  }

  /**
   * Of `terms`, those that at least half of all indexed passages contain. FTS5's BM25 gives such a
   * term no weight (its IDF, log((N − n + ½) / (n + ½)), is at most 0 and is replaced by 10⁻⁶), so
   * a query without it ranks the other terms' matches the same — and it is most of the work of
   * a query that has it, every one of those passages scored and sorted.
   */
  weightlessTerms(terms: readonly string[]): Set<string> {
    if (terms.length === 0) return new Set();
    const total = (this.db.prepare("SELECT COUNT(*) AS n FROM passages").get() as { n: number }).n;
    const count = this.db.prepare("SELECT COUNT(*) AS n FROM passages_fts WHERE passages_fts MATCH ?");
    return new Set(terms.filter((term) => 2 * (count.get(matchPhrase(term)) as { n: number }).n >= total));
  }

  get(passageIdValue: string): PassageRow | undefined {
    return this.db.prepare("SELECT * FROM passages WHERE passage_id = ?").get(passageIdValue) as PassageRow | undefined;
  }
}
