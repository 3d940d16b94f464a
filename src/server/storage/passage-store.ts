// Passages: a document's text cut into retrievable pieces, extracted once per document and reused
// by every feature that retrieves from documents (generation now; chat grounding later).
import type Database from "better-sqlite3";
import { nowIso } from "./util";

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
  constructor(private readonly db: Database.Database) {}

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

  get(passageIdValue: string): PassageRow | undefined {
    return this.db.prepare("SELECT * FROM passages WHERE passage_id = ?").get(passageIdValue) as PassageRow | undefined;
  }
}
