// Documents routes (CONTRACT.md "Documents"), scoped to the caller's organization.
import type { FastifyInstance } from "fastify";
import { endpoints } from "../../taskpane/api/endpoints";
import type { Config } from "../config";
import { HttpError } from "../errors";
import { callerOf, requireCaller } from "../http/guards";
import type { AuthService } from "../services/auth";
import type { DocumentService } from "../services/documents";

export const SEND_AS_MULTIPART =
  'Send the Word document (.docx) as multipart/form-data, in a file field named "file".';

/** Maps @fastify/multipart / busboy failures to answers a person can act on. */
function multipartError(error: unknown, documents: DocumentService): unknown {
  if (error instanceof HttpError) return error;
  const code = (error as { code?: string }).code;
  const message = (error as { message?: string }).message ?? "";
  if (code === "FST_REQ_FILE_TOO_LARGE") return documents.tooLarge();
  if (code === "FST_INVALID_MULTIPART_CONTENT_TYPE" || /boundary/i.test(message)) {
    return new HttpError(400, SEND_AS_MULTIPART);
  }
  if (
    code === "FST_MP_PREMATURE_CLOSE" ||
    code === "ECONNRESET" ||
    /^aborted$|unexpected end|terminated early/i.test(message)
  ) {
    return new HttpError(400, "The upload ended before the whole file arrived. Try again.");
  }
  if (code === "FST_PARTS_LIMIT" || code === "FST_FILES_LIMIT" || code === "FST_FIELDS_LIMIT") {
    return new HttpError(400, `The upload has too many parts. ${SEND_AS_MULTIPART}`);
  }
  return error;
}

export async function documentRoutes(
  app: FastifyInstance,
  { auth, documents, config }: { auth: AuthService; documents: DocumentService; config: Config },
): Promise<void> {
  const authenticate = requireCaller(auth);

  // Any other content type reaches the handler unread, which answers 400 naming the field.
  app.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));

  app.post(endpoints.uploadLocalDocument.path, { onRequest: authenticate }, async (request, reply) => {
    const caller = callerOf(request);
    if (!request.isMultipart()) throw new HttpError(400, SEND_AS_MULTIPART);
    let part;
    try {
      part = await request.file({
        limits: { fileSize: config.maxUploadBytes, files: 1, fields: 20, parts: 40, fieldSize: 64 * 1024 },
      });
    } catch (error) {
      throw multipartError(error, documents);
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
      throw multipartError(error, documents);
    }
    return reply.code(result.created ? 201 : 200).send(result.document);
  });

  app.get(endpoints.listDocuments.path, { onRequest: authenticate }, async (request) => ({
    documents: documents.list(callerOf(request)),
  }));
}
