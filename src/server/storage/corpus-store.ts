// Corpora (Ejento's collections of documents to ground answers on; docs/api.md "Chat (Ejento
// shape)"), their documents with each one's indexing step, and the threads they are linked to.
// A corpus document points at a Sidecar document row, which holds the file and its passages.
import type { Sql } from "./sql";
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
  constructor(private readonly sql: Sql) {}

  async create(corpus: NewCorpus): Promise<CorpusRow> {
    const now = nowIso();
    return this.sql.transaction(async () => {
      const inserted = (await this.sql.get<{ id: number }>(
        `INSERT INTO corpora (organization_id, user_id, name, description, corpus_type, indexing_mode_id, created_on, modified_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [corpus.organizationId, corpus.userId, corpus.name, corpus.description, corpus.corpusType, corpus.indexingModeId, now, now],
      )) as { id: number };
      return (await this.get(inserted.id)) as CorpusRow;
    });
  }

  async get(id: number): Promise<CorpusRow | undefined> {
    return this.sql.get<CorpusRow>(`${CORPUS_SELECT} WHERE c.id = ?`, [id]);
  }

  /**
   * Adds a document to a corpus at step "uploaded". When the corpus already holds that Sidecar
   * document, that entry is returned instead (created false); if its indexing had failed it is
   * set back to "uploaded" to be indexed again.
   */
  async addDocument(document: NewCorpusDocument): Promise<{ row: CorpusDocumentRow; created: boolean }> {
    return this.sql.transaction(async () => {
      const now = nowIso();
      const existing = await this.sql.get<{ id: number; is_failed: number }>(
        "SELECT id, is_failed FROM corpus_documents WHERE corpus_id = ? AND document_id = ? ORDER BY id LIMIT 1",
        [document.corpusId, document.documentId],
      );
      if (existing) {
        if (existing.is_failed) {
          await this.sql.run("UPDATE corpus_documents SET step = 'uploaded', is_failed = 0, error = NULL, modified_on = ? WHERE id = ?", [
            now,
            existing.id,
          ]);
        }
        return { row: (await this.getDocument(existing.id)) as CorpusDocumentRow, created: false };
      }
      const inserted = (await this.sql.get<{ id: number }>(
        `INSERT INTO corpus_documents (corpus_id, document_id, user_id, source, upload_from, step, is_failed, created_on, modified_on)
         VALUES (?, ?, ?, ?, ?, 'uploaded', 0, ?, ?) RETURNING id`,
        [document.corpusId, document.documentId, document.userId, document.source, document.uploadFrom, now, now],
      )) as { id: number };
      await this.sql.run("UPDATE corpora SET modified_on = ? WHERE id = ?", [now, document.corpusId]);
      return { row: (await this.getDocument(inserted.id)) as CorpusDocumentRow, created: true };
    });
  }

  async getDocument(id: number): Promise<CorpusDocumentRow | undefined> {
    return this.sql.get<CorpusDocumentRow>(`${DOCUMENT_SELECT} WHERE d.id = ?`, [id]);
  }

  /** A corpus's documents, in upload order. */
  async listDocuments(corpusId: number): Promise<CorpusDocumentRow[]> {
    return this.sql.all<CorpusDocumentRow>(`${DOCUMENT_SELECT} WHERE d.corpus_id = ? ORDER BY d.id`, [corpusId]);
  }

  /** Documents whose indexing has not finished (uploaded or processing, not failed), oldest first. */
  async listUnfinishedDocuments(): Promise<CorpusDocumentRow[]> {
    return this.sql.all<CorpusDocumentRow>(`${DOCUMENT_SELECT} WHERE d.step IN ('uploaded', 'processing') AND d.is_failed = 0 ORDER BY d.id`);
  }

  async setStep(id: number, step: CorpusDocumentStep): Promise<void> {
    await this.sql.run("UPDATE corpus_documents SET step = ?, modified_on = ? WHERE id = ?", [step, nowIso(), id]);
  }

  async setFailed(id: number, error: string): Promise<void> {
    await this.sql.run("UPDATE corpus_documents SET is_failed = 1, error = ?, modified_on = ? WHERE id = ?", [error, nowIso(), id]);
  }

  /** Links a corpus to a thread; false when it already was. */
  async link(threadId: number, corpusId: number): Promise<boolean> {
    const result = await this.sql.run("INSERT INTO thread_corpora (thread_id, corpus_id, linked_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [
      threadId,
      corpusId,
      nowIso(),
    ]);
    return result.changes > 0;
  }

  /** The corpora linked to a thread, in the order they were linked. */
  async linkedTo(threadId: number): Promise<CorpusRow[]> {
    return this.sql.all<CorpusRow>(
      `${CORPUS_SELECT} JOIN thread_corpora tc ON tc.corpus_id = c.id WHERE tc.thread_id = ? ORDER BY tc.linked_on, tc.rowid`,
      [threadId],
    );
  }
}
