// Passages: a document's text cut into retrievable pieces, extracted once per document and reused
// by every feature that retrieves from documents (generation, chat grounding). Their full-text
// index reads the text through searchText() (src/shared/words.ts): Chinese and Japanese characters
// one token each, so a word is found as a phrase of its characters (searchPhrase) wherever a
// sentence has it.
//  - SQLite: passages_fts (FTS5, BM25), kept in step by triggers (storage/migrations.ts, 7 and 10)
//    that call sidecar_search_text().
//  - PostgreSQL: passages.search_vector (tsvector, text search configuration `sidecar`: English
//    stems, accents removed), written with the row; ranked like BM25 (PassageStore.search).
import type Database from "better-sqlite3";
import { hasUnspacedScript, searchPhrase, searchText } from "../../shared/words";
import { inJsonList, type Sql } from "./sql";
import { nowIso } from "./util";

const registered = new WeakSet<Database.Database>();

/**
 * The SQL functions the search index's triggers and migration 10 call, on this SQLite connection
 * (storage.ts registers them before anything else). Idempotent.
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

/** The parts of a passage's index entry and their weights: text 1, heading 1.5, the document's name 0.3. */
const FTS5_RANK = "-bm25(passages_fts, 1.0, 1.5, 0.3)";
/** The same weights for ts_rank_cd, {D, C, B, A}: name (D) 0.2, text (B) 0.67, heading (A) 1 — 0.3 : 1 : 1.5 scaled to at most 1. */
const TSVECTOR_WEIGHTS = "{0.2, 0, 0.67, 1}";
/** ts_rank_cd normalisation 1: rank / (1 + log(length)), so a long passage does not win by length, as in BM25. */
const LENGTH_NORMALISATION = 1;
/** FTS5's floor for a term's IDF (a term in half of the passages or more). */
const MIN_IDF = 1e-6;

export class PassageStore {
  constructor(private readonly sql: Sql) {}

  /** True once the document's passages were extracted (even if it has none). */
  async isExtracted(documentId: string): Promise<boolean> {
    const row = await this.sql.get<{ passages_extracted_at: string | null }>("SELECT passages_extracted_at FROM documents WHERE document_id = ?", [documentId]);
    return Boolean(row?.passages_extracted_at);
  }

  /**
   * Keeps a document's passages. Idempotent: when they were already saved (by an earlier run, or
   * a job running at the same time) nothing changes and false is returned.
   */
  save(documentId: string, passages: NewPassage[]): Promise<boolean> {
    return this.sql.transaction(async () => {
      if (await this.isExtracted(documentId)) return false;
      await this.sql.run("DELETE FROM passages WHERE document_id = ?", [documentId]);
      if (this.sql.engine === "postgres") {
        const document = await this.sql.get<{ document_name: string }>("SELECT document_name FROM documents WHERE document_id = ?", [documentId]);
        const name = searchText(document?.document_name ?? "");
        for (const [index, passage] of passages.entries()) {
          await this.sql.run(
            `INSERT INTO passages (passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph, search_vector)
             VALUES (?, ?, ?, ?, ?, ?, ?,
               setweight(to_tsvector('sidecar', ?), 'B') || setweight(to_tsvector('sidecar', ?), 'A') || setweight(to_tsvector('sidecar', ?), 'D'))`,
            [
              passageId(documentId, index),
              documentId,
              index,
              passage.heading,
              passage.text,
              passage.firstParagraph,
              passage.lastParagraph,
              searchText(passage.text),
              searchText(passage.heading ?? ""),
              name,
            ],
          );
        }
      } else {
        for (const [index, passage] of passages.entries()) {
          await this.sql.run(
            `INSERT INTO passages (passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            [passageId(documentId, index), documentId, index, passage.heading, passage.text, passage.firstParagraph, passage.lastParagraph],
          );
        }
      }
      await this.sql.run("UPDATE documents SET passages_extracted_at = ? WHERE document_id = ?", [nowIso(), documentId]);
      return true;
    });
  }

  /** Passages of the given documents, in document then passage order. */
  async listForDocuments(documentIds: readonly string[]): Promise<PassageRow[]> {
    const rows: PassageRow[] = [];
    for (const id of documentIds) {
      rows.push(
        ...(await this.sql.all<PassageRow>(
          "SELECT passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph FROM passages WHERE document_id = ? ORDER BY passage_index",
          [id],
        )),
      );
    }
    return rows;
  }

  /** How many passages the documents have in all. */
  async countForDocuments(documentIds: readonly string[]): Promise<number> {
    const row = await this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM passages WHERE document_id IN (${inJsonList(this.sql)})`, [JSON.stringify(documentIds)]);
    return row?.n ?? 0;
  }

  /**
   * The passages of the given documents that contain any of `terms` (each a word or words as
   * written), best first, at most `limit`; `score` is positive, higher is better. The text,
   * heading and document name weigh 1, 1.5 and 0.3.
   *  - SQLite: FTS5's BM25.
   *  - PostgreSQL: BM25's shape from PostgreSQL's parts — per term, its inverse document frequency
   *    over all passages (log((N − n + ½) / (n + ½)), at least 10⁻⁶, as FTS5's) times ts_rank_cd of the
   *    passage for that term (frequency and proximity, with the weights above, normalised by
   *    length); summed over the terms.
   */
  async search(documentIds: readonly string[], terms: readonly string[], limit: number): Promise<SearchHit[]> {
    if (terms.length === 0) return [];
    const columns = "p.passage_id, p.passage_index, p.document_id, d.document_name, d.s3_key, p.heading, p.text, p.first_paragraph";
    if (this.sql.engine !== "postgres") {
      return this.sql.all<SearchHit>(
        `SELECT ${columns}, ${FTS5_RANK} AS score
           FROM passages_fts
           JOIN passages p ON p.rowid = passages_fts.rowid
           JOIN documents d ON d.document_id = p.document_id
           WHERE passages_fts MATCH ? AND p.document_id IN (${inJsonList(this.sql)})
           ORDER BY score DESC
           LIMIT ?`,
        [terms.map(matchPhrase).join(" OR "), JSON.stringify(documentIds), limit],
      );
    }
    const total = await this.countAll();
    const weighted: Array<{ phrase: string; idf: number }> = [];
    for (const term of terms) {
      const phrase = searchPhrase(term);
      const n = await this.countMatching(phrase);
      // As FTS5: a term in half of the passages or more weighs (almost) nothing.
      if (n > 0) weighted.push({ phrase, idf: Math.max(Math.log((total - n + 0.5) / (n + 0.5)), MIN_IDF) });
    }
    if (weighted.length === 0) return [];
    const rank = weighted
      .map(() => `? * ts_rank_cd('${TSVECTOR_WEIGHTS}'::float4[], p.search_vector, phraseto_tsquery('sidecar', ?), ${LENGTH_NORMALISATION})`)
      .join(" + ");
    const any = weighted.map(() => "phraseto_tsquery('sidecar', ?)").join(" || ");
    return this.sql.all<SearchHit>(
      `SELECT ${columns}, (${rank}) AS score
         FROM passages p
         JOIN documents d ON d.document_id = p.document_id
         WHERE p.search_vector @@ (${any}) AND p.document_id IN (${inJsonList(this.sql)})
         ORDER BY score DESC, p.passage_id
         LIMIT ?`,
      [...weighted.flatMap((term) => [term.idf, term.phrase]), ...weighted.map((term) => term.phrase), JSON.stringify(documentIds), limit],
    );
  }

  /**
   * Of `terms`, those that at least half of all indexed passages contain. BM25 gives such a term
   * no weight (FTS5: its IDF, log((N − n + ½) / (n + ½)), is at most 0 and is replaced by 10⁻⁶),
   * so a query without it ranks the other terms' matches the same — and it is most of the work of
   * a query that has it, every one of those passages scored and sorted.
   */
  async weightlessTerms(terms: readonly string[]): Promise<Set<string>> {
    if (terms.length === 0) return new Set();
    const total = await this.countAll();
    const weightless = new Set<string>();
    for (const term of terms) {
      const n = await this.countMatching(this.sql.engine === "postgres" ? searchPhrase(term) : matchPhrase(term));
      if (2 * n >= total) weightless.add(term);
    }
    return weightless;
  }

  get(passageIdValue: string): Promise<PassageRow | undefined> {
    return this.sql.get<PassageRow>(
      "SELECT passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph FROM passages WHERE passage_id = ?",
      [passageIdValue],
    );
  }

  private async countAll(): Promise<number> {
    return (await this.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM passages"))?.n ?? 0;
  }

  /** Passages whose index has the query (an FTS5 phrase on SQLite, a phrase of words on PostgreSQL). */
  private async countMatching(query: string): Promise<number> {
    const sql =
      this.sql.engine === "postgres"
        ? "SELECT COUNT(*) AS n FROM passages WHERE search_vector @@ phraseto_tsquery('sidecar', ?)"
        : "SELECT COUNT(*) AS n FROM passages_fts WHERE passages_fts MATCH ?";
    return (await this.sql.get<{ n: number }>(sql, [query]))?.n ?? 0;
  }
}
