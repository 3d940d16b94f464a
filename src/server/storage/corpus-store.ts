// Corpora (Ejento's collections of documents to ground answers on; docs/api.md "Chat (Ejento
// shape)"), their documents with each one's indexing step, and the threads they are linked to.
// A corpus document points at a Sidecar document row, which holds the file and its passages.
import type Database from "better-sqlite3";
import { nowIso } from "./util";

export type CorpusDocumentStep = "uploaded" | "processing" | "completed";

export interface CorpusRow {
  id: number;
  organization_id: string;
  user_id: string;
  name: string;
  description: string;
  corpus_type: string;
  indexing_mode_id: number | null;
  created_on: string;
  modified_on: string;
  /** The owner's e-mail (joined). */
  user_email: string;
}

export interface CorpusDocumentRow {
  id: number;
  corpus_id: number;
  document_id: string;
  user_id: string;
  source: string;
  upload_from: string;
  step: CorpusDocumentStep;
  is_failed: number;
  error: string | null;
  created_on: string;
  modified_on: string;
  /** The owner's e-mail (joined). */
  user_email: string;
}

export interface NewCorpus {
  organizationId: string;
  userId: string;
  name: string;
  description: string;
  corpusType: string;
  indexingModeId: number | null;
}

export interface NewCorpusDocument {
  corpusId: number;
  documentId: string;
  userId: string;
  source: string;
  uploadFrom: string;
}

const CORPUS_SELECT = "SELECT c.*, u.email AS user_email FROM corpora c JOIN users u ON u.id = c.user_id";
const DOCUMENT_SELECT = "SELECT d.*, u.email AS user_email FROM corpus_documents d JOIN users u ON u.id = d.user_id";

export class CorpusStore {
  constructor(private readonly db: Database.Database) {}

  create(corpus: NewCorpus): CorpusRow {
    const now = nowIso();
    const result = this.db
      .prepare(
        `INSERT INTO corpora (organization_id, user_id, name, description, corpus_type, indexing_mode_id, created_on, modified_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(corpus.organizationId, corpus.userId, corpus.name, corpus.description, corpus.corpusType, corpus.indexingModeId, now, now);
    return this.get(Number(result.lastInsertRowid)) as CorpusRow;
  }

  get(id: number): CorpusRow | undefined {
    return this.db.prepare(`${CORPUS_SELECT} WHERE c.id = ?`).get(id) as CorpusRow | undefined;
  }

  /**
   * Adds a document to a corpus at step "uploaded". When the corpus already holds that Sidecar
   * document, that entry is returned instead (created false); if its indexing had failed it is
   * set back to "uploaded" to be indexed again.
   */
  addDocument(document: NewCorpusDocument): { row: CorpusDocumentRow; created: boolean } {
    return this.db.transaction(() => {
      const now = nowIso();
      const existing = this.db
        .prepare("SELECT id, is_failed FROM corpus_documents WHERE corpus_id = ? AND document_id = ? ORDER BY id LIMIT 1")
        .get(document.corpusId, document.documentId) as { id: number; is_failed: number } | undefined;
      if (existing) {
        if (existing.is_failed) {
          this.db
            .prepare("UPDATE corpus_documents SET step = 'uploaded', is_failed = 0, error = NULL, modified_on = ? WHERE id = ?")
            .run(now, existing.id);
        }
        return { row: this.getDocument(existing.id) as CorpusDocumentRow, created: false };
      }
      const result = this.db
        .prepare(
          `INSERT INTO corpus_documents (corpus_id, document_id, user_id, source, upload_from, step, is_failed, created_on, modified_on)
           VALUES (?, ?, ?, ?, ?, 'uploaded', 0, ?, ?)`,
        )
        .run(document.corpusId, document.documentId, document.userId, document.source, document.uploadFrom, now, now);
      this.db.prepare("UPDATE corpora SET modified_on = ? WHERE id = ?").run(now, document.corpusId);
      return { row: this.getDocument(Number(result.lastInsertRowid)) as CorpusDocumentRow, created: true };
    })();
  }

  getDocument(id: number): CorpusDocumentRow | undefined {
    return this.db.prepare(`${DOCUMENT_SELECT} WHERE d.id = ?`).get(id) as CorpusDocumentRow | undefined;
  }

  /** A corpus's documents, in upload order. */
  listDocuments(corpusId: number): CorpusDocumentRow[] {
    return this.db.prepare(`${DOCUMENT_SELECT} WHERE d.corpus_id = ? ORDER BY d.id`).all(corpusId) as CorpusDocumentRow[];
  }

  /** Documents whose indexing has not finished (uploaded or processing, not failed), oldest first. */
  listUnfinishedDocuments(): CorpusDocumentRow[] {
    return this.db
      .prepare(`${DOCUMENT_SELECT} WHERE d.step IN ('uploaded', 'processing') AND d.is_failed = 0 ORDER BY d.id`)
      .all() as CorpusDocumentRow[];
  }

  setStep(id: number, step: CorpusDocumentStep): void {
    this.db.prepare("UPDATE corpus_documents SET step = ?, modified_on = ? WHERE id = ?").run(step, nowIso(), id);
  }

  setFailed(id: number, error: string): void {
    this.db.prepare("UPDATE corpus_documents SET is_failed = 1, error = ?, modified_on = ? WHERE id = ?").run(error, nowIso(), id);
  }

  /** Links a corpus to a thread; false when it already was. */
  link(threadId: number, corpusId: number): boolean {
    const result = this.db
      .prepare("INSERT OR IGNORE INTO thread_corpora (thread_id, corpus_id, linked_on) VALUES (?, ?, ?)")
      .run(threadId, corpusId, nowIso());
    return result.changes > 0;
  }

  /** The corpora linked to a thread, in the order they were linked. */
  linkedTo(threadId: number): CorpusRow[] {
    return this.db
      .prepare(`${CORPUS_SELECT} JOIN thread_corpora tc ON tc.corpus_id = c.id WHERE tc.thread_id = ? ORDER BY tc.linked_on, tc.rowid`)
      .all(threadId) as CorpusRow[];
  }
}
