// Corpus routes (docs/api.md "Grounding"; docs/vendors.md Ejento A6, A4.3), in Ejento's
// envelope. corpusRoutes is the ejento face: create a corpus, its documents and each one's
// indexing step, and the link between a thread and a corpus. indexingRoutes is the indexing face:
// the upload of a document into a corpus (multipart; the file in the field `source`).
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { CORPUS_UPLOAD_FILE_FIELD, endpoints } from "../../shared/contract/endpoints";
import {
  corpusDocumentIdParams,
  corpusIdParams,
  createCorpusRequest,
  threadCorpusParams,
  threadIdParams,
  type CorpusDocumentListResponse,
  type CorpusDocumentResponse,
  type CorpusResponse,
  type CorpusUploadFields,
  type ThreadCorporaResponse,
  type ThreadCorpusLinkResponse,
} from "../../shared/wire/chat";
import type { UploadedDocument } from "../../shared/wire/documents";
import type { Config } from "../config";
import { HttpError } from "../errors";
import { routePath } from "../http/api-paths";
import { ok, useEjentoErrors } from "../http/ejento-envelope";
import { callerOf, requireCaller } from "../http/guards";
import { multipartError, multipartLimits } from "../http/multipart";
import type { AuthService } from "../services/auth";
import type { CorpusService } from "../services/chat/corpora";
import { tooLargeError } from "../services/docx-upload";

export const SEND_CORPUS_UPLOAD_AS_MULTIPART = `Send the Word document (.docx) as multipart/form-data, in a file field named "${CORPUS_UPLOAD_FILE_FIELD}" (with user_id, content_type, upload_from and attachment as text fields).`;

export async function corpusRoutes(app: FastifyInstance, { auth, corpora }: { auth: AuthService; corpora: CorpusService }): Promise<void> {
  const options = { onRequest: requireCaller(auth) };
  useEjentoErrors(app);
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(endpoints.createCorpus.path, { ...options, schema: { body: createCorpusRequest } }, async (request, reply) => {
    const created: CorpusResponse = ok(await corpora.create(callerOf(request), request.body));
    return reply.code(201).send(created);
  });

  api.get(
    routePath(endpoints.listCorpusDocuments.path),
    { ...options, schema: { params: corpusIdParams } },
    async (request): Promise<CorpusDocumentListResponse> => ok({ documents: await corpora.documentsOf(callerOf(request), request.params.corpus_id) }),
  );

  api.get(
    routePath(endpoints.getCorpusDocument.path),
    { ...options, schema: { params: corpusDocumentIdParams } },
    async (request): Promise<CorpusDocumentResponse> => ok(await corpora.document(callerOf(request), request.params.document_id)),
  );

  // Linking twice is not an error: 201 the first time, 200 after.
  api.post(routePath(endpoints.linkThreadCorpus.path), { ...options, schema: { params: threadCorpusParams } }, async (request, reply) => {
    const { link, created } = await corpora.link(callerOf(request), request.params.thread_id, request.params.corpus_id);
    const body: ThreadCorpusLinkResponse = ok(link);
    return reply.code(created ? 201 : 200).send(body);
  });

  api.get(
    routePath(endpoints.listThreadCorpora.path),
    { ...options, schema: { params: threadIdParams } },
    async (request): Promise<ThreadCorporaResponse> => ok({ corpora: await corpora.linked(callerOf(request), request.params.thread_id) }),
  );
}

export async function indexingRoutes(
  app: FastifyInstance,
  { auth, corpora, config }: { auth: AuthService; corpora: CorpusService; config: Config },
): Promise<void> {
  const tooLarge = () => tooLargeError(config);
  useEjentoErrors(app, (error) => multipartError(error, tooLarge));
  // Any other content type reaches the handler unread, which answers 400 saying how to send it.
  app.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
  const api = app.withTypeProvider<ZodTypeProvider>();

  // multipart (read here, not by a schema): the file in `source` (.docx, checked like an Artos
  // upload and kept as the organization's Sidecar document) and Ejento's text fields, in any
  // order. 201 the corpus document at step "uploaded" (200 when the corpus already held it);
  // indexing goes on in the background.
  api.post(
    routePath(endpoints.uploadCorpusDocument.path),
    { onRequest: requireCaller(auth), schema: { params: corpusIdParams } },
    async (request, reply) => {
      const caller = callerOf(request);
      const corpus = await corpora.uploadTarget(caller, request.params.corpus_id);
      if (!request.isMultipart()) throw new HttpError(400, SEND_CORPUS_UPLOAD_AS_MULTIPART);
      let stored: UploadedDocument | null = null;
      const fields: CorpusUploadFields & Record<string, string> = {};
      for await (const part of request.parts({ limits: multipartLimits(config.maxUploadBytes) })) {
        if (part.type === "file") {
          if (part.fieldname !== CORPUS_UPLOAD_FILE_FIELD || stored) {
            part.file.resume();
            throw new HttpError(400, `The upload's file is in a field named "${part.fieldname}". ${SEND_CORPUS_UPLOAD_AS_MULTIPART}`);
          }
          const file = part.file;
          try {
            stored = await corpora.storeFile(caller, { filename: part.filename, content: file, truncated: () => file.truncated });
          } finally {
            // A file refused by its name is never read: let the rest of the request arrive.
            if (!file.readableEnded) file.resume();
          }
        } else if (typeof part.value === "string") {
          fields[part.fieldname] = part.value;
        }
      }
      if (!stored) throw new HttpError(400, `The upload has no file. ${SEND_CORPUS_UPLOAD_AS_MULTIPART}`);
      const { document, created } = await corpora.addToCorpus(caller, corpus, stored, fields);
      const body: CorpusDocumentResponse = ok(document);
      return reply.code(created ? 201 : 200).send(body);
    },
  );
}
