// POST /api/v1/documents/generate (docs/api.md "Documents"; docs/vendors.md, Artos §3.2): resolves
// what the request names in the caller's organization (its shape is checked by the route, with the
// schema in src/shared/wire/documents.ts), and queues the job (202 with the new document's id).
// Same output_name in the same organization → the existing document's id, nothing new.
import type { GenerateAccepted, GenerateRequest } from "../../../shared/wire/documents";
import { HttpError } from "../../errors";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { sanitizeDocumentName } from "../documents";
import type { GenerationRequestRecord } from "./pipeline";
import type { GenerationJobs } from "./queue";

export const ACCEPTED_MESSAGE = "Request to generate document has been accepted and is being processed in the background.";

function quoteList(values: string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}

export class GenerateRequestService {
  constructor(
    private readonly storage: Storage,
    private readonly queue: GenerationJobs,
    /** Generations one organization may have waiting; a request beyond it is 429. */
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {}

  /** `request` has the shape of the contract (checked by the route's schema); here, what it names. */
  async generate(caller: Caller, request: GenerateRequest): Promise<GenerateAccepted> {
    const filePaths = [...new Set(request.file_paths)];
    const selected = request.selected_section_ids ? [...new Set(request.selected_section_ids)] : null;
    const documentInstructions = request.document_instructions?.trim() || null;
    const templateId = request.template_id;
    const setId = request.connector_data_id;

    // What the request names must exist in the caller's organization.
    const template = await this.storage.templates.getVisible(templateId, caller.organizationId);
    if (!template) {
      throw new HttpError(400, `Template not found: there is no template "${templateId}" you can use. Pick one from GET /api/v1/templates/.`);
    }
    const documentSet = await this.storage.documentSets.get(caller.organizationId, setId);
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
      const document = await this.storage.documents.findByS3Key(key);
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

    // Queue it (or find the earlier generation under this name).
    const outputStem = request.output_name.replace(/\.docx$/i, "").trim();
    const documentName = sanitizeDocumentName(`${outputStem}.docx`);
    const outputName = documentName.replace(/\.docx$/i, "");
    const record: GenerationRequestRecord = {
      document_type: request.document_type,
      file_paths: filePaths,
      source_document_ids: sourceIds,
      document_set_id: documentSet.document_set_id,
      workspace_name: request.workspace_name,
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
    const waiting = await this.storage.generation.countWaiting(caller.organizationId);
    if (waiting >= this.maxWaiting && !(await this.storage.generation.findByOutputName(caller.organizationId, outputName))) {
      throw new HttpError(
        429,
        `Your organization already has ${waiting} documents waiting to be generated, the most this server queues for one organization. Wait until some have started, then try again.`,
        { "retry-after": "30" },
      );
    }
    const { document, created } = await this.storage.generation.createGenerated({
      organizationId: caller.organizationId,
      requestedBy: caller.userId,
      documentName,
      outputName,
      workspaceId: documentSet.document_set_id,
      template: record.template,
      requestJson: JSON.stringify(record),
    });
    if (created) await this.queue.enqueue(document.document_id);
    return {
      message: created
        ? ACCEPTED_MESSAGE
        : `A document named "${document.document_name}" was already generated in your organization; this is its task_id. To generate again, use a new output_name.`,
      task_id: document.document_id,
    };
  }
}
