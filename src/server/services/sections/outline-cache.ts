// Per-document outlines (sections, ids, the text index, recorded sources) and paragraph lists,
// kept in memory so the Sources panel's calls — made on every selection change by every open
// pane — are lookups, not re-reads of the .docx.
//
// Entries are keyed by document id and checked against the document's version (updated_at,
// content hash and status): a document whose row changed (a generation completing again) is
// rebuilt on its next use. Concurrent requests for a document that is not cached yet share one
// build. The cache is bounded by entry count and by an estimate of the characters it holds; the
// least recently used entries go first.
import type { SectionListing, Source } from "../../../shared/wire/sections";
import { documentOutline, sectionIds } from "../../docx/outline";
import { cleanText } from "../../docx/headings";
import { DocxRejectedError, type DocxLimits } from "../../docx/inspect-docx";
import type { DocxParagraph } from "../../docx/paragraphs";
import { HttpError } from "../../errors";
import type { DocumentRow } from "../../storage/document-row";
import type { SectionSentence } from "../../storage/generation-store";
import type { Storage } from "../../storage/storage";
import { inProcessReader, saveIngested, type DocxReader, type Ingested } from "../docx-reader";
import { SectionTextIndex, type TextIndexParts, type TextUnit } from "./text-index";

export interface OutlineSection {
  section_id: string;
  section_title: string;
  section_order: number;
  /** 1 = Heading 1 … 9. */
  level: number;
  /** The section's body text: paragraphs joined by "\n" (uploaded) or as stored (generated). */
  text: string;
}

/** A source as this server records it: every field of the wire's, passage_id and passage_index too. */
export type SourceEntry = Required<Source>;

export interface CachedOutline {
  documentId: string;
  documentName: string;
  kind: "local" | "generated";
  sections: OutlineSection[];
  /** The sections as get-sections-for-document answers them. */
  listing: SectionListing[];
  /** Section index by section_id. */
  byId: Map<string, number>;
  /** Recorded sources per section_id; null when the document has none recorded (uploaded). */
  sources: Map<string, SourceEntry[]> | null;
  index: SectionTextIndex;
  /** Uploaded documents: the section of each paragraph of the file (-1: before the first heading). */
  paragraphSections?: number[];
  /** Generated documents: each section's sentences with the passages they come from, by section_id. */
  sentences?: Map<string, SectionSentence[]>;
}

export interface OutlineCacheOptions {
  maxEntries: number;
  /** Rough budget for the text held (characters). */
  maxChars: number;
}

export const DEFAULT_OUTLINE_CACHE: OutlineCacheOptions = { maxEntries: 500, maxChars: 64 * 1024 * 1024 };

interface Entry<T> {
  version: string;
  value: Promise<T>;
  size: number;
}

function versionOf(row: DocumentRow): string {
  return `${row.updated_at}|${row.sha256 ?? ""}|${row.status}`;
}

function noLongerStored(row: DocumentRow): HttpError {
  return new HttpError(
    404,
    `The file of the document "${row.document_name}" is no longer stored on the server. Upload the document again.`,
  );
}

/** An uploaded document's outline as plain data: what a worker thread builds and sends back. */
export interface OutlineParts {
  sections: OutlineSection[];
  index: TextIndexParts;
  /** For each paragraph of the file, the section it is in (-1: before the first heading). */
  paragraphSections: number[];
}

/** The sections of an uploaded document, from its paragraphs (the one place this is decided). */
export function uploadedOutlineParts(paragraphs: readonly DocxParagraph[]): OutlineParts {
  const { headings, preamble } = documentOutline(paragraphs);
  const ids = sectionIds(headings.map((heading) => heading.title));
  const sections = headings.map((heading, order) => ({
    section_id: ids[order] as string,
    section_title: heading.title,
    section_order: order,
    level: heading.level,
    text: heading.bodyParagraphs.map((index) => cleanText(paragraphs[index]?.text ?? "")).join("\n"),
  }));
  const textOf = (index: number) => paragraphs[index]?.text ?? "";
  const units: TextUnit[] = [
    { section: null, pieces: preamble.map(textOf) },
    ...headings.map((heading, order) => ({
      section: order,
      pieces: [...heading.headingParagraphs, ...heading.bodyParagraphs].map(textOf),
      headingPieces: heading.headingParagraphs.length,
    })),
  ];
  const paragraphSections = new Array<number>(paragraphs.length).fill(-1);
  headings.forEach((heading, order) => {
    for (const index of [...heading.headingParagraphs, ...heading.bodyParagraphs]) paragraphSections[index] = order;
  });
  return { sections, index: new SectionTextIndex(units).toParts(), paragraphSections };
}

export function outlineFromParts(row: DocumentRow, parts: OutlineParts): CachedOutline {
  return { ...assemble(row, "local", parts.sections, null, SectionTextIndex.fromParts(parts.index)), paragraphSections: parts.paragraphSections };
}

function assemble(
  row: DocumentRow,
  kind: CachedOutline["kind"],
  sections: OutlineSection[],
  sources: CachedOutline["sources"],
  index: SectionTextIndex,
): CachedOutline {
  return {
    documentId: row.document_id,
    documentName: row.document_name,
    kind,
    sections,
    listing: sections.map(({ section_id, section_title, section_order }) => ({ section_id, section_title, section_order })),
    byId: new Map(sections.map((section, index) => [section.section_id, index])),
    sources,
    index,
  };
}

/** An outline with what it costs the cache (its text as indexed, its sections). */
function withSize(outline: CachedOutline): { value: CachedOutline; size: number } {
  const sentences = [...(outline.sentences?.values() ?? [])].flat().reduce((sum, sentence) => sum + sentence.text.length + 64, 0);
  return { value: outline, size: outline.index.text.length * 4 + outline.sections.reduce((sum, s) => sum + s.text.length + 128, 0) + sentences };
}

export class OutlineCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private chars = 0;

  constructor(
    private readonly storage: Storage,
    private readonly limits: DocxLimits,
    private readonly reader: DocxReader = inProcessReader,
    private readonly options: OutlineCacheOptions = DEFAULT_OUTLINE_CACHE,
  ) {}

  /**
   * Reads a document once for everything, in a worker: its passages stored (and indexed) and its
   * outline built there and kept here. Nothing to do when its passages were stored before.
   * Throws, with the reason, when its file is gone or can't be read as a Word document.
   */
  async ingest(row: DocumentRow): Promise<void> {
    if (!row.stored_file_name) throw noLongerStored(row);
    // Even with its passages stored, a document whose file is gone is reported (as before it was read).
    if (await this.storage.passages.isExtracted(row.document_id)) {
      if (!(await this.storage.files.exists(row))) throw noLongerStored(row);
      return;
    }
    let ingested: Ingested | null;
    try {
      ingested = await this.storage.files.withLocalFile(row, (filePath) => this.reader.ingest(filePath, this.limits));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw noLongerStored(row);
      throw error;
    }
    if (!ingested) throw noLongerStored(row);
    await saveIngested(this.storage, { documentId: row.document_id, organizationId: row.organization_id }, ingested);
    const parts = ingested.outline;
    await this.cached(`outline:${row.document_id}`, versionOf(row), async () => withSize(outlineFromParts(row, parts)));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The paragraphs of a stored document's file, as read for sectioning and passages. */
  paragraphs(row: DocumentRow): Promise<DocxParagraph[]> {
    return this.cached(`paragraphs:${row.document_id}`, versionOf(row), async () => {
      let paragraphs: DocxParagraph[];
      try {
        const read = await this.storage.files.withLocalFile(row, (filePath) => this.reader.read(filePath, this.limits));
        if (!read) throw noLongerStored(row);
        paragraphs = read;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw noLongerStored(row);
        // Accepted when it was uploaded, refused by today's limits: no paragraphs to show.
        if (error instanceof DocxRejectedError) paragraphs = [];
        else throw error;
      }
      return { value: paragraphs, size: paragraphs.reduce((sum, p) => sum + p.text.length + 64, 0) };
    });
  }

  /**
   * A document's outline: generated → its stored template sections and sources; uploaded → its
   * headings, built in a worker from its file.
   */
  outline(row: DocumentRow): Promise<CachedOutline> {
    return this.cached(`outline:${row.document_id}`, versionOf(row), async () => {
      if (row.kind === "generated") return withSize(await this.generatedOutline(row));
      let parts: OutlineParts;
      try {
        const read = await this.storage.files.withLocalFile(row, (filePath) => this.reader.outline(filePath, this.limits));
        if (!read) throw noLongerStored(row);
        parts = read;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw noLongerStored(row);
        // Accepted when it was uploaded, refused by today's limits: no sections to show.
        if (error instanceof DocxRejectedError) parts = uploadedOutlineParts([]);
        else throw error;
      }
      return withSize(outlineFromParts(row, parts));
    });
  }

  private async generatedOutline(row: DocumentRow): Promise<CachedOutline> {
    const stored = await this.storage.generation.sections(row.document_id);
    const sections: OutlineSection[] = stored.map((section) => ({
      section_id: section.section_id,
      section_title: section.section_title,
      section_order: section.section_order,
      level: section.level,
      text: section.text,
    }));
    const sources = new Map<string, SourceEntry[]>(sections.map((section) => [section.section_id, []]));
    for (const source of await this.storage.generation.sourcesOfDocument(row.document_id)) {
      sources.get(source.section_id)?.push({
        document_source_id: source.document_source_id,
        document_source_name: source.document_source_name,
        referenced_text: source.referenced_text,
        s3_key: source.s3_key,
        passage_id: source.passage_id,
        passage_index: source.passage_index,
      });
    }
    // The generated .docx has the output name as its title above the first section: the preamble.
    const title = (await this.storage.generation.getJob(row.document_id))?.output_name;
    const units: TextUnit[] = [
      { section: null, pieces: title ? [title] : [] },
      ...sections.map((section, order) => ({
        section: order,
        pieces: [section.section_title, ...section.text.split(/\n+/)],
        headingPieces: 1,
      })),
    ];
    const sentences = new Map<string, SectionSentence[]>();
    for (const { sectionId, ...sentence } of await this.storage.generation.sentencesOfDocument(row.document_id)) {
      const list = sentences.get(sectionId) ?? [];
      list.push(sentence);
      sentences.set(sectionId, list);
    }
    return { ...assemble(row, "generated", sections, sources, new SectionTextIndex(units)), sentences };
  }

  private cached<T>(key: string, version: string, build: () => Promise<{ value: T; size: number }>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      // Most recently used goes last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    if (hit) this.remove(key);
    const entry: Entry<T> = { version, size: 0, value: Promise.resolve() as Promise<never> };
    entry.value = build().then(
      ({ value, size }) => {
        if (this.entries.get(key) === entry) {
          entry.size = size;
          this.chars += size;
          this.evict();
        }
        return value;
      },
      (error: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, entry as Entry<unknown>);
    this.evict();
    return entry.value;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.chars -= entry.size;
    this.entries.delete(key);
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries && this.chars <= this.options.maxChars) return;
      // Keep at least the newest entry, however large.
      if (this.entries.size === 1) return;
      this.remove(key);
    }
  }
}
