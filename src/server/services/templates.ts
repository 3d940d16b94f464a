// Templates (docs/vendors.md Artos §6; docs/api.md): the built-ins every organization sees plus each
// organization's uploaded ones. An uploaded .docx becomes a template whose sections are its
// headings (Heading 1-3 or outline levels 0-2) and whose instructions are the text under each.
import type { Template, TemplateSection } from "../../shared/wire/templates";
import { headingSections } from "../docx/headings";
import { paragraphsFromXml } from "../docx/paragraphs";
import { HttpError } from "../errors";
import type { Storage } from "../storage/storage";
import type { TemplateWithSections } from "../storage/template-store";
import type { Caller } from "./auth";
import { BUILT_IN_TEMPLATES } from "./builtin-templates";
import { sanitizeDocumentName } from "./documents";
import type { CheckedDocx } from "./docx-upload";

/** A template as this server answers it: every field of the wire's, each section's instructions too. */
export interface TemplateResponse extends Required<Omit<Template, "sections">> {
  sections: Array<Required<TemplateSection>>;
}

const MAX_NAME_CHARS = 200;
const MAX_TYPE_CHARS = 100;
const MAX_SECTIONS = 200;
const MAX_INSTRUCTIONS_CHARS = 4000;
export const DEFAULT_DOCUMENT_TYPE = "General";

export const NO_HEADINGS =
  "This document has no headings, and a template needs them: each heading (Heading 1, 2 or 3 style) becomes a template section and the text under it becomes that section's instructions. Add headings in Word and upload it again.";

function truncate(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join("").trimEnd()}…`;
}

export function templateResponse(template: TemplateWithSections): TemplateResponse {
  return {
    id: template.template_id,
    template_id: template.template_id,
    template_name: template.template_name,
    document_type: template.document_type,
    built_in: template.organization_id === null,
    source_document_name: template.source_file_name,
    created_at: template.created_at,
    updated_at: template.updated_at,
    sections: template.sections.map((section) => ({
      section_id: section.section_id,
      section_name: section.section_name,
      order_index: section.order_index,
      level: section.level,
      instructions: section.instructions,
    })),
  };
}

export class TemplateService {
  constructor(private readonly storage: Storage) {}

  /** Writes the built-in templates (at each start, so code changes reach existing databases). */
  async ensureBuiltIns(): Promise<void> {
    await this.storage.templates.replaceBuiltIns([...BUILT_IN_TEMPLATES]);
  }

  async list(caller: Caller): Promise<TemplateResponse[]> {
    return (await this.storage.templates.listVisible(caller.organizationId)).map(templateResponse);
  }

  /** Makes a template of the organization from an uploaded (checked) .docx. */
  async createFromDocx(
    caller: Caller,
    upload: CheckedDocx,
    fields: { filename: string | undefined; templateName?: string; documentType?: string },
  ): Promise<TemplateResponse> {
    const paragraphs = paragraphsFromXml(upload.inspection.mainDocumentXml, upload.inspection.stylesXml);
    const headings = headingSections(paragraphs);
    if (headings.length === 0) throw new HttpError(400, NO_HEADINGS);
    if (headings.length > MAX_SECTIONS) {
      throw new HttpError(
        400,
        `This document has ${headings.length} headings; a template can have at most ${MAX_SECTIONS} sections. Keep only the headings that should become sections (Heading 1-3) and upload it again.`,
      );
    }
    const fileName = sanitizeDocumentName(fields.filename);
    const templateName = truncate(fields.templateName?.trim() || fileName.replace(/\.docx$/i, ""), MAX_NAME_CHARS);
    const documentType = truncate(fields.documentType?.trim() || DEFAULT_DOCUMENT_TYPE, MAX_TYPE_CHARS);
    const template = await this.storage.templates.insert(caller.organizationId, {
      templateName,
      documentType,
      sourceFileName: fileName,
      sections: headings.map((heading) => ({
        sectionName: truncate(heading.title, MAX_NAME_CHARS),
        level: heading.level,
        instructions: truncate(heading.body.join("\n"), MAX_INSTRUCTIONS_CHARS),
      })),
    });
    return templateResponse(template);
  }
}
