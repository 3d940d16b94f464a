// The text batch tagging reads: a document's passages (extracted once per document and kept, the
// same ones chat and generation retrieve from) with their headings, and the organization's
// documents as the TF-IDF corpus (each document's terms counted once, storage/term-store.ts).
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { cleanText } from "../../docx/headings";
import { DocxRejectedError, type DocxLimits } from "../../docx/inspect-docx";
import { readDocxParagraphs } from "../../docx/paragraphs";
import { HttpError } from "../../errors";
import type { DocumentRow } from "../../storage/document-row";
import type { Storage } from "../../storage/storage";
import type { OutlineCache } from "../sections/outline-cache";
import { hasUnspacedScript, wordSpans } from "../../../shared/words";
import { corpusTerms, textOfPassages, type Corpus } from "./keywords";

/** A page of a Word document holds about this many words (num_pages is counted in these). */
export const WORDS_PER_PAGE = 500;

/**
 * The text up to the end of its `pages`-th page (num_pages × 500 words; in Chinese, Japanese, …
 * words as the shared splitter cuts them, there being no spaces to count by).
 */
export function firstPages(text: string, pages: number): string {
  const limit = pages * WORDS_PER_PAGE;
  if (hasUnspacedScript(text)) {
    const spans = wordSpans(text);
    const last = spans[limit - 1];
    return spans.length > limit && last ? text.slice(0, last.offset + last.word.length) : text;
  }
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

/** A document given by address (file_source_type "url") that can't be read, in words for the result. */
export class UnreadableUrlError extends Error {
  override name = "UnreadableUrlError";
}

/** How a document given by address is read: the most bytes it may have and the .docx checks of an upload. */
export interface UrlReadOptions {
  maxBytes: number;
  limits: DocxLimits;
}

const DEFAULT_URL_READ: UrlReadOptions = { maxBytes: 50 * 1024 * 1024, limits: { maxUnpackedBytes: 500 * 1024 * 1024, maxEntries: 5000 } };

export class TaggingTexts {
  constructor(
    private readonly storage: Storage,
    private readonly outlines: OutlineCache,
    private readonly urlRead: UrlReadOptions = DEFAULT_URL_READ,
  ) {}

  /**
   * The text of a .docx given by address (a tagger separate from the documents service gets a
   * presigned URL of each document): downloaded into tmp/ with a size limit, checked like an
   * upload, read as paragraphs, and removed. Only http(s) addresses; `signal` ends the download.
   */
  async textOfUrl(address: string, signal: AbortSignal): Promise<string> {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new UnreadableUrlError("file_path is not a web address; send an http(s) URL of the document with file_source_type \"url\".");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new UnreadableUrlError(`Only http(s) addresses can be read (got ${url.protocol}).`);
    const shown = `${url.origin}${url.pathname}`; // never the query: a presigned URL's signature stays out of results and logs
    let response: Response;
    try {
      response = await fetch(url, { signal, redirect: "follow" });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new UnreadableUrlError(`The document at ${shown} could not be downloaded (${(error as Error).message}). Check that the documents service is reachable from the tagger.`);
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      const hint = response.status === 403 || response.status === 410 ? " The link may have expired: start the job again for a fresh one." : "";
      throw new UnreadableUrlError(`The document at ${shown} could not be downloaded (HTTP ${response.status}).${hint}`);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > this.urlRead.maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new UnreadableUrlError(`The document at ${shown} is larger than the ${Math.round(this.urlRead.maxBytes / 1048576)} MB this server reads.`);
    }
    const tempPath = path.join(this.storage.files.tmpDir, `${randomUUID()}.download`);
    this.storage.files.claimTemp(tempPath);
    try {
      let received = 0;
      const limit = this.urlRead.maxBytes;
      const counted = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>).on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > limit) counted.destroy(new UnreadableUrlError(`The document at ${shown} is larger than the ${Math.round(limit / 1048576)} MB this server reads.`));
      });
      await pipeline(counted, fs.createWriteStream(tempPath, { mode: 0o600 }), { signal });
      const paragraphs = await readDocxParagraphs(tempPath, this.urlRead.limits);
      return paragraphs.map((paragraph) => cleanText(paragraph.text)).filter(Boolean).join("\n");
    } catch (error) {
      if (error instanceof DocxRejectedError) throw new UnreadableUrlError(`The file at ${shown} is not a Word document Sidecar can read: ${error.message}`);
      throw error;
    } finally {
      fs.rmSync(tempPath, { force: true });
      this.storage.files.releaseTemp(tempPath);
    }
  }

  /**
   * The document's text: headings and passages in document order. Extracts passages on first use.
   * A document too short to make a passage (fewer than three words) is read as its paragraphs, so
   * it gets the few tags it has words for instead of failing as if it had no text.
   */
  async textOf(row: DocumentRow): Promise<string> {
    if (!(await this.storage.passages.isExtracted(row.document_id))) {
      try {
        await this.outlines.ingest(row);
      } catch (error) {
        if (error instanceof DocxRejectedError) throw new HttpError(422, `The document "${row.document_name}" cannot be read: ${error.message}`);
        throw error;
      }
    }
    const text = await this.storedText(row.document_id);
    if (text.trim()) return text;
    return (await this.outlines.paragraphs(row)).map((paragraph) => cleanText(paragraph.text)).filter(Boolean).join("\n");
  }

  private async storedText(documentId: string): Promise<string> {
    return textOfPassages(await this.storage.passages.listForDocuments([documentId]));
  }

  /**
   * Document frequencies over the organization's documents, for the terms of `text` (the text
   * being tagged): counted once per document when it was read (at upload, or here for one never
   * read before — those that cannot be read are left out), looked up now for these terms only.
   * `signal` (the document's time limit, the server stopping) ends the reading between documents.
   */
  async corpusOf(organizationId: string, text: string, signal?: AbortSignal): Promise<Corpus> {
    for (const documentId of await this.storage.terms.uncounted(organizationId)) {
      signal?.throwIfAborted();
      const row = await this.storage.documents.get(documentId);
      if (!row) continue;
      try {
        const documentText = await this.textOf(row);
        // Reading a document for the first time counts its terms on the way (docx-reader.ts); one
        // whose passages were stored before the terms were counted is counted here (count does
        // nothing when another reading counted them meanwhile).
        if (!(await this.storage.terms.isCounted(documentId))) await this.storage.terms.count(documentId, organizationId, corpusTerms(documentText));
      } catch {
        continue;
      }
    }
    return {
      documents: await this.storage.terms.documentsCounted(organizationId),
      documentFrequency: await this.storage.terms.frequencies(organizationId, corpusTerms(text)),
    };
  }
}
