// Templates routes (docs/api.md; docs/vendors.md Artos §6): the list, and uploading a .docx as a template.
import type { FastifyInstance } from "fastify";
import { endpoints } from "../../shared/contract/endpoints";
import type { TemplateListResponse, TemplateUploadFields } from "../../shared/wire/templates";
import type { Config } from "../config";
import { HttpError } from "../errors";
import { callerOf, requireCaller } from "../http/guards";
import { SEND_AS_MULTIPART, multipartError, multipartLimits } from "../http/multipart";
import type { AuthService } from "../services/auth";
import { receiveCheckedDocx, tooLargeError, type CheckedDocx } from "../services/docx-upload";
import type { Storage } from "../storage/storage";
import type { TemplateService } from "../services/templates";

export async function templateRoutes(
  app: FastifyInstance,
  { auth, templates, storage, config }: { auth: AuthService; templates: TemplateService; storage: Storage; config: Config },
): Promise<void> {
  const authenticate = requireCaller(auth);
  const tooLarge = () => tooLargeError(config);

  // Any other content type reaches the handler unread, which answers 400 naming the field.
  app.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));

  app.get(endpoints.listTemplates.path, { onRequest: authenticate }, async (request): Promise<TemplateListResponse> => ({
    templates: await templates.list(callerOf(request)),
  }));

  // multipart (read here, not by a schema): "file" (.docx, checked like a document upload) and
  // optional template_name, document_type, before or after the file.
  app.post(endpoints.uploadTemplate.path, { onRequest: authenticate }, async (request, reply) => {
    const caller = callerOf(request);
    if (!request.isMultipart()) throw new HttpError(400, SEND_AS_MULTIPART);
    let upload: CheckedDocx | null = null;
    let filename: string | undefined;
    const fields: TemplateUploadFields & Record<string, string> = {};
    try {
      for await (const part of request.parts({ limits: multipartLimits(config.maxUploadBytes) })) {
        if (part.type === "file") {
          if (part.fieldname !== "file") {
            part.file.resume();
            throw new HttpError(400, `The upload's file is in a field named "${part.fieldname}". ${SEND_AS_MULTIPART}`);
          }
          const file = part.file;
          filename = part.filename;
          upload = await receiveCheckedDocx(storage, config, { content: file, truncated: () => file.truncated });
        } else if (typeof part.value === "string") {
          fields[part.fieldname] = part.value;
        }
      }
      if (!upload) throw new HttpError(400, `The upload has no file. ${SEND_AS_MULTIPART}`);
      const template = await templates.createFromDocx(caller, upload, {
        filename,
        templateName: fields.template_name,
        documentType: fields.document_type,
      });
      return reply.code(201).send(template);
    } catch (error) {
      throw multipartError(error, tooLarge);
    } finally {
      if (upload) storage.files.discardTemp(upload.received.tempPath);
    }
  });
}
