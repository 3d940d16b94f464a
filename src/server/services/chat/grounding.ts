// Grounding for chat: the passages of the documents a question is asked about, ranked against
// the question (and the selected text, when sent) in the same full-text index generation uses.
// The documents are those of the corpora the question names (only their indexed documents), or
// the ids it sends (overrides.document_ids), or else the organization's newest. Passages are
// extracted on first use, or when a document is indexed into a corpus, and kept
// (storage/passage-store.ts). Only the caller's organization's documents are read; ids that are
// unknown (or another organization's) are skipped and said so in a thought.
import type { DocumentRow } from "../../storage/document-row";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { PassageIndex, type IndexedPassage } from "../generation/retrieval";
import { countWords } from "../../../shared/words";
import { quotableSentences, SENTENCE_END } from "./extract";
import { queryTerms } from "../generation/text";
import type { OutlineCache } from "../sections/outline-cache";

/** Documents grounded on when the request names none: the organization's newest. */
export const DEFAULT_GROUNDING_DOCUMENTS = 5;
/** Passages whose sentences an extractive answer chooses from, at most (it cites only those it quotes). */
export const MAX_CANDIDATE_PASSAGES = 8;
/** Passages a model answers from, at most (the best of the candidates). */
export const MAX_ANSWER_PASSAGES = 4;
/** Top-level sections a summary covers per document, at most. */
const MAX_SUMMARY_SECTIONS = 24;

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
  /** The search score (0 for a summary's passages). */
  score: number;
  /** For a summary: the section's lead sentence, found in this passage. */
  lead?: string;
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
  /** "summary": a question about the documents as a whole, answered section by section. */
  mode: "passages" | "summary";
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
    const documents = query.corpus ? await this.corpusDocuments(caller, query.corpus, thoughts) : await this.documentsFor(caller, query.documentIds, thoughts);
    const readable: DocumentRow[] = [];
    for (const row of documents) {
      signal?.throwIfAborted();
      if (await this.ensurePassages(row, thoughts)) readable.push(row);
    }
    const terms = queryTerms(`${query.question} ${query.selectedText ?? ""}`);
    const topical = new Set([...terms].filter((term) => !GENERAL_WORDS.has(term)));
    if (readable.length === 0) {
      const emptyAnswer = query.corpus ? nothingIndexedAnswer(query.corpus) : null;
      return { documents: readable, passages: [], thoughts, nothingMatched: false, terms: topical, emptyAnswer, mode: "passages" };
    }
    thoughts.push(`Searching ${readable.length === 1 ? "" : `${readable.length} documents: `}${quoteList(readable.map((row) => row.document_name))}.`);

    const names = new Map(readable.map((row) => [row.document_id, row]));
    const documentIds = readable.map((row) => row.document_id);
    if (topical.size === 0) {
      // A summary reads each document's passages in order (not a search).
      const indexed: IndexedPassage[] = (await this.storage.passages.listForDocuments(documentIds)).map((passage) => {
        const row = names.get(passage.document_id) as DocumentRow;
        return {
          passageId: passage.passage_id,
          passageIndex: passage.passage_index,
          documentId: passage.document_id,
          documentName: row.document_name,
          s3Key: row.s3_key ?? "",
          heading: passage.heading,
          text: passage.text,
          firstParagraph: passage.first_paragraph,
        };
      });
      const passages = await this.summaryPassages(readable, indexed);
      thoughts.push(
        indexed.length === 0
          ? "The documents have no text passages to answer from."
          : `A question about the ${readable.length === 1 ? "document" : "documents"} as a whole: the lead sentence of each of ${passages.length} top-level section${passages.length === 1 ? "" : "s"}, in order.`,
      );
      return { documents: readable, passages, thoughts, nothingMatched: false, terms: topical, emptyAnswer: null, mode: "summary" };
    }
    const index = new PassageIndex(this.storage.passages, documentIds);
    const ranked = await index.query(
      { title: query.question, instructions: query.selectedText ?? "", documentInstructions: null },
      new Set(),
      { limit: MAX_CANDIDATE_PASSAGES * 2, relativeMinScore: 0.2, reusePenalty: 1 },
    );
    // Prose first (a title block or an address makes a poor answer), best first within each.
    const picked = [...ranked.filter((hit) => isProse(hit.passage.text)), ...ranked.filter((hit) => !isProse(hit.passage.text))].slice(0, MAX_CANDIDATE_PASSAGES);
    // Counted only when nothing matched (a match means there are passages): not on every question.
    const passageCount = picked.length > 0 ? null : await this.storage.passages.countForDocuments(documentIds);
    if (passageCount === 0) {
      thoughts.push("The documents have no text passages to answer from.");
    } else if (passageCount === null) {
      thoughts.push(
        `Retrieved ${picked.length} passage${picked.length === 1 ? "" : "s"}: ${picked
          .map((hit, i) => `[${i + 1}] ${hit.passage.documentName}${hit.passage.heading ? ` — ${hit.passage.heading}` : ""}`)
          .join("; ")}.`,
      );
    } else {
      thoughts.push(`No passage of ${passageCount} matched the question.`);
    }

    const passages: GroundedPassage[] = [];
    for (const [i, hit] of picked.entries()) {
      const section = await this.sectionOf(names.get(hit.passage.documentId) as DocumentRow, hit.passage);
      passages.push({ number: i + 1, passage: hit.passage, sectionId: section?.id ?? null, sectionTitle: section?.title ?? hit.passage.heading, score: hit.score });
    }
    return { documents: readable, passages, thoughts, nothingMatched: passageCount !== null && passageCount > 0, terms: topical, emptyAnswer: null, mode: "passages" };
  }

  /**
   * For a question about the documents as a whole: per document, each top-level section's lead
   * sentence (its own first sentence of prose, or its first sub-section's), with the passage that
   * holds it. "Top level" is the highest heading level with at least three sections that have
   * prose (a document whose only Heading 1 is its title is summarised by its Heading 2s).
   */
  private async summaryPassages(documents: readonly DocumentRow[], indexed: readonly IndexedPassage[]): Promise<GroundedPassage[]> {
    const out: GroundedPassage[] = [];
    for (const row of documents) {
      const own = indexed.filter((passage) => passage.documentId === row.document_id);
      if (own.length === 0) continue;
      let sections: Array<{ id: string; title: string; level: number; text: string }> = [];
      try {
        sections = (await this.outlines.outline(row)).sections.map((section) => ({ id: section.section_id, title: section.section_title, level: section.level, text: section.text }));
      } catch {
        sections = [];
      }
      const leadOf = (index: number, level: number): string | null => {
        for (let i = index; i < sections.length; i++) {
          const section = sections[i] as (typeof sections)[number];
          if (i > index && section.level <= level) break;
          const lead = quotableSentences(section.text).find((sentence) => SENTENCE_END.test(sentence));
          if (lead) return lead;
        }
        return null;
      };
      const levels = [...new Set(sections.map((section) => section.level))].sort((a, b) => a - b);
      let chosen: Array<{ id: string; title: string; lead: string }> = [];
      for (const level of levels) {
        chosen = sections.flatMap((section, index) => {
          if (section.level !== level) return [];
          const lead = leadOf(index, level);
          return lead ? [{ id: section.id, title: section.title, lead }] : [];
        });
        if (chosen.length >= 3) break;
      }
      const before = out.length;
      for (const section of chosen.slice(0, MAX_SUMMARY_SECTIONS)) {
        const key = squeezeKey(section.lead).slice(0, 60);
        const passage = own.find((candidate) => squeezeKey(candidate.text).includes(key));
        if (passage) out.push({ number: out.length + 1, passage, sectionId: section.id, sectionTitle: section.title, score: 0, lead: section.lead });
      }
      if (out.length === before) {
        // No headings to go by: the document's first passages of prose.
        for (const passage of own.filter((candidate) => isProse(candidate.text)).slice(0, 4)) {
          out.push({ number: out.length + 1, passage, sectionId: null, sectionTitle: passage.heading, score: 0 });
        }
      }
    }
    return out;
  }

  /** The corpora's indexed documents (never any other: no fallback to the organization's newest). */
  private async corpusDocuments(caller: Caller, corpus: CorpusScope, thoughts: string[]): Promise<DocumentRow[]> {
    thoughts.push(...corpus.notes);
    const found: DocumentRow[] = [];
    for (const id of new Set(corpus.documentIds)) {
      const row = await this.storage.documents.get(id);
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
    await this.outlines.ingest(row);
  }

  private async documentsFor(caller: Caller, documentIds: string[] | null, thoughts: string[]): Promise<DocumentRow[]> {
    if (documentIds === null || documentIds.length === 0) {
      const newest = await this.storage.documents.newestReadable(caller.organizationId, DEFAULT_GROUNDING_DOCUMENTS);
      if (newest.length === 0) thoughts.push("There are no documents in your organization to search.");
      return newest;
    }
    const found: DocumentRow[] = [];
    const unknown: string[] = [];
    for (const id of new Set(documentIds)) {
      const row = await this.storage.documents.get(id);
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
    if (await this.storage.passages.isExtracted(row.document_id)) return true;
    try {
      await this.outlines.ingest(row);
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
      // Known from where the passage starts (an uploaded document's outline says which section
      // each paragraph is in); else found by its text.
      let index = outline.paragraphSections && passage.firstParagraph !== undefined ? (outline.paragraphSections[passage.firstParagraph] ?? -1) : -2;
      if (index === -2) {
        const match = outline.index.find(passage.text);
        index = match.found === "section" ? match.section : -1;
      }
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

/** White space collapsed, for finding a sentence inside a passage. */
function squeezeKey(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Reads as prose: a dozen words or more and a sentence end after a word ("… words." or "…字。"). */
function isProse(text: string): boolean {
  return countWords(text) >= 12 && /(?:\p{Ll}{2,}[.!?]["'”’)\]]*(\s|$)|[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}][。！？])/u.test(text);
}
