// Tagging one document of a batch, in named steps: Resolve (file_path → a document of the job's
// organization, or with file_source_type "url" an address to download it from — what a tagger
// separate from the documents service is given), Read (its text, the first num_pages pages), Tag
// (the model when configured, else the organization-wide keywords). A problem with the document itself is a DocumentTagError whose
// message is the result's error; the job goes on with the next document.
import { HttpError } from "../../errors";
import type { BatchJobRow, BatchResultRow } from "../../storage/batch-store";
import type { DocumentRow } from "../../storage/document-row";
import type { Storage } from "../../storage/storage";
import { ModelCallError, type LlmConfig } from "../chat/llm";
import { UnreadableUrlError, firstPages, isTaggable, type TaggingTexts } from "./document-text";
import { keywordTags } from "./keywords";
import { modelTags } from "./model-tags";
import { tagsOf } from "./wire";

export const FILE_PATH_REQUIRED = "file_path is required";
export const DOCUMENT_NOT_FOUND = "Document not found";
export const NO_TEXT = "This document has no text to tag.";
export const NO_KEYWORDS = "No words of this document make usable tags (it is very short, or every word is a common or excluded word).";

export class DocumentTagError extends Error {
  override name = "DocumentTagError";
}

export interface JobSettings {
  numTags: number;
  numPages: number;
  exclusionWords: string[];
}

/** What a result's file_path names: one of this server's documents, or a document to download. */
export type TagTarget = { kind: "stored"; document: DocumentRow } | { kind: "url"; url: string };

export function settingsOf(job: BatchJobRow): JobSettings {
  return { numTags: job.num_tags, numPages: job.num_pages, exclusionWords: tagsOf(job.exclusion_words_json) };
}

export class DocumentTagger {
  constructor(
    private readonly storage: Storage,
    private readonly texts: TaggingTexts,
    private readonly llm: LlmConfig | null,
  ) {}

  /** Resolve: the job's organization's document behind a result's file_path (an s3_key), or its address. */
  async resolve(job: BatchJobRow, result: BatchResultRow): Promise<TagTarget> {
    const filePath = result.file_path.trim();
    if (!filePath) throw new DocumentTagError(FILE_PATH_REQUIRED);
    if (result.file_source_type === "url") {
      if (!/^https?:\/\//i.test(filePath)) throw new DocumentTagError('With file_source_type "url", file_path must be an http(s) address of the document.');
      return { kind: "url", url: filePath };
    }
    if (result.file_source_type !== "s3") {
      throw new DocumentTagError(
        `Send file_source_type "s3" with the document's s3_key as file_path, or "url" with an address of the document (got "${result.file_source_type}").`,
      );
    }
    const document = await this.storage.documents.findByS3Key(filePath);
    if (!document || document.organization_id !== job.organization_id) throw new DocumentTagError(DOCUMENT_NOT_FOUND);
    if (!isTaggable(document)) {
      throw new DocumentTagError(`The document "${document.document_name}" is still being generated (${document.status}); tag it once it is Ready.`);
    }
    return { kind: "stored", document };
  }

  /** Read and Tag. `signal` aborts a model call (the per-document time limit, or the server stopping). */
  async tag(job: BatchJobRow, result: BatchResultRow, target: TagTarget, signal: AbortSignal): Promise<string[]> {
    const settings = settingsOf(job);
    let text: string;
    try {
      text = target.kind === "url" ? await this.texts.textOfUrl(target.url, signal) : await this.texts.textOf(target.document);
    } catch (error) {
      if (error instanceof HttpError || error instanceof UnreadableUrlError) throw new DocumentTagError(error.message);
      throw error;
    }
    signal.throwIfAborted();
    if (!/\p{L}/u.test(text)) throw new DocumentTagError(NO_TEXT);
    const pages = firstPages(text, settings.numPages);
    const corpus = await this.texts.corpusOf(job.organization_id, pages, signal);
    signal.throwIfAborted();
    const keywords = () => keywordTags(pages, corpus, { count: settings.numTags, exclusionWords: settings.exclusionWords });

    let tags: string[];
    if (this.llm) {
      try {
        tags = await modelTags(
          this.llm,
          { title: result.title, text: pages, count: settings.numTags, exclusionWords: settings.exclusionWords },
          keywords,
          signal,
        );
      } catch (error) {
        if (error instanceof ModelCallError) throw new DocumentTagError(error.message);
        throw error;
      }
    } else {
      tags = keywords();
    }
    if (tags.length === 0) throw new DocumentTagError(NO_KEYWORDS);
    return tags;
  }
}
