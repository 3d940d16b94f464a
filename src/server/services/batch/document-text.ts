// The text batch tagging reads: a document's passages (extracted once per document and kept, the
// same ones chat and generation retrieve from) with their headings, and the organization's
// documents as the TF-IDF corpus (document frequencies cached until the set of documents changes).
import { cleanText } from "../../docx/headings";
import type { DocumentRow, Storage } from "../../storage/storage";
import { splitIntoPassages } from "../generation/passages";
import type { OutlineCache } from "../sections/outline-cache";
import { buildCorpus, type Corpus } from "./keywords";

/** A page of a Word document holds about this many words (num_pages is counted in these). */
export const WORDS_PER_PAGE = 500;

/** The text up to the end of its `pages`-th page (num_pages × 500 words). */
export function firstPages(text: string, pages: number): string {
  const limit = pages * WORDS_PER_PAGE;
  const word = /\S+/g;
  let count = 0;
  let match: RegExpExecArray | null;
  while ((match = word.exec(text)) !== null) {
    count++;
    if (count === limit) return text.slice(0, match.index + match[0].length);
  }
  return text;
}

/** Documents whose text can be read for tagging: uploaded ones, and generated ones once Ready. */
export function isTaggable(row: DocumentRow): boolean {
  return row.kind !== "generated" || row.status === "Ready";
}

export class TaggingTexts {
  private readonly corpora = new Map<string, { signature: string; corpus: Corpus }>();

  constructor(
    private readonly storage: Storage,
    private readonly outlines: OutlineCache,
  ) {}

  /**
   * The document's text: headings and passages in document order. Extracts passages on first use.
   * A document too short to make a passage (fewer than three words) is read as its paragraphs, so
   * it gets the few tags it has words for instead of failing as if it had no text.
   */
  async textOf(row: DocumentRow): Promise<string> {
    if (!this.storage.passages.isExtracted(row.document_id)) {
      const paragraphs = await this.outlines.paragraphs(row);
      this.storage.passages.save(row.document_id, splitIntoPassages(paragraphs));
    }
    const text = this.storedText(row.document_id);
    if (text.trim()) return text;
    return (await this.outlines.paragraphs(row)).map((paragraph) => cleanText(paragraph.text)).filter(Boolean).join("\n");
  }

  private storedText(documentId: string): string {
    const lines: string[] = [];
    let heading: string | null = null;
    for (const passage of this.storage.passages.listForDocuments([documentId])) {
      if (passage.heading && passage.heading !== heading) lines.push(passage.heading);
      heading = passage.heading;
      lines.push(passage.text);
    }
    return lines.join("\n");
  }

  /**
   * Document frequencies over the organization's documents. Documents never read before are read
   * now (once; their passages are kept); ones that cannot be read are left out.
   */
  async corpusOf(organizationId: string): Promise<Corpus> {
    const readable: string[] = [];
    for (const row of this.storage.listDocuments(organizationId)) {
      if (!isTaggable(row)) continue;
      if (!this.storage.passages.isExtracted(row.document_id)) {
        try {
          await this.textOf(row);
        } catch {
          continue;
        }
      }
      readable.push(row.document_id);
    }
    const signature = readable.sort().join(",");
    const cached = this.corpora.get(organizationId);
    if (cached && cached.signature === signature) return cached.corpus;
    const corpus = buildCorpus(readable.map((id) => this.storedText(id)));
    this.corpora.set(organizationId, { signature, corpus });
    return corpus;
  }
}
