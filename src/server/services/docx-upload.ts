// Receiving an uploaded .docx: streamed to a temp file (size-limited by the route), then checked
// with the same inspection for every kind of upload (documents, templates). The caller keeps or
// discards the temp file.
import type { Config } from "../config";
import { formatMegabytes } from "../units";
import { DocxRejectedError, inspectDocx, type DocxInspection, type DocxLimits } from "../docx/inspect-docx";
import { HttpError } from "../errors";
import type { ReceivedFile } from "../storage/file-store";
import type { Storage } from "../storage/storage";
import type { DocxReader } from "./docx-reader";

export type UploadLimits = Pick<Config, "maxUploadBytes" | "maxUnpackedBytes" | "maxZipEntries">;

export interface IncomingFile {
  content: AsyncIterable<Buffer>;
  /** True when the multipart parser cut the file off at the size limit. */
  truncated: () => boolean;
}

export interface CheckedDocx {
  received: ReceivedFile;
  inspection: DocxInspection;
}

export function tooLargeError(limits: Pick<Config, "maxUploadBytes">): HttpError {
  return new HttpError(
    413,
    `The file is too large: the limit is ${formatMegabytes(limits.maxUploadBytes)}. Make the document smaller (for example, compress its pictures) and upload it again.`,
  );
}

/**
 * Streams the file to tmp/ and checks that it is a safe, readable .docx. Throws HttpError
 * (400/413, with the reason) when it is not, leaving no temp file behind; on success the caller
 * must discard or keep `received.tempPath`.
 */
export async function receiveCheckedDocx(storage: Storage, limits: UploadLimits, file: IncomingFile): Promise<CheckedDocx> {
  return receiveAndCheck(storage, limits, file, (tempPath, docxLimits) => inspectDocx(tempPath, docxLimits));
}

/**
 * The same check run by `reader` (in a worker thread, for documents: the check of a long
 * document's XML would otherwise hold up every other request), without the inspection's content.
 */
export async function receiveDocxCheckedBy(reader: DocxReader, storage: Storage, limits: UploadLimits, file: IncomingFile): Promise<{ received: ReceivedFile }> {
  const { received } = await receiveAndCheck(storage, limits, file, (tempPath, docxLimits) => reader.check(tempPath, docxLimits));
  return { received };
}

async function receiveAndCheck<T>(
  storage: Storage,
  limits: UploadLimits,
  file: IncomingFile,
  check: (tempPath: string, docxLimits: DocxLimits) => Promise<T>,
): Promise<{ received: ReceivedFile; inspection: T }> {
  const received = await storage.files.receiveUpload(file.content);
  try {
    if (file.truncated()) throw tooLargeError(limits);
    if (received.sizeBytes === 0) throw new HttpError(400, "The file is empty.");
    try {
      const inspection = await check(received.tempPath, { maxUnpackedBytes: limits.maxUnpackedBytes, maxEntries: limits.maxZipEntries });
      return { received, inspection };
    } catch (error) {
      if (error instanceof DocxRejectedError) {
        throw new HttpError(error.problem === "too-large-unpacked" ? 413 : 400, error.message);
      }
      throw error;
    }
  } catch (error) {
    storage.files.discardTemp(received.tempPath);
    throw error;
  }
}
