// Reading the open document: getFileAsync(Compressed) → each slice goes straight into the
// document's Blob. The pane never holds a second copy of the document: a slice is handed to the
// Blob (which keeps its bytes outside the JavaScript heap, in the browser's blob storage) as soon
// as Word gives it. And the document's file name, from its URL.

import { t } from "../../i18n";
import { OfficeError, type ReadProgress } from "../document-host";
import { DOCX_MIME_TYPE } from "../docx-bytes";
import { abortedError, readError } from "./errors";
import { officeGlobal, succeeded } from "./globals";

/** Office allows slices of up to 4 MB; bigger slices mean fewer round trips to Word. */
export const SLICE_SIZE = 4 * 1024 * 1024;

/** The name of a document that has none yet (never saved), in the pane's language. */
export function untitledDocumentName(): string {
  return t("office.untitledDocumentName");
}

/** One slice's data (number[], Uint8Array / other view, or ArrayBuffer) as bytes, without copying typed data. */
function sliceBytes(data: unknown): Uint8Array<ArrayBuffer> {
  if (data instanceof ArrayBuffer || Object.prototype.toString.call(data) === "[object ArrayBuffer]") {
    return new Uint8Array(data as ArrayBuffer);
  }
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  // Some platforms hand over a plain number[]: one slice at a time becomes bytes, never accumulated.
  if (Array.isArray(data)) return Uint8Array.from(data as number[]);
  throw new OfficeError("read_failed", t("office.unreadableSliceForm"));
}

/** Resolves with `promise`, or rejects with "aborted" as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function getCompressedFile(office: typeof Office, signal: AbortSignal | undefined): Promise<Office.File> {
  return new Promise<Office.File>((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      reject(abortedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      office.context.document.getFileAsync(office.FileType.Compressed, { sliceSize: SLICE_SIZE }, (result) => {
        signal?.removeEventListener("abort", onAbort);
        if (succeeded(office, result)) {
          // Aborted while Word was preparing the file: it still has to be closed.
          if (settled) return closeOnce(result.value)();
          settled = true;
          resolve(result.value);
        } else if (!settled) {
          settled = true;
          reject(readError(result.error, t("office.handOverFailed")));
        }
      });
    } catch (error) {
      signal?.removeEventListener("abort", onAbort);
      settled = true;
      reject(readError(error, t("office.handOverFailed")));
    }
  });
}

function getSlice(office: typeof Office, file: Office.File, index: number): Promise<Office.Slice> {
  return new Promise<Office.Slice>((resolve, reject) => {
    try {
      file.getSliceAsync(index, (result) => {
        if (succeeded(office, result)) resolve(result.value);
        else reject(readError(result.error, t("office.handOverFailed")));
      });
    } catch (error) {
      reject(readError(error, t("office.handOverFailed")));
    }
  });
}

const closers = new WeakMap<Office.File, () => void>();

/** A function that closes `file` the first time it is called and does nothing after. */
function closeOnce(file: Office.File): () => void {
  let closer = closers.get(file);
  if (!closer) {
    let closed = false;
    closer = () => {
      if (closed) return;
      closed = true;
      try {
        file.closeAsync(() => undefined);
      } catch {
        // Nothing a person can do about a failed close; Word releases the file with the pane.
      }
    };
    closers.set(file, closer);
  }
  return closer;
}

export async function readWordDocument(
  options: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {},
): Promise<Blob> {
  const { onProgress, signal } = options;
  const office = officeGlobal();
  if (typeof office.context.document.getFileAsync !== "function") {
    throw new OfficeError("unsupported", t("office.handOverUnsupported"));
  }
  if (signal?.aborted) throw abortedError();
  const file = await getCompressedFile(office, signal);
  const close = closeOnce(file);
  // A slice Word is still working on when we stop: close the file only once Word answers it.
  let inFlight: Promise<unknown> | undefined;
  try {
    const totalBytes = file.size;
    if (!Number.isSafeInteger(totalBytes) || totalBytes <= 0) {
      throw new OfficeError("read_failed", t("office.emptyDocumentHandedOver"));
    }
    let docx = new Blob([], { type: DOCX_MIME_TYPE });
    let bytesRead = 0;
    for (let index = 0; index < file.sliceCount; index++) {
      if (signal?.aborted) throw abortedError();
      const slice = getSlice(office, file, index);
      inFlight = slice;
      const { data } = await unlessAborted(slice, signal);
      inFlight = undefined;
      const bytes = sliceBytes(data);
      if (bytesRead + bytes.byteLength > totalBytes) {
        throw new OfficeError("read_failed", t("office.tooMuchDataHandedOver"));
      }
      // A Blob made of a Blob and a slice copies the slice once and only refers to the earlier part.
      docx = new Blob([docx, bytes], { type: DOCX_MIME_TYPE });
      bytesRead += bytes.byteLength;
      onProgress?.({ bytesRead, totalBytes });
    }
    if (signal?.aborted) throw abortedError();
    if (bytesRead !== totalBytes) {
      throw new OfficeError("read_failed", t("office.partOfDocumentHandedOver", { bytesRead, totalBytes }));
    }
    return docx;
  } catch (error) {
    throw readError(error, t("office.handOverFailed"));
  } finally {
    if (inFlight) inFlight.then(close, close);
    else close();
  }
}

// ---------------------------------------------------------------------------------------------
// Document name

const WORD_EXTENSIONS = /\.(docx|docm|doc|dotx|dotm|dot|rtf|odt)$/i;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The file name for a document URL or path: "https://host/x/My%20Report.docx?web=1" → "My Report.docx",
 * "C:\\Users\\me\\Report.docx" → "Report.docx", "" → untitledDocumentName(). Always ends in ".docx".
 */
export function documentNameFromUrl(url: string | null | undefined): string {
  let text = (url ?? "").trim();
  let fromQuery: string | undefined;
  const queryAt = text.search(/[?#]/);
  if (queryAt >= 0) {
    // SharePoint "Doc.aspx?...&file=Report.docx" links carry the name in the query.
    const query = text.slice(queryAt + 1);
    const file = /(?:^|[?&#])file=([^&#]*)/i.exec(query)?.[1];
    if (file) fromQuery = safeDecode(file.replace(/\+/g, " "));
    text = text.slice(0, queryAt);
  }
  let base = safeDecode(text.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? "").trim();
  if (fromQuery && !WORD_EXTENSIONS.test(base)) base = fromQuery.split(/[\\/]/).pop()?.trim() ?? base;
  // A bare "https:" or drive letter is not a name.
  if (!base || /^[a-z]+:$/i.test(base)) return untitledDocumentName();
  if (/\.docx$/i.test(base)) return base.slice(0, -5) + ".docx";
  if (WORD_EXTENSIONS.test(base)) return base.replace(WORD_EXTENSIONS, ".docx");
  return `${base}.docx`;
}

/** The open document's file name (DocumentHost.getDocumentName), from its URL. */
export async function getWordDocumentName(): Promise<string> {
  let url: string | undefined;
  try {
    url = officeGlobal().context.document.url;
  } catch (error) {
    if (error instanceof OfficeError) throw error;
    url = undefined;
  }
  return documentNameFromUrl(url);
}
