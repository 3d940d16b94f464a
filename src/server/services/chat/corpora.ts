// Corpora, the Ejento way of grounding a conversation (docs/api.md "Grounding"; Ejento A6, A4.3):
// a person creates a corpus, uploads .docx files into it through the indexing service (each kept
// as the organization's Sidecar document: the same bytes and name as an Artos upload are the same
// document, so citations carry the same document_id), waits until each is indexed, links the
// corpus to a thread and asks with `overrides.corpus_ids` / `is_file_attached`. Corpora are one
// person's: anyone else gets 404.
import type {
  Corpus,
  CorpusDocument,
  CreateCorpusRequest,
  CorpusUploadFields,
} from "../../../shared/wire/chat";
import { HttpError } from "../../errors";
import type { CorpusDocumentRow, CorpusRow } from "../../storage/corpus-store";
import type { Storage } from "../../storage/storage";
import type { UploadedDocument } from "../../../shared/wire/documents";
import type { Caller } from "../auth";
import type { DocumentService } from "../documents";
import type { CorpusScope } from "./grounding";
import type { CorpusIndexer } from "./indexer";
import { ownCorpus, ownCorpusDocument, ownThread } from "./ownership";

/** When a create request names no corpus_type. */
export const DEFAULT_CORPUS_TYPE = "attachment";
/** When an upload names no upload_from. */
export const DEFAULT_UPLOAD_FROM = "web";

/** Extensions a file name may end with to go into a corpus here (only Word documents are read). */
const ACCEPTED = /\.docx$/i;
const HAS_EXTENSION = /\.[A-Za-z0-9]{1,8}$/;

export function corpusOf(row: CorpusRow): Corpus {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    corpus_type: row.corpus_type,
    indexing_mode_id: row.indexing_mode_id,
    created_by: row.user_email,
    created_on: row.created_on,
    modified_on: row.modified_on,
  };
}

export function corpusDocumentOf(row: CorpusDocumentRow): CorpusDocument {
  return {
    id: row.id,
    corpus: row.corpus_id,
    type: "file",
    source: row.source,
    upload_from: row.upload_from,
    step: row.step,
    is_failed: row.is_failed !== 0,
    is_deleted: false,
    error: row.is_failed ? (row.error ?? "Indexing failed.") : null,
    created_by: row.user_email,
    created_on: row.created_on,
    modified_on: row.modified_on,
  };
}

export interface CorpusUpload {
  filename: string | undefined;
  content: AsyncIterable<Buffer>;
  truncated: () => boolean;
}

export class CorpusService {
  constructor(
    private readonly storage: Storage,
    private readonly documents: Pick<DocumentService, "uploadLocal">,
    private readonly indexer: Pick<CorpusIndexer, "enqueue">,
  ) {}

  async create(caller: Caller, request: CreateCorpusRequest): Promise<Corpus> {
    const row = await this.storage.corpora.create({
      organizationId: caller.organizationId,
      userId: caller.userId,
      name: request.name.trim(),
      description: request.description ?? "",
      corpusType: request.corpus_type?.trim() || DEFAULT_CORPUS_TYPE,
      indexingModeId: request.indexing_mode_id ?? null,
    });
    return corpusOf(row);
  }

  /** The corpus an upload goes into (404 before any byte is read when it isn't the caller's). */
  uploadTarget(caller: Caller, corpusIdRaw: string): Promise<CorpusRow> {
    return ownCorpus(this.storage, caller, corpusIdRaw);
  }

  /** 400 for a file whose name says it is not a Word document (before reading it). */
  checkFileName(filename: string | undefined): void {
    const name = (filename ?? "").trim();
    if (HAS_EXTENSION.test(name) && !ACCEPTED.test(name)) {
      throw new HttpError(
        400,
        `“${name}” is not a Word document: this server indexes only .docx files into a corpus. Save it as a Word document (.docx) and upload that.`,
      );
    }
  }

  /**
   * Keeps an uploaded file as the organization's Sidecar document, checked as an Artos upload
   * is (400 not a readable .docx, 413 too large; the same bytes and name are the existing
   * document). The route then adds it to the corpus with addToCorpus, once every field is read.
   */
  async storeFile(caller: Caller, file: CorpusUpload): Promise<UploadedDocument> {
    this.checkFileName(file.filename);
    return (await this.documents.uploadLocal(caller, file)).document;
  }

  /**
   * Adds a stored document to the corpus at step "uploaded" and starts indexing it in the
   * background. `created` false: the corpus already held that document (that entry is answered).
   */
  async addToCorpus(
    caller: Caller,
    corpus: CorpusRow,
    document: UploadedDocument,
    fields: CorpusUploadFields,
  ): Promise<{ document: CorpusDocument; created: boolean }> {
    const { row, created } = await this.storage.corpora.addDocument({
      corpusId: corpus.id,
      documentId: document.document_id,
      userId: caller.userId,
      source: document.document_name,
      uploadFrom: fields.upload_from?.trim() || DEFAULT_UPLOAD_FROM,
    });
    if (row.step !== "completed" && !row.is_failed) this.indexer.enqueue(row.id);
    return { document: corpusDocumentOf(row), created };
  }

  async document(caller: Caller, documentIdRaw: string): Promise<CorpusDocument> {
    return corpusDocumentOf(await ownCorpusDocument(this.storage, caller, documentIdRaw));
  }

  async documentsOf(caller: Caller, corpusIdRaw: string): Promise<CorpusDocument[]> {
    const corpus = await ownCorpus(this.storage, caller, corpusIdRaw);
    return (await this.storage.corpora.listDocuments(corpus.id)).map(corpusDocumentOf);
  }

  /** Links a corpus to a thread (both the caller's); `created` false when they were linked already. */
  link(caller: Caller, threadIdRaw: string, corpusIdRaw: string): Promise<{ link: { chat_thread: number; corpus: number }; created: boolean }> {
    // One transaction: a thread deleted between the check and the link is 404, not a broken link.
    return this.storage.sql.transaction(async () => {
      const thread = await ownThread(this.storage, caller, threadIdRaw);
      const corpus = await ownCorpus(this.storage, caller, corpusIdRaw);
      const created = await this.storage.corpora.link(thread.id, corpus.id);
      return { link: { chat_thread: thread.id, corpus: corpus.id }, created };
    });
  }

  /** The corpora linked to a thread; 404 when there are none (as Ejento answers). */
  async linked(caller: Caller, threadIdRaw: string): Promise<Corpus[]> {
    const thread = await ownThread(this.storage, caller, threadIdRaw);
    const corpora = await this.storage.corpora.linkedTo(thread.id);
    if (corpora.length === 0) throw new HttpError(404, `No corpus is linked to chat thread ${thread.id}.`);
    return corpora.map(corpusOf);
  }

  /** The corpora a question names, each the caller's (404 otherwise), in the order named, once each. */
  async named(caller: Caller, corpusIds: readonly number[]): Promise<CorpusRow[]> {
    const seen = new Set<number>();
    const out: CorpusRow[] = [];
    for (const id of corpusIds) {
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(await ownCorpus(this.storage, caller, id));
    }
    return out;
  }

  /** The corpora linked to a thread (none: an empty list). */
  linkedRows(threadId: number): Promise<CorpusRow[]> {
    return this.storage.corpora.linkedTo(threadId);
  }

  /**
   * What grounding on these corpora searches now: their completed documents, and a thought for
   * each document not indexed yet or failed.
   */
  async scope(corpora: readonly CorpusRow[]): Promise<CorpusScope> {
    const documentIds: string[] = [];
    const notes: string[] = [];
    for (const corpus of corpora) {
      const rows = await this.storage.corpora.listDocuments(corpus.id);
      if (rows.length === 0) notes.push(`The corpus “${corpus.name}” has no documents.`);
      for (const row of rows) {
        if (row.is_failed) {
          notes.push(`Skipped “${row.source}” in the corpus “${corpus.name}”: its indexing failed (${row.error ?? "no reason given"}).`);
        } else if (row.step !== "completed") {
          notes.push(`“${row.source}” in the corpus “${corpus.name}” is not indexed yet (${row.step}); it was not searched.`);
        } else {
          documentIds.push(row.document_id);
        }
      }
    }
    return { documentIds, notes, names: corpora.map((corpus) => corpus.name) };
  }
}
