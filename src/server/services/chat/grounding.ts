// Grounding for chat: the passages of the documents a question is asked about, ranked against
// the question (and the selected text, when sent) with the same MiniSearch index generation uses.
// The documents are those of the corpora the question names (only their indexed documents), or
// the ids it sends (overrides.document_ids), or else the organization's newest. Passages are
// extracted on first use, or when a document is indexed into a corpus, and kept
// (storage/passage-store.ts). Only the caller's organization's documents are read; ids that are
// unknown (or another organization's) are skipped and said so in a thought.
import type { DocumentRow } from "../../storage/document-row";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { splitIntoPassages } from "../generation/passages";
import { PassageIndex, type IndexedPassage } from "../generation/retrieval";
import { queryTerms } from "../generation/text";
import type { OutlineCache } from "../sections/outline-cache";

/** Documents grounded on when the request names none: the organization's newest. */
export const DEFAULT_GROUNDING_DOCUMENTS = 5;
/** Passages an answer is composed from, at most. */
export const MAX_ANSWER_PASSAGES = 4;

/**
 * Words of questions about a document as a whole ("Summarise this document", "What are the key
 * findings?"): they name no topic, so such a question is answered from an overview of the
 * documents rather than from passages that merely use these words.
 */
const GENERAL_WORDS = new Set(
  `document documents doc docs file files report reports paper text key main findings finding points point
  conclusion conclusions conclude concluded sources source support supports supporting summary summaries
  overview recommendations recommendation recommend make makes say says said tell about gist important
  takeaways takeaway thing things draft introduction intro reword rewrite concise concisely clearer title
  selected selection paragraph based better`.split(/\s+/),
);

export interface GroundedPassage {
  /** Citation number, from 1. */
  number: number;
  passage: IndexedPassage;
  sectionId: string | null;
  sectionTitle: string | null;
}

export interface Grounding {
  /** The documents searched. */
  documents: DocumentRow[];
  /** The passages to answer from, best first, numbered. */
  passages: GroundedPassage[];
  /** Lines for the "thought process" (tools_stream). */
  thoughts: string[];
  /** True when the question named a topic and no passage matched it. */
  nothingMatched: boolean;
  /** Topic words of the question (for composing and follow-ups). */
  terms: Set<string>;
  /** When there was nothing to search for a reason the answer should give (a corpus not indexed yet): that answer. */
  emptyAnswer: string | null;
}

/** The corpora a question is grounded on (ChatService resolves them; docs/api.md "Grounding"). */
export interface CorpusScope {
  /** The Sidecar documents of the corpora whose indexing completed. */
  documentIds: string[];
  /** Thoughts about the corpora's other documents (not indexed yet, failed). */
  notes: string[];
  /** The corpora's names. */
  names: string[];
}

export interface GroundingQuery {
  question: string;
  selectedText: string | null;
  /** null = not sent: the organization's newest documents. */
  documentIds: string[] | null;
  /** Set: only the corpora's indexed documents (documentIds is then not used). */
  corpus?: CorpusScope | null;
}

function quoteList(names: readonly string[]): string {
  const quoted = names.map((name) => `“${name}”`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

export class GroundingService {
  constructor(
    private readonly storage: Storage,
    private readonly outlines: OutlineCache,
  ) {}

  async ground(caller: Caller, query: GroundingQuery, signal?: AbortSignal): Promise<Grounding> {
    const thoughts: string[] = [];
    const documents = query.corpus ? this.corpusDocuments(caller, query.corpus, thoughts) : this.documentsFor(caller, query.documentIds, thoughts);
    const readable: DocumentRow[] = [];
    for (const row of documents) {
      signal?.throwIfAborted();
      if (await this.ensurePassages(row, thoughts)) readable.push(row);
    }
    const terms = queryTerms(`${query.question} ${query.selectedText ?? ""}`);
    const topical = new Set([...terms].filter((term) => !GENERAL_WORDS.has(term)));
    if (readable.length === 0) {
      const emptyAnswer = query.corpus ? nothingIndexedAnswer(query.corpus) : null;
      return { documents: readable, passages: [], thoughts, nothingMatched: false, terms: topical, emptyAnswer };
    }
    thoughts.push(`Searching ${readable.length === 1 ? "" : `${readable.length} documents: `}${quoteList(readable.map((row) => row.document_name))}.`);

    const names = new Map(readable.map((row) => [row.document_id, row]));
    const indexed: IndexedPassage[] = this.storage.passages.listForDocuments(readable.map((row) => row.document_id)).map((passage) => {
      const row = names.get(passage.document_id) as DocumentRow;
      return {
        passageId: passage.passage_id,
        passageIndex: passage.passage_index,
        documentId: passage.document_id,
        documentName: row.document_name,
        s3Key: row.s3_key,
        heading: passage.heading,
        text: passage.text,
      };
    });
    let picked: IndexedPassage[] = [];
    let nothingMatched = false;
    if (topical.size > 0) {
      const index = new PassageIndex(indexed);
      const ranked = index
        .query(
          { title: query.question, instructions: query.selectedText ?? "", documentInstructions: null },
          new Set(),
          { limit: MAX_ANSWER_PASSAGES * 2, relativeMinScore: 0.25, reusePenalty: 1 },
        )
        .map((result) => result.passage);
      // Prose first (a title block or an address makes a poor answer), best first within each.
      picked = [...ranked.filter((passage) => isProse(passage.text)), ...ranked.filter((passage) => !isProse(passage.text))].slice(
        0,
        MAX_ANSWER_PASSAGES,
      );
      nothingMatched = picked.length === 0;
    } else {
      picked = overview(indexed);
    }
    if (indexed.length === 0) {
      thoughts.push("The documents have no text passages to answer from.");
    } else if (picked.length > 0) {
      thoughts.push(
        `Retrieved ${picked.length} passage${picked.length === 1 ? "" : "s"}${topical.size === 0 ? " giving an overview" : ""}: ${picked
          .map((passage, i) => `[${i + 1}] ${passage.documentName}${passage.heading ? ` — ${passage.heading}` : ""}`)
          .join("; ")}.`,
      );
    } else {
      thoughts.push(`No passage of ${indexed.length} matched the question.`);
    }

    const passages: GroundedPassage[] = [];
    for (const [i, passage] of picked.entries()) {
      const section = await this.sectionOf(names.get(passage.documentId) as DocumentRow, passage);
      passages.push({ number: i + 1, passage, sectionId: section?.id ?? null, sectionTitle: section?.title ?? passage.heading });
    }
    return { documents: readable, passages, thoughts, nothingMatched: nothingMatched && indexed.length > 0, terms: topical, emptyAnswer: null };
  }

  /** The corpora's indexed documents (never any other: no fallback to the organization's newest). */
  private corpusDocuments(caller: Caller, corpus: CorpusScope, thoughts: string[]): DocumentRow[] {
    thoughts.push(...corpus.notes);
    const found: DocumentRow[] = [];
    for (const id of new Set(corpus.documentIds)) {
      const row = this.storage.documents.get(id);
      if (row && row.organization_id === caller.organizationId) found.push(row);
    }
    if (found.length === 0) {
      thoughts.push(`The ${corpus.names.length === 1 ? "corpus" : "corpora"} ${quoteList(corpus.names)} ${corpus.names.length === 1 ? "has" : "have"} no indexed document to search yet.`);
    }
    return found;
  }

  /**
   * Extracts and keeps a document's passages, as grounding does on first use, for indexing a
   * document of a corpus; nothing to do when they were extracted before. Throws, with the
   * reason, when its file is gone or can't be read as a Word document.
   */
  async indexDocument(row: DocumentRow): Promise<void> {
    if (this.storage.passages.isExtracted(row.document_id)) return;
    this.storage.passages.save(row.document_id, splitIntoPassages(await this.outlines.readParagraphs(row)));
  }

  private documentsFor(caller: Caller, documentIds: string[] | null, thoughts: string[]): DocumentRow[] {
    if (documentIds === null || documentIds.length === 0) {
      const newest = this.storage.documents
        .list(caller.organizationId)
        .filter((row) => row.kind !== "generated" || row.status === "Ready")
        .slice(0, DEFAULT_GROUNDING_DOCUMENTS);
      if (newest.length === 0) thoughts.push("There are no documents in your organization to search.");
      return newest;
    }
    const found: DocumentRow[] = [];
    const unknown: string[] = [];
    for (const id of new Set(documentIds)) {
      const row = this.storage.documents.get(id);
      if (!row || row.organization_id !== caller.organizationId) {
        unknown.push(id);
      } else if (row.kind === "generated" && row.status !== "Ready") {
        thoughts.push(`Skipped “${row.document_name}”: it is still being generated (${row.status}).`);
      } else {
        found.push(row);
      }
    }
    if (unknown.length > 0) {
      thoughts.push(`Ignored ${unknown.length} document id${unknown.length === 1 ? "" : "s"} that match no document of yours: ${unknown.join(", ")}.`);
    }
    return found;
  }

  /** Extracts a document's passages on first use; false when its file can't be read. */
  private async ensurePassages(row: DocumentRow, thoughts: string[]): Promise<boolean> {
    if (this.storage.passages.isExtracted(row.document_id)) return true;
    try {
      this.storage.passages.save(row.document_id, splitIntoPassages(await this.outlines.paragraphs(row)));
      return true;
    } catch (error) {
      thoughts.push(`Skipped “${row.document_name}”: ${(error as Error).message}`);
      return false;
    }
  }

  /** The Sources panel's section holding a passage (same ids as get-sections-for-document), if any. */
  private async sectionOf(row: DocumentRow, passage: IndexedPassage): Promise<{ id: string; title: string } | null> {
    try {
      const outline = await this.outlines.outline(row);
      const match = outline.index.find(passage.text);
      let index = match.found === "section" ? match.section : -1;
      if (index === -1 && passage.heading) {
        index = outline.sections.findIndex((section) => section.section_title === passage.heading);
      }
      const section = outline.sections[index];
      return section ? { id: section.section_id, title: section.section_title } : null;
    } catch {
      return null;
    }
  }
}

/** The answer when a question's corpora have nothing indexed to answer from. */
function nothingIndexedAnswer(corpus: CorpusScope): string {
  return `I found nothing to answer from: the documents of ${quoteList(corpus.names)} are not indexed yet. Wait until their indexing completes, then ask again.`;
}

/** For a question about the documents as a whole: the first passage under each of the first headings, across the documents. */
function overview(passages: readonly IndexedPassage[]): IndexedPassage[] {
  const firstOfHeading: IndexedPassage[] = [];
  const seen = new Set<string>();
  for (const passage of passages) {
    const key = `${passage.documentId}|${passage.heading ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    firstOfHeading.push(passage);
  }
  // Prefer substantial passages (a title block or an address is a poor summary).
  const substantial = firstOfHeading.filter((passage) => isProse(passage.text));
  const pool = substantial.length >= 2 ? substantial : firstOfHeading;
  // Round-robin over documents so each grounding document is represented.
  const byDocument = new Map<string, IndexedPassage[]>();
  for (const passage of pool) {
    const list = byDocument.get(passage.documentId) ?? [];
    list.push(passage);
    byDocument.set(passage.documentId, list);
  }
  const picked: IndexedPassage[] = [];
  for (let round = 0; picked.length < MAX_ANSWER_PASSAGES; round++) {
    let added = false;
    for (const list of byDocument.values()) {
      const passage = list[round];
      if (passage && picked.length < MAX_ANSWER_PASSAGES) {
        picked.push(passage);
        added = true;
      }
    }
    if (!added) break;
  }
  return picked;
}

/** Reads as prose: a dozen words or more and a sentence end after a word. */
function isProse(text: string): boolean {
  return (text.match(/\p{L}{2,}/gu)?.length ?? 0) >= 12 && /\p{Ll}{2,}[.!?]["'”’)\]]*(\s|$)/u.test(text);
}
