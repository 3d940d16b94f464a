// POST /api/batch/start's body (batch-spec.md): checked with zod, every problem named by its
// field. 400 for no documents or too many, 422 `{detail: "<field>: <problem>"}` for a malformed
// body. A document with an empty or unknown file_path is NOT a request error: that document's
// result fails when the job reaches it.
import { z } from "zod";
import { HttpError } from "../../errors";

export const MAX_DOCUMENTS = 500;
export const NO_DOCUMENTS = "No documents provided";
export const DEFAULT_TITLE = "Untitled Document";
export const DEFAULTS = { numPages: 3, numTags: 8 } as const;

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ message }).int({ message }).min(min, { message }).max(max, { message });
}

const documentSchema = z.object(
  {
    title: z.string({ message: "must be a string" }).max(500, { message: "must be at most 500 characters" }).nullish(),
    file_path: z.string({ message: "must be a string (the document's s3_key)" }).max(1000, { message: "must be at most 1000 characters" }).nullish(),
    file_source_type: z.string({ message: 'must be a string ("s3")' }).nullish(),
    description: z.string({ message: "must be a string" }).max(5000, { message: "must be at most 5000 characters" }).nullish(),
  },
  { message: "must be an object with title and file_path (the document's s3_key)" },
);

const startSchema = z.object({
  documents: z.array(documentSchema, { message: "must be a list of documents ({title, file_path, file_source_type})" }),
  config: z
    .object(
      {
        // Accepted for compatibility with the vendor API; the local server never stores it (its model is configured on the server).
        api_key: z.string({ message: "must be a string" }).nullish(),
        model_name: z.string({ message: "must be a string" }).nullish(),
        num_pages: wholeNumber(1, 10).nullish(),
        num_tags: wholeNumber(3, 15).nullish(),
        exclusion_words: z
          .array(z.string({ message: "must be a string" }).max(100, { message: "must be at most 100 characters" }), {
            message: "must be a list of words (strings)",
          })
          .max(1000, { message: "must list at most 1000 words" })
          .nullish(),
      },
      { message: "must be an object ({num_tags, num_pages, exclusion_words})" },
    )
    .nullish(),
  column_mapping: z.record(z.string(), z.unknown(), { message: "must be an object" }).nullish(),
  job_id: z
    .string({ message: "must be a string" })
    .regex(JOB_ID, { message: "must be 1–128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit" })
    .nullish(),
});

export interface StartRequest {
  documents: Array<{ title: string; filePath: string; fileSourceType: string; description: string | null }>;
  numPages: number;
  numTags: number;
  exclusionWords: string[];
  columnMapping: Record<string, unknown> | null;
  jobId: string | null;
}

/** `documents[2].title`, `config.num_tags` */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => (typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${String(part)}` : String(part)), "");
}

export function parseStartRequest(raw: unknown): StartRequest {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new HttpError(400, `${NO_DOCUMENTS}: send a JSON object {documents: [{title, file_path, file_source_type: "s3"}], config: {num_tags, exclusion_words}}.`);
  }
  const documents = (raw as { documents?: unknown }).documents;
  if (documents === undefined || documents === null || (Array.isArray(documents) && documents.length === 0)) {
    throw new HttpError(400, NO_DOCUMENTS);
  }
  if (Array.isArray(documents) && documents.length > MAX_DOCUMENTS) {
    throw new HttpError(400, `Too many documents: ${documents.length}; a batch holds at most ${MAX_DOCUMENTS}. Split them into smaller batches.`);
  }
  const parsed = startSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(422, parsed.error.issues.map((issue) => `${fieldName(issue.path) || "body"}: ${issue.message}`).join("; "));
  }
  const body = parsed.data;
  const exclusionWords = [...new Set((body.config?.exclusion_words ?? []).map((word) => word.trim().toLowerCase()).filter(Boolean))];
  return {
    documents: body.documents.map((document) => ({
      title: document.title?.trim() || DEFAULT_TITLE,
      filePath: document.file_path?.trim() ?? "",
      fileSourceType: document.file_source_type?.trim().toLowerCase() || "s3",
      description: document.description ?? null,
    })),
    numPages: body.config?.num_pages ?? DEFAULTS.numPages,
    numTags: body.config?.num_tags ?? DEFAULTS.numTags,
    exclusionWords,
    columnMapping: body.column_mapping ?? null,
    jobId: body.job_id ?? null,
  };
}
