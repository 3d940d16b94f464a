// The Sources panel's calls (docs/api.md "Documents"; docs/vendors.md Artos §3.6, §3.7, §4, §11), scoped to
// the caller's organization:
//
//   get-sections-for-document     the document's sections in order
//   get-section-from-text         the section that holds a piece of selected text
//   get-sources-for-selected-text a section's recorded sources, the section given by id or found
//                                 from the selected text (section_id wins when both are sent)
//   get-source-context            a source passage with the paragraphs around it in its document
//
// Generated documents have their template sections (as stored when generated) and the sources
// recorded for each; uploaded documents have their headings (docx/outline.ts) and no recorded
// sources (an empty list: the pane says so). Everything is answered from the outline cache.
import type {
  SectionFromTextRequest,
  SectionListing,
  SectionSources,
  SectionsForDocumentRequest,
  SectionsForDocumentResponse,
  SourceContext,
  SourceContextRequest,
  SourcesForSelectedTextRequest,
} from "../../../shared/wire/sections";
import { HttpError } from "../../errors";
import type { DocumentRow } from "../../storage/document-row";
import type { SectionSentence } from "../../storage/generation-store";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { readableDocument } from "../documents";
import { cleanText } from "../../docx/headings";
import { normalizeForMatch } from "./normalize";
import type { CachedOutline, OutlineCache } from "./outline-cache";

/** Paragraphs of context on each side of a passage, unless the request asks for another number. */
export const DEFAULT_CONTEXT_PARAGRAPHS = 3;
/** Longest selection accepted (characters); Word selections of whole books are cut to this. */
const MAX_SELECTION_CHARS = 200_000;

/**
 * When a passage is a piece of one long paragraph (passages.ts cuts those at sentence ends), the
 * paragraph's text before and after the piece; empty strings otherwise.
 */
function restOfParagraph(texts: readonly string[], first: number, last: number, passage: string): { head: string; tail: string } {
  const paragraph = texts[first];
  if (first !== last || !paragraph || paragraph === passage) return { head: "", tail: "" };
  const at = paragraph.indexOf(passage);
  if (at === -1) return { head: "", tail: "" };
  return { head: paragraph.slice(0, at).trim(), tail: paragraph.slice(at + passage.length).trim() };
}

export class SectionService {
  constructor(
    private readonly storage: Storage,
    private readonly outlines: OutlineCache,
  ) {}

  async sections(caller: Caller, request: SectionsForDocumentRequest): Promise<SectionsForDocumentResponse> {
    const outline = await this.outlineOf(caller, request.document_id);
    return { sections: outline.listing };
  }

  async sectionFromText(caller: Caller, request: SectionFromTextRequest): Promise<SectionListing> {
    const outline = await this.outlineOf(caller, request.document_id);
    return outline.listing[this.findSection(outline, request.text)] as SectionListing;
  }

  /** The schema has made sure a section_id or a selected text that is not blank came. */
  async sourcesForSelectedText(caller: Caller, request: SourcesForSelectedTextRequest): Promise<SectionSources> {
    const sectionId = request.section_id || null;
    const outline = await this.outlineOf(caller, request.document_id);
    let index: number;
    if (sectionId !== null) {
      const found = outline.byId.get(sectionId);
      if (found === undefined) {
        throw new HttpError(
          404,
          `The document "${outline.documentName}" has no section with the id "${sectionId}". Ask for its sections again (get-sections-for-document) and send one of their section_id values exactly as given.`,
        );
      }
      index = found;
    } else {
      index = this.findSection(outline, request.selected_text ?? "");
    }
    const section = outline.sections[index] as CachedOutline["sections"][number];
    const sources = outline.sources?.get(section.section_id) ?? [];
    const behind = request.selected_text ? passagesBehind(outline.sentences?.get(section.section_id) ?? [], request.selected_text) : null;
    return {
      section_id: section.section_id,
      section_title: section.section_title,
      sources,
      ...(behind ? { selected_text_sources: sources.filter((source) => source.passage_id !== undefined && behind.has(source.passage_id)) } : {}),
    };
  }

  async sourceContext(caller: Caller, request: SourceContextRequest): Promise<SourceContext> {
    const { document_source_id: documentId, passage_id: passageId } = request;
    const around = request.paragraphs ?? DEFAULT_CONTEXT_PARAGRAPHS;
    const row = await readableDocument(this.storage, caller, documentId, true);
    const passage = await this.storage.passages.get(passageId);
    if (!passage || passage.document_id !== row.document_id) {
      throw new HttpError(
        404,
        `The document "${row.document_name}" has no passage "${passageId}". Take document_source_id and passage_id from the same source of get-sources-for-selected-text.`,
      );
    }
    const texts = (await this.outlines.paragraphs(row)).map((paragraph) => cleanText(paragraph.text));
    // A passage cut from a long paragraph: the rest of that paragraph is the nearest context.
    const { head, tail } = restOfParagraph(texts, passage.first_paragraph, passage.last_paragraph, passage.text);
    const before: string[] = head && around > 0 ? [head] : [];
    for (let index = passage.first_paragraph - 1; index >= 0 && before.length < around; index--) {
      const text = texts[index];
      if (text) before.unshift(text);
    }
    const after: string[] = tail && around > 0 ? [tail] : [];
    for (let index = passage.last_paragraph + 1; index < texts.length && after.length < around; index++) {
      const text = texts[index];
      if (text) after.push(text);
    }
    return {
      document_id: row.document_id,
      document_name: row.document_name,
      s3_key: row.s3_key,
      passage_id: passage.passage_id,
      passage_index: passage.passage_index,
      before,
      passage: passage.text,
      after,
    };
  }

  /** The outline of a document the caller may read; a generated one must be Ready. */
  private async outlineOf(caller: Caller, documentId: string): Promise<CachedOutline> {
    const row: DocumentRow = await readableDocument(this.storage, caller, documentId, true);
    if (row.kind === "generated" && row.status !== "Ready") {
      throw new HttpError(
        409,
        row.status === "Failed"
          ? `The document "${row.document_name}" failed to generate, so it has no sections. Generate it again.`
          : `The document "${row.document_name}" is still being generated (${row.status}); its sections are there once it is Ready.`,
      );
    }
    return this.outlines.outline(row);
  }

  /** Index of the section holding `text`; 404 (saying why) when there is none. */
  private findSection(outline: CachedOutline, text: string): number {
    if (outline.sections.length === 0) {
      throw new HttpError(
        404,
        `The document "${outline.documentName}" has no headings, so no section holds the selected text. Add headings (Heading 1, 2, 3 …) in Word to divide it into sections.`,
      );
    }
    const match = outline.index.find(text.length > MAX_SELECTION_CHARS ? text.slice(0, MAX_SELECTION_CHARS) : text);
    if (match.found === "section") return match.section;
    if (match.found === "preamble") {
      throw new HttpError(
        404,
        `The selected text is above the first heading of "${outline.documentName}", so it belongs to no section. Select text under a heading, or pick a section from the list.`,
      );
    }
    throw new HttpError(
      404,
      `No section of "${outline.documentName}" contains the selected text. If the document was edited since it was uploaded, upload it again; otherwise pick a section from the list.`,
    );
  }
}

/** Shortest selection inside a sentence that counts as selecting that sentence. */
const MIN_SELECTED_CHARS = 12;

/**
 * A normalised text without citation marks ("[1]", "[2, 3]", "[4-6]"): a section written into a
 * document where Word can't make footnotes keeps its citations as such marks after the sentences,
 * which the sentences recorded here don't have. Spaces around a removed mark collapse to one.
 */
function withoutCitationMarks(normalized: string): string {
  return normalized.replace(/\s*\[\d+(?:\s*[,-]\s*\d+)*\]/g, "").replace(/ {2,}/g, " ").trim();
}

/**
 * The passages behind the written sentences a selection covers: each sentence the selection holds,
 * or the one sentence it lies within, both sides normalised as every text match is (normalize.ts).
 * Null when it covers none of them (or they come from no passage).
 */
function passagesBehind(sentences: readonly SectionSentence[], selectedText: string): Set<string> | null {
  const selection = withoutCitationMarks(normalizeForMatch(selectedText));
  if (selection.length < MIN_SELECTED_CHARS) return null;
  const covered = sentences.filter((sentence) => {
    const text = withoutCitationMarks(normalizeForMatch(sentence.text));
    return text.length > 0 && (selection.includes(text) || text.includes(selection));
  });
  const ids = new Set(covered.flatMap((sentence) => sentence.passageIds));
  return ids.size > 0 ? ids : null;
}
