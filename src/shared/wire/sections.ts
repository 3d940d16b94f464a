// The Sources panel's bodies (docs/api.md "Sections and sources"; docs/vendors.md, Artos §3.6,
// §3.7): a document's sections, the section holding selected text, a section's sources, and (our
// extension) a source passage in context. The server validates requests with these schemas (a
// failure is a 422 naming the field); the pane imports the types only. Ids are passed back byte for
// byte, never trimmed.
import { z } from "zod";
import { objectBody, optionalText, requiredText, wholeNumber } from "./fields";

/** Longest context asked for around a passage, in paragraphs on each side. */
export const MAX_CONTEXT_PARAGRAPHS = 20;

export const sectionListing = z.object({
  section_id: z.string(),
  section_title: z.string(),
  section_order: z.number(),
});
export type SectionListing = z.infer<typeof sectionListing>;

/** POST /get-sections-for-document */
export const sectionsForDocumentRequest = objectBody({ document_id: requiredText() }, '{"document_id": "..."}');
export type SectionsForDocumentRequest = z.infer<typeof sectionsForDocumentRequest>;

/** In document order; an empty list for a document without headings. */
export const sectionsForDocumentResponse = z.object({ sections: z.array(sectionListing) });
export type SectionsForDocumentResponse = z.infer<typeof sectionsForDocumentResponse>;

/** POST /get-section-from-text → SectionListing (404 when no section holds the text). */
export const sectionFromTextRequest = objectBody(
  { document_id: requiredText(), text: requiredText() },
  '{"document_id": "...", "text": "<the selected text>"}',
);
export type SectionFromTextRequest = z.infer<typeof sectionFromTextRequest>;

/**
 * POST /get-sources-for-selected-text: the section by id, or the one holding `selected_text`
 * (section_id wins when both are sent). An empty or null section_id counts as not sent.
 */
export const sourcesForSelectedTextRequest = objectBody(
  { document_id: requiredText(), section_id: optionalText(), selected_text: optionalText() },
  '{"document_id": "...", "section_id": "..."} or {"document_id": "...", "selected_text": "..."}',
).refine((body) => !!body.section_id || !!body.selected_text?.trim(), {
  message: "send a section_id or the selected_text (or both)",
  path: ["section_id"],
});
export type SourcesForSelectedTextRequest = z.infer<typeof sourcesForSelectedTextRequest>;

/** A passage of a source file that a section was written from. */
export const source = z.object({
  document_source_id: z.string(),
  document_source_name: z.string(),
  referenced_text: z.string(),
  s3_key: z.string(),
  /** Local server: what get-source-context takes, with document_source_id. */
  passage_id: z.string().optional(),
  /** Local server: the passage's place in its document. */
  passage_index: z.number().optional(),
});
export type Source = z.infer<typeof source>;

export const sectionSources = z.object({
  section_id: z.string(),
  section_title: z.string(),
  sources: z.array(source),
  /**
   * Local server, generated documents: when `selected_text` holds (or lies within) sentences the
   * server wrote, the sources those sentences come from, in the order of `sources`; absent
   * otherwise (then the section's sources are all there is).
   */
  selected_text_sources: z.array(source).optional(),
});
export type SectionSources = z.infer<typeof sectionSources>;

/** POST /get-source-context (our extension): both ids from one source of get-sources-for-selected-text. */
export const sourceContextRequest = objectBody(
  {
    document_source_id: requiredText(),
    passage_id: requiredText(),
    /** Paragraphs of context on each side (the server's default when left out). */
    paragraphs: wholeNumber(0, MAX_CONTEXT_PARAGRAPHS).nullish(),
  },
  '{"document_source_id": "...", "passage_id": "..."} (both from a source of get-sources-for-selected-text)',
);
export type SourceContextRequest = z.infer<typeof sourceContextRequest>;

export const sourceContext = z.object({
  document_id: z.string(),
  document_name: z.string(),
  s3_key: z.string(),
  passage_id: z.string(),
  passage_index: z.number(),
  /** Paragraphs before the passage, nearest last. */
  before: z.array(z.string()),
  passage: z.string(),
  /** Paragraphs after the passage, nearest first. */
  after: z.array(z.string()),
});
export type SourceContext = z.infer<typeof sourceContext>;
