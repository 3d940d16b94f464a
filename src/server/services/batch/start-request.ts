// POST /api/batch/start (docs/vendors.md, Ejento B2): what the body's schema
// (src/shared/wire/batch.ts) cannot say. No documents, or more than a job holds, is a 400 as the
// vendor answers, checked before the schema so that `{}` says "No documents provided"; the defaults
// left to the server are filled here. A document with an empty or unknown file_path is NOT a
// request error: that document's result fails when the job reaches it.
import { MAX_BATCH_DOCUMENTS, type ParsedStartBatchRequest } from "../../../shared/wire/batch";
import { HttpError } from "../../errors";
import type { NewBatchJob } from "../../storage/batch-store";

export const NO_DOCUMENTS = "No documents provided";
export const DEFAULT_TITLE = "Untitled Document";
export const DEFAULTS = { numPages: 3, numTags: 8 } as const;

/** The job as the batch store takes it, less who starts it and with what model. */
export type StartRequest = Pick<NewBatchJob, "documents" | "numPages" | "numTags" | "exclusionWords" | "columnMapping"> & { jobId: string | null };

/** 400 for a body without documents or with too many (the route checks this before the schema). */
export function checkDocumentCount(body: unknown): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, `${NO_DOCUMENTS}: send a JSON object {documents: [{title, file_path, file_source_type: "s3"}], config: {num_tags, exclusion_words}}.`);
  }
  const documents = (body as { documents?: unknown }).documents;
  if (documents === undefined || documents === null || (Array.isArray(documents) && documents.length === 0)) {
    throw new HttpError(400, NO_DOCUMENTS);
  }
  if (Array.isArray(documents) && documents.length > MAX_BATCH_DOCUMENTS) {
    throw new HttpError(400, `Too many documents: ${documents.length}; a batch holds at most ${MAX_BATCH_DOCUMENTS}. Split them into smaller batches.`);
  }
}

/** The server's defaults filled in: titles, page and tag counts, exclusion words lower case and once each. */
export function startRequestOf(body: ParsedStartBatchRequest): StartRequest {
  const exclusionWords = [...new Set((body.config?.exclusion_words ?? []).map((word) => word.trim().toLowerCase()).filter(Boolean))];
  return {
    documents: body.documents.map((document) => ({
      title: document.title?.trim() || DEFAULT_TITLE,
      filePath: document.file_path?.trim() ?? "",
      fileSourceType: document.file_source_type,
      description: document.description ?? null,
    })),
    numPages: body.config?.num_pages ?? DEFAULTS.numPages,
    numTags: body.config?.num_tags ?? DEFAULTS.numTags,
    exclusionWords,
    columnMapping: body.column_mapping ?? null,
    jobId: body.job_id ?? null,
  };
}
