// The Templates API's bodies (docs/api.md "Templates and document sets"; docs/vendors.md, Artos
// §6): the list, and (our extension) a template made from an uploaded .docx. The pane imports the
// types only. Fields marked "local server" are this server's additions: a vendor may leave them
// out.
import { z } from "zod";

export const templateSection = z.object({
  section_id: z.string(),
  section_name: z.string(),
  order_index: z.number(),
  /** 1 = Heading 1 … */
  level: z.number(),
  /** Local server: the text under the section's heading in the template file. */
  instructions: z.string().optional(),
});
export type TemplateSection = z.infer<typeof templateSection>;

export const template = z.object({
  template_id: z.string(),
  template_name: z.string(),
  document_type: z.string(),
  sections: z.array(templateSection),
  /** The same value as template_id (docs/vendors.md, Artos §6). */
  id: z.string().optional(),
  /** Local server: every organization sees the built-in templates. */
  built_in: z.boolean().optional(),
  source_document_name: z.string().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type Template = z.infer<typeof template>;

/** GET /api/v1/templates/ */
export const templateListResponse = z.object({ templates: z.array(template) });
export type TemplateListResponse = z.infer<typeof templateListResponse>;

/**
 * POST /api/v1/templates/upload: multipart, the .docx in `file` and these optional text fields
 * (multipart is read by the route itself, not by a schema) → 201 the new Template.
 */
export interface TemplateUploadFields {
  template_name?: string;
  document_type?: string;
}
