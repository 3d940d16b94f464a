// Documents routes (docs/api.md "Documents"), scoped to the caller's organization: upload, list,
// one document, generation and its status.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import {
  documentDetailQuery,
  documentIdParams,
  generateRequest,
  type DocumentDetailResponse,
  documentListQuery,
  type DocumentListResponse,
  type GenerationStatusResponse,
} from "../../shared/wire/documents";
import type { Config } from "../config";
import { HttpError } from "../errors";
import { routePath } from "../http/api-paths";
import { callerOf, requireCaller } from "../http/guards";
import { SEND_AS_MULTIPART, multipartError, multipartLimits } from "../http/multipart";
import type { AuthService } from "../services/auth";
import type { DocumentService } from "../services/documents";
import type { GenerateRequestService } from "../services/generation/generate-request";

export async function documentRoutes(
  app: FastifyInstance,
  {
    auth,
    documents,
    generation,
    config,
  }: { auth: AuthService; documents: DocumentService; generation: GenerateRequestService; config: Config },
): Promise<void> {
  const authenticate = requireCaller(auth);
  const tooLarge = () => documents.tooLarge();
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Any other content type reaches the handler unread, which answers 400 naming the field.
  app.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));

  app.post(endpoints.uploadLocalDocument.path, { onRequest: authenticate }, async (request, reply) => {
    const caller = callerOf(request);
    if (!request.isMultipart()) throw new HttpError(400, SEND_AS_MULTIPART);
    let part;
    try {
      part = await request.file({ limits: multipartLimits(config.maxUploadBytes) });
    } catch (error) {
      throw multipartError(error, tooLarge);
    }
    if (!part) throw new HttpError(400, `The upload has no file. ${SEND_AS_MULTIPART}`);
    if (part.fieldname !== "file") {
      part.file.resume();
      throw new HttpError(400, `The upload's file is in a field named "${part.fieldname}". ${SEND_AS_MULTIPART}`);
    }
    const file = part.file;
    let result;
    try {
      result = await documents.uploadLocal(caller, {
        filename: part.filename,
        content: file,
        truncated: () => file.truncated,
      });
    } catch (error) {
      throw multipartError(error, tooLarge);
    }
    return reply.code(result.created ? 201 : 200).send(result.document);
  });

  api.get(
    endpoints.listDocuments.path,
    { onRequest: authenticate, schema: { querystring: documentListQuery } },
    async (request): Promise<DocumentListResponse> => {
      const { limit, offset } = request.query;
      return { ...(await documents.list(callerOf(request), limit, offset)), limit, offset };
    },
  );

  // Both alias names of docs/vendors.md Artos §3.2 are accepted (the schema moves them to the primary names).
  api.post(endpoints.generateDocument.path, { onRequest: authenticate, schema: { body: generateRequest } }, async (request, reply) =>
    reply.code(202).send(await generation.generate(callerOf(request), request.body)),
  );

  api.get(
    routePath(endpoints.documentStatus.path),
    { onRequest: authenticate, schema: { params: documentIdParams } },
    async (request): Promise<GenerationStatusResponse> => documents.status(callerOf(request), request.params.document_id),
  );

  api.get(
    routePath(endpoints.getDocument.path),
    { onRequest: authenticate, schema: { params: documentIdParams, querystring: documentDetailQuery } },
    async (request): Promise<DocumentDetailResponse> => ({
      document: await documents.get(callerOf(request), request.params.document_id, { sectionText: request.query.include === "section_text" }),
    }),
  );
}
