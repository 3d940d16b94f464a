// POST /api/v1/documents/generate (CONTRACT.md, artos.md §3.2): checks the request, resolves
// its references in the caller's organization, and queues the job (202 with the new document's
// id). Same output_name in the same organization → the existing document's id, nothing new.
import { HttpError } from "../../errors";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { sanitizeDocumentName } from "../documents";
import type { GenerationRequestRecord } from "./pipeline";
import type { GenerationQueue } from "./queue";

export const ACCEPTED_MESSAGE = "Request to generate document has been accepted and is being processed in the background.";

const MAX_SOURCES = 100;
const MAX_INSTRUCTIONS_CHARS = 8000;

type Body = Record<string, unknown>;

/** Field names as the contract gives them: [primary, alias]. */
const FIELDS = {
  documentType: ["document_type"],
  filePaths: ["file_paths"],
  setId: ["connector_data_id", "document_set_key"],
  setName: ["workspace_name", "document_set_name"],
  templateId: ["template_id", "generic_mrt_id"],
  outputName: ["output_name"],
} as const;

function described(names: readonly string[]): string {
  return names.length > 1 ? `${names[0]} (or ${names.slice(1).join(", ")})` : (names[0] as string);
}

/** The value under the first of `names` that is present and not null. */
function pick(body: Body, names: readonly string[]): unknown {
  for (const name of names) if (body[name] !== undefined && body[name] !== null) return body[name];
  return undefined;
}

function quoteList(values: string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}

export interface GenerateResult {
  status: 202;
  body: { message: string; task_id: string };
}

export class GenerateRequestService {
  constructor(
    private readonly storage: Storage,
    private readonly queue: GenerationQueue,
  ) {}

  generate(caller: Caller, raw: unknown): GenerateResult {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new HttpError(
        400,
        "Send the generation request as a JSON object with document_type, file_paths, connector_data_id, workspace_name, template_id and output_name.",
      );
    }
    const body = raw as Body;

    // 1. Every field present and of the right shape; all problems in one answer.
    const missing: string[] = [];
    const problems: string[] = [];
    const text = (names: readonly string[]): string => {
      const value = pick(body, names);
      if (value === undefined || (typeof value === "string" && value.trim() === "")) {
        missing.push(described(names));
        return "";
      }
      if (typeof value !== "string") {
        problems.push(`${described(names)} must be a string.`);
        return "";
      }
      return value.trim();
    };
    const documentType = text(FIELDS.documentType);
    const setId = text(FIELDS.setId);
    const setName = text(FIELDS.setName);
    const templateId = text(FIELDS.templateId);
    const outputStem = text(FIELDS.outputName).replace(/\.docx$/i, "").trim();
    const outputValue = pick(body, FIELDS.outputName);
    if (typeof outputValue === "string" && outputValue.trim() !== "" && outputStem === "") {
      problems.push('output_name is only ".docx": give the document a name.');
    }

    const filePathsValue = pick(body, FIELDS.filePaths);
    let filePaths: string[] = [];
    if (filePathsValue === undefined) {
      missing.push("file_paths");
    } else if (!Array.isArray(filePathsValue) || filePathsValue.some((item) => typeof item !== "string" || item.trim() === "")) {
      problems.push("file_paths must be a list of s3_key strings of your documents (from GET /api/v1/documents/).");
    } else if (filePathsValue.length === 0) {
      problems.push("file_paths is empty: list the s3_key of at least one source document.");
    } else {
      filePaths = [...new Set((filePathsValue as string[]).map((item) => item.trim()))];
      if (filePaths.length > MAX_SOURCES) problems.push(`file_paths lists ${filePaths.length} documents; the most is ${MAX_SOURCES}.`);
    }

    const selectedValue = body.selected_section_ids;
    let selected: string[] | null = null;
    if (selectedValue !== undefined && selectedValue !== null) {
      if (!Array.isArray(selectedValue) || selectedValue.some((item) => typeof item !== "string")) {
        problems.push("selected_section_ids must be a list of section_id strings of the template (or null for all sections).");
      } else if (selectedValue.length === 0) {
        problems.push("selected_section_ids is empty: list the template sections to generate, or leave it out to generate them all.");
      } else {
        selected = [...new Set(selectedValue as string[])];
      }
    }

    const instructionsValue = body.document_instructions;
    let documentInstructions: string | null = null;
    if (instructionsValue !== undefined && instructionsValue !== null) {
      if (typeof instructionsValue !== "string") problems.push("document_instructions must be a string.");
      else if (instructionsValue.length > MAX_INSTRUCTIONS_CHARS) {
        problems.push(`document_instructions is ${instructionsValue.length} characters long; the most is ${MAX_INSTRUCTIONS_CHARS}.`);
      } else documentInstructions = instructionsValue.trim() || null;
    }

    if (missing.length > 0 || problems.length > 0) {
      const parts = [];
      if (missing.length > 0) parts.push(`Missing required field${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}.`);
      parts.push(...problems);
      throw new HttpError(400, `Cannot generate the document. ${parts.join(" ")}`);
    }

    // 2. What the request names must exist in the caller's organization.
    const template = this.storage.templates.getVisible(templateId, caller.organizationId);
    if (!template) {
      throw new HttpError(400, `Template not found: there is no template "${templateId}" you can use. Pick one from GET /api/v1/templates/.`);
    }
    const documentSet = this.storage.documentSets.get(caller.organizationId, setId);
    if (!documentSet) {
      throw new HttpError(
        400,
        `document set not found: your organization has no document set with the id "${setId}". Pick one from GET /api/v1/document-sets/ or create one with POST /api/v1/document-sets/.`,
      );
    }

    const unreadable: string[] = [];
    const notReady: string[] = [];
    const sourceIds: string[] = [];
    for (const key of filePaths) {
      const document = this.storage.findDocumentByS3Key(key);
      if (!document || document.organization_id !== caller.organizationId) unreadable.push(key);
      else if (document.status !== "Ready" || !document.stored_file_name) notReady.push(`"${key}" (${document.document_name}, ${document.status})`);
      else sourceIds.push(document.document_id);
    }
    if (unreadable.length > 0) {
      throw new HttpError(
        400,
        `These file_paths cannot be read: ${quoteList(unreadable)}. Use the s3_key of documents of your organization (GET /api/v1/documents/ lists them; upload with POST /api/v1/documents/local).`,
      );
    }
    if (notReady.length > 0) {
      throw new HttpError(400, `These file_paths are not ready to be used as sources yet: ${notReady.join(", ")}. Wait until they are Ready.`);
    }

    let outline = template.sections;
    if (selected) {
      const known = new Set(template.sections.map((section) => section.section_id));
      const unknown = selected.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new HttpError(
          400,
          `selected_section_ids has ids that are not sections of the template "${template.template_name}": ${quoteList(unknown)}. Use section_id values from GET /api/v1/templates/.`,
        );
      }
      const wanted = new Set(selected);
      outline = template.sections.filter((section) => wanted.has(section.section_id));
    }

    // 3. Queue it (or find the earlier generation under this name).
    const documentName = sanitizeDocumentName(`${outputStem}.docx`);
    const outputName = documentName.replace(/\.docx$/i, "");
    const record: GenerationRequestRecord = {
      document_type: documentType,
      file_paths: filePaths,
      source_document_ids: sourceIds,
      document_set_id: documentSet.document_set_id,
      workspace_name: setName,
      template: { template_id: template.template_id, template_name: template.template_name },
      outline: outline.map((section) => ({
        section_id: section.section_id,
        section_name: section.section_name,
        order_index: section.order_index,
        level: section.level,
        instructions: section.instructions,
      })),
      selected_section_ids: selected,
      document_instructions: documentInstructions,
    };
    const { document, created } = this.storage.generation.createGenerated({
      organizationId: caller.organizationId,
      requestedBy: caller.userId,
      documentName,
      outputName,
      workspaceId: documentSet.document_set_id,
      template: record.template,
      requestJson: JSON.stringify(record),
    });
    if (created) this.queue.notify();
    return {
      status: 202,
      body: {
        message: created
          ? ACCEPTED_MESSAGE
          : `A document named "${document.document_name}" was already generated in your organization; this is its task_id. To generate again, use a new output_name.`,
        task_id: document.document_id,
      },
    };
  }
}
