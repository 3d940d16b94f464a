// The Document sets API's bodies (docs/api.md "Templates and document sets"; docs/vendors.md, Artos
// §7): list and create, per organization. The server validates requests with these schemas (a
// failure is a 422 naming the field); the pane imports the types only.
import { z } from "zod";
import { objectBody, trimmedText } from "./fields";

export const MAX_DOCUMENT_SET_NAME_CHARS = 200;

/** POST /api/v1/document-sets/: the name is trimmed and its runs of spaces made one. */
export const createDocumentSetRequest = objectBody(
  {
    document_set_name: trimmedText("is required: give the document set a name that is not blank")
      .transform((name) => name.replace(/\s+/g, " "))
      .refine((name) => Array.from(name).length <= MAX_DOCUMENT_SET_NAME_CHARS, {
        message: `is too long: use at most ${MAX_DOCUMENT_SET_NAME_CHARS} characters`,
      }),
  },
  '{"document_set_name": "..."}',
);
export type CreateDocumentSetRequest = z.infer<typeof createDocumentSetRequest>;

/** One set: 201 from create (200 when the organization has that name already), and each entry of the list. */
export const documentSet = z.object({
  document_set_id: z.string(),
  document_set_name: z.string(),
  organization_id: z.string(),
  details: z.string().nullable(),
  /** Document ids. */
  documents: z.array(z.string()),
  version: z.number(),
  created_at: z.string().optional(),
});
export type DocumentSet = z.infer<typeof documentSet>;

/** GET /api/v1/document-sets/ */
export const documentSetListResponse = z.object({ document_sets: z.array(documentSet) });
export type DocumentSetListResponse = z.infer<typeof documentSetListResponse>;
