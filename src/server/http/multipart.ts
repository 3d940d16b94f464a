// Multipart uploads (documents, templates): the limits every upload route uses, and the
// @fastify/multipart / busboy failures mapped to answers a person can act on.
import { HttpError } from "../errors";

export const SEND_AS_MULTIPART =
  'Send the Word document (.docx) as multipart/form-data, in a file field named "file".';

/** Per-request multipart limits; `fileSize` is the upload limit of the server. */
export function multipartLimits(maxUploadBytes: number) {
  return { fileSize: maxUploadBytes, files: 1, fields: 20, parts: 40, fieldSize: 64 * 1024 };
}

export function multipartError(error: unknown, tooLarge: () => HttpError): unknown {
  if (error instanceof HttpError) return error;
  const code = (error as { code?: string }).code;
  const message = (error as { message?: string }).message ?? "";
  if (code === "FST_REQ_FILE_TOO_LARGE") return tooLarge();
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
