// The batch tagging bodies (docs/api.md "Batch tagging"; docs/vendors.md, Ejento Part B): start, a
// job's status with every document's result (`results` is our extension), pause / resume / cancel,
// the caller's open jobs, and the job WebSocket's messages. The server validates requests with
// these schemas (a failure is a 422 naming the field); the pane imports the types only. Paths are
// in ../contract/endpoints.ts.
import { z } from "zod";
import { pathParams, wholeNumber } from "./fields";

/** Documents one job may hold, at most (more is a 400, as the vendor answers). */
export const MAX_BATCH_DOCUMENTS = 500;

export const jobIdParams = pathParams("job_id");
export type JobIdParams = z.infer<typeof jobIdParams>;

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function isWebAddress(text: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/**
 * Where a document is read from: "s3" (file_path is its s3_key in the documents service) or "url"
 * (file_path is an http(s) address of it, e.g. a presigned URL). Case does not matter; left out,
 * null or blank is "s3".
 */
export const fileSourceType = z
  .string({ error: 'must be "s3" or "url"' })
  .nullish()
  .transform((type) => type?.trim().toLowerCase() || "s3")
  .pipe(z.enum(["s3", "url"], { error: 'must be "s3" (file_path is an s3_key) or "url" (file_path is an http(s) address)' }));

/**
 * One document to tag. A missing or blank file_path is not a request error: that document fails
 * ("file_path is required") when the job reaches it, as the vendor's does.
 */
export const batchDocument = z
  .object(
    {
      title: z.string({ error: "must be a string" }).max(500, { message: "must be at most 500 characters" }).nullish(),
      file_path: z
        .string({ error: "must be a string (the document's s3_key, or its address with file_source_type \"url\")" })
        .max(4000, { message: "must be at most 4000 characters" })
        .nullish(),
      file_source_type: fileSourceType,
      description: z.string({ error: "must be a string" }).max(5000, { message: "must be at most 5000 characters" }).nullish(),
    },
    { error: "must be an object with title and file_path (the document's s3_key)" },
  )
  .refine((document) => document.file_source_type !== "url" || !document.file_path?.trim() || isWebAddress(document.file_path.trim()), {
    message: 'must be an absolute http(s) address with file_source_type "url"',
    path: ["file_path"],
  });
export type BatchDocument = z.input<typeof batchDocument>;

/**
 * POST /api/batch/start. `config.api_key` and `config.model_name` are the vendor's tagging
 * settings (the local server never stores the key; it tags with its own model or keywords).
 * `column_mapping` is accepted and stored, not applied (docs/vendors.md, Ejento B2).
 */
export const startBatchRequest = z.object({
  documents: z.array(batchDocument, { error: "must be a list of documents ({title, file_path, file_source_type})" }),
  config: z
    .object(
      {
        api_key: z.string({ error: "must be a string" }).nullish(),
        model_name: z.string({ error: "must be a string" }).nullish(),
        num_pages: wholeNumber(1, 10).nullish(),
        num_tags: wholeNumber(3, 15).nullish(),
        exclusion_words: z
          .array(z.string({ error: "must be a string" }).max(100, { message: "must be at most 100 characters" }), {
            error: "must be a list of words (strings)",
          })
          .max(1000, { message: "must list at most 1000 words" })
          .nullish(),
      },
      { error: "must be an object ({num_tags, num_pages, exclusion_words})" },
    )
    .nullish(),
  column_mapping: z.record(z.string(), z.unknown(), { error: "must be an object" }).nullish(),
  job_id: z
    .string({ error: "must be a string" })
    .regex(JOB_ID, { message: "must be 1–128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit" })
    .nullish(),
});
/** What a client sends. */
export type StartBatchRequest = z.input<typeof startBatchRequest>;
/** What the server's route receives: each document's file_source_type settled to "s3" or "url". */
export type ParsedStartBatchRequest = z.output<typeof startBatchRequest>;

export const startBatchResponse = z.object({ job_id: z.string(), total_documents: z.number(), message: z.string() });
export type StartBatchResponse = z.infer<typeof startBatchResponse>;

// ---- a job and its documents -------------------------------------------------------------------

export const batchJobStatus = z.enum(["pending", "processing", "paused", "completed", "failed", "cancelled"]);
export type BatchJobStatus = z.infer<typeof batchJobStatus>;

export const batchResultStatus = z.enum(["pending", "processing", "success", "failed"]);
export type BatchResultStatus = z.infer<typeof batchResultStatus>;

/** One document's result: `tags` when it succeeded, `error` when it failed. */
export const batchResult = z.object({
  /** 0-based position in the job. */
  row_id: z.number(),
  /** 1-based, as a person counts. */
  row_number: z.number(),
  title: z.string(),
  document_id: z.string().nullable(),
  file_path: z.string(),
  status: batchResultStatus,
  success: z.boolean(),
  tags: z.array(z.string()),
  error: z.string().nullable(),
});
export type BatchResult = z.infer<typeof batchResult>;

/** One of GET /api/batch/active's jobs, and the start of a job's status. `progress` is 0–1. */
export const batchJobSummary = z.object({
  job_id: z.string(),
  status: batchJobStatus,
  progress: z.number(),
  /** Successful documents only (the vendor counts so). */
  processed_count: z.number(),
  failed_count: z.number(),
  /** The vendor's code says `total`, its docs `total_documents`: both are sent. */
  total: z.number(),
  total_documents: z.number(),
  created_at: z.string(),
});
export type BatchJobSummary = z.infer<typeof batchJobSummary>;

/** GET /api/batch/active: the caller's pending, processing and paused jobs. */
export const activeBatchesResponse = z.object({ jobs: z.array(batchJobSummary) });
export type ActiveBatchesResponse = z.infer<typeof activeBatchesResponse>;

/** GET /api/batch/jobs/{job_id}/status */
export const batchStatusResponse = batchJobSummary.extend({
  results_count: z.number(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
  /** The job's own error, when it stopped on one. */
  error: z.string().nullable(),
  config: z.object({ num_tags: z.number(), exclusion_words: z.array(z.string()), model_name: z.string().nullable() }),
  results: z.array(batchResult),
});
export type BatchStatusResponse = z.infer<typeof batchStatusResponse>;

/**
 * POST /api/batch/jobs/{job_id}/pause | resume | cancel → 200 with the job's new status (the
 * vendor's code sends the message only); 409 in words for a move the status does not allow.
 */
export const batchControlResponse = z.object({
  message: z.string(),
  job_id: z.string().optional(),
  status: batchJobStatus.optional(),
});
export type BatchControlResponse = z.infer<typeof batchControlResponse>;

// ---- the job WebSocket (docs/vendors.md, Ejento B3) --------------------------------------------

/**
 * The socket's query: the token (a browser's WebSocket cannot send headers) and the API key. A
 * repeated parameter counts by its first value; anything else counts as not sent, so that every
 * refusal is said over the socket rather than as a refused upgrade.
 */
const firstString = z.preprocess((value) => (Array.isArray(value) ? value[0] : value), z.string().optional().catch(undefined));
export const batchSocketQuery = z.object({ token: firstString, key: firstString });
export type BatchSocketQuery = z.infer<typeof batchSocketQuery>;

/** The job's counts in a catchup. */
export const batchJobState = z.object({
  status: batchJobStatus,
  total: z.number(),
  processed_count: z.number(),
  failed_count: z.number(),
  progress: z.number(),
});
export type BatchJobState = z.infer<typeof batchJobState>;

/**
 * A document started (status processing: no success, tags or error yet) or finished (success with
 * tags, failed with error): its result, with the job's counts.
 */
export const batchProgressMessage = batchResult.partial({ success: true, tags: true, error: true }).extend({
  type: z.literal("progress"),
  job_id: z.string(),
  progress: z.number(),
  processed_count: z.number(),
  failed_count: z.number(),
});
export type BatchProgressMessage = z.infer<typeof batchProgressMessage>;

/** Every message of the job socket, told apart by `type`. After completed, cancelled or error the server closes it. */
export const batchSocketMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("catchup"), job_id: z.string(), state: batchJobState, results: z.array(batchResult) }),
  batchProgressMessage,
  z.object({ type: z.literal("keepalive"), job_id: z.string(), status: batchJobStatus }),
  z.object({
    type: z.literal("completed"),
    job_id: z.string(),
    total_documents: z.number(),
    processed_count: z.number(),
    failed_count: z.number(),
    /** Seconds from the job's first start to its end. */
    processing_time: z.number(),
    message: z.string(),
  }),
  z.object({ type: z.literal("cancelled"), job_id: z.string(), processed_count: z.number(), failed_count: z.number(), message: z.string() }),
  z.object({ type: z.literal("error"), job_id: z.string(), error: z.string(), message: z.string().optional() }),
]);
export type BatchSocketMessage = z.infer<typeof batchSocketMessage>;
