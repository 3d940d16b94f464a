// The Documents API's bodies (docs/api.md "Documents" and "Files"; docs/vendors.md, Artos §2–§5):
// upload, the list, one document, generation and its status, presigned file links. The server
// validates requests with these schemas (a failure is a 422 naming the field); the pane imports the
// types only. Fields marked "local server" are this server's additions: a vendor may leave them
// out. Paths are in ../contract/endpoints.ts.
import { z } from "zod";
import { optionalText, pathParams, requiredList, requiredText, trimmedText } from "./fields";

/** GET /api/v1/documents/{document_id} and GET /api/v1/documents/status/{document_id} */
export const documentIdParams = pathParams("document_id");
export type DocumentIdParams = z.infer<typeof documentIdParams>;

/** POST /api/v1/documents/local (multipart field `file`) → 201, or 200 for the same bytes and name again. */
export const uploadedDocument = z.object({
  document_id: z.string(),
  document_name: z.string(),
  s3_key: z.string(),
  status: z.string(),
});
export type UploadedDocument = z.infer<typeof uploadedDocument>;

/** The template a generated document was made from; null for an uploaded one. */
export const templateReference = z.object({ template_id: z.string(), template_name: z.string() });
export type TemplateReference = z.infer<typeof templateReference>;

/** One entry of GET /api/v1/documents/. */
export const documentSummary = z.object({
  document_id: z.string(),
  document_name: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  workspace_id: z.string().nullable(),
  template: templateReference.nullable(),
  /** Local server: where the document is stored (what generation and batch tagging take as a path). */
  s3_key: z.string().optional(),
  /** Local server: null when unknown. */
  size_bytes: z.number().nullable().optional(),
  /** Local server: uploaded or generated. */
  kind: z.enum(["local", "generated"]).optional(),
  /** Local server: a generated document's generation status; "Ready" for an upload. */
  status: z.string().optional(),
  /** Local server: the tags of the last batch tagging of the document. */
  tags: z.array(z.string()).optional(),
});
export type DocumentSummary = z.infer<typeof documentSummary>;

/** GET /api/v1/documents/ paging (our extension; Artos answers the whole list and ignores them). */
export const DEFAULT_DOCUMENTS_PAGE = 50;
export const MAX_DOCUMENTS_PAGE = 200;
export const documentListQuery = z.object({
  limit: z.coerce
    .number({ error: `must be a whole number from 1 to ${MAX_DOCUMENTS_PAGE}` })
    .int({ error: `must be a whole number from 1 to ${MAX_DOCUMENTS_PAGE}` })
    .min(1, { error: `must be a whole number from 1 to ${MAX_DOCUMENTS_PAGE}` })
    .max(MAX_DOCUMENTS_PAGE, { error: `must be a whole number from 1 to ${MAX_DOCUMENTS_PAGE}` })
    .default(DEFAULT_DOCUMENTS_PAGE),
  offset: z.coerce
    .number({ error: "must be a whole number, 0 or more" })
    .int({ error: "must be a whole number, 0 or more" })
    .min(0, { error: "must be a whole number, 0 or more" })
    .default(0),
});
export type DocumentListQuery = z.input<typeof documentListQuery>;

/** Newest first; `total`, `limit`, `offset` are the local server's (a page of `total`). */
export const documentListResponse = z.object({
  documents: z.array(documentSummary),
  total: z.number().optional(),
  limit: z.number().optional(),
  offset: z.number().optional(),
});
export type DocumentListResponse = z.infer<typeof documentListResponse>;

// ---- generation --------------------------------------------------------------------------------

export const MAX_GENERATION_SOURCES = 100;
export const MAX_DOCUMENT_INSTRUCTIONS_CHARS = 8000;

/** docs/vendors.md, Artos §3.2: each of these may be sent under its alias instead (primary name first). */
export const GENERATE_ALIASES = {
  connector_data_id: "document_set_key",
  workspace_name: "document_set_name",
  template_id: "generic_mrt_id",
} as const;

/** The request with the primary names: an alias's value moves to its primary name when that is absent or null. */
function underPrimaryNames(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const named: Record<string, unknown> = { ...body };
  for (const [primary, alias] of Object.entries(GENERATE_ALIASES)) {
    if (named[primary] == null) named[primary] = named[alias];
  }
  return named;
}

const aliased = (primary: keyof typeof GENERATE_ALIASES) => trimmedText(`is required (or send ${GENERATE_ALIASES[primary]})`);

/**
 * POST /api/v1/documents/generate. The type is the request under the primary names (what the pane
 * sends); the server also accepts the aliases. `file_paths` are s3_keys of documents the caller
 * can read; `output_name` is the new document's name (a trailing ".docx" is dropped).
 */
export const generateRequest = z.preprocess(
  underPrimaryNames,
  z.object(
    {
      document_type: trimmedText(),
      file_paths: requiredList(
        z.string({ error: "must be an s3_key (a string)" }).trim().min(1, { message: "must be an s3_key, not blank" }),
        "a list of s3_key strings of your documents (from GET /api/v1/documents/)",
      )
        .min(1, { message: "is empty: list the s3_key of at least one source document" })
        .max(MAX_GENERATION_SOURCES, { message: `lists more than ${MAX_GENERATION_SOURCES} documents` }),
      connector_data_id: aliased("connector_data_id"),
      workspace_name: aliased("workspace_name"),
      template_id: aliased("template_id"),
      output_name: trimmedText().refine((name) => name.replace(/\.docx$/i, "").trim() !== "", {
        message: 'is only ".docx": give the document a name',
      }),
      selected_section_ids: z
        .array(z.string({ error: "must be a section_id (a string)" }), {
          error: "must be a list of section_id strings of the template (or null for all sections)",
        })
        .min(1, { message: "is empty: list the template sections to generate, or leave it out to generate them all" })
        .nullish(),
      document_instructions: optionalText().refine((text) => text == null || text.length <= MAX_DOCUMENT_INSTRUCTIONS_CHARS, {
        message: `is longer than ${MAX_DOCUMENT_INSTRUCTIONS_CHARS} characters`,
      }),
    },
    { error: "Send the generation request as a JSON object with document_type, file_paths, connector_data_id, workspace_name, template_id and output_name." },
  ),
);
export type GenerateRequest = z.infer<typeof generateRequest>;

/** 202: `task_id` is the new (or, for an output_name used before, the existing) document's id. */
export const generateAccepted = z.object({ message: z.string(), task_id: z.string() });
export type GenerateAccepted = z.infer<typeof generateAccepted>;

export const generationStatus = z.enum(["Pending", "Ingesting", "Generating", "Ready", "Failed"]);
export type GenerationStatus = z.infer<typeof generationStatus>;

/**
 * GET /api/v1/documents/status/{document_id}: `progress` 0–100 or null; `error` only when Failed.
 * `queued_at` and `finished_at` (local server; ISO 8601) say when the generation was asked for and
 * when it ended (Ready or Failed; null before), so how long it took is known after the fact.
 */
export const generationStatusResponse = z.object({
  task_id: z.string(),
  status: generationStatus,
  progress: z.number().nullable(),
  error: z.string().nullable(),
  /** Local server: when the generation was asked for; absent for an uploaded document. */
  queued_at: z.string().optional(),
  /** Local server: when it became Ready or Failed; null while it runs, absent for an uploaded document. */
  finished_at: z.string().nullable().optional(),
});
export type GenerationStatusResponse = z.infer<typeof generationStatusResponse>;

// ---- one document ------------------------------------------------------------------------------

export const documentSection = z.object({
  section_id: z.string(),
  section_title: z.string(),
  section_order: z.number(),
  /** Local server: only with `?include=section_text` (docs/api.md). */
  text: z.string().optional(),
});
export type DocumentSection = z.infer<typeof documentSection>;

export const documentDetail = z.object({
  document_id: z.string(),
  document_name: z.string(),
  status: z.string(),
  s3_key: z.string(),
  workspace_id: z.string().nullable(),
  template: templateReference.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Local server: uploaded or generated. */
  kind: z.enum(["local", "generated"]).optional(),
  sections: z.array(documentSection),
});
export type DocumentDetail = z.infer<typeof documentDetail>;

/**
 * GET /api/v1/documents/{document_id}: `?include=section_text` adds each section's text (the
 * local server leaves it out otherwise, so that asking for a long document's detail stays cheap).
 */
export const documentDetailQuery = z.object({
  include: z.enum(["section_text"], { error: 'must be "section_text" (or left out)' }).optional(),
});
export type DocumentDetailQuery = z.input<typeof documentDetailQuery>;

/** GET /api/v1/documents/{document_id} */
export const documentDetailResponse = z.object({ document: documentDetail });
export type DocumentDetailResponse = z.infer<typeof documentDetailResponse>;

// ---- presigned file links (docs/api.md "Files") ------------------------------------------------

/** POST /generate-presigned-url */
export const presignedUrlRequest = z.object({ key: requiredText() }, { error: 'Send JSON {"key": "<s3_key>"} with the s3_key of one of your documents.' });
export type PresignedUrlRequest = z.infer<typeof presignedUrlRequest>;

/** An absolute URL that needs no auth header, until it expires. `expires_at` is the local server's. */
export const presignedUrlResponse = z.object({ url: z.string(), expires_at: z.string().optional() });
export type PresignedUrlResponse = z.infer<typeof presignedUrlResponse>;

/** GET /files/{key}: the key is the rest of the path (its slashes kept). */
export const signedFileParams = z.object({ "*": z.string() });

/**
 * GET /files/{key}?expires=…&signature=…: anything but one string each counts as not sent, so
 * the server can answer a broken link with 403 and words rather than a 422.
 */
export const signedFileQuery = z.object({
  expires: z.string().optional().catch(undefined),
  signature: z.string().optional().catch(undefined),
});
export type SignedFileQuery = z.infer<typeof signedFileQuery>;
