// Reading and checking a picked (or generated) file, and turning a .docx into the preview's
// sanitized HTML (mammoth → DOMPurify), on this thread or in a Web Worker.

import { t } from "../../i18n";
import { OfficeError } from "../document-host";
import { looksLikeZip } from "../docx-bytes";
import { docxToHtml } from "../docx-html";
import { type PickedDocument } from "./types";

/** {name, bytes} rather than a File (real Files have a bytes() method, so check the value, not the key). */
function isPicked(input: File | PickedDocument): input is PickedDocument {
  const bytes = (input as { bytes?: unknown }).bytes;
  return ArrayBuffer.isView(bytes) || Object.prototype.toString.call(bytes) === "[object ArrayBuffer]";
}

function readBlob(blob: Blob): Promise<Uint8Array> {
  if (typeof blob.arrayBuffer === "function") return blob.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error("FileReader failed"));
    reader.readAsArrayBuffer(blob);
  });
}

/** A Uint8Array of this realm that we own (IndexedDB and other windows may hand back foreign views). */
export function ownBytes(data: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]") return new Uint8Array(data as ArrayBuffer).slice();
  return undefined;
}

/** The bytes of a picked file (a File or {name, bytes}) named `name`; unsupported when it isn't a .docx. */
export async function pickedBytes(input: File | PickedDocument, name: string): Promise<Uint8Array> {
  const bytes = isPicked(input) ? ownBytes(input.bytes) : await readBlob(input);
  if (!bytes || !looksLikeZip(bytes)) {
    throw new OfficeError("unsupported", t("office.notAWordDocument", { name }));
  }
  return bytes;
}

/** `data` as bytes of our own when they are a .docx (a zip); otherwise write_failed, in `words`. */
export function checkedDocx(data: unknown, words: string): Uint8Array {
  const bytes = ownBytes(data);
  if (!bytes || !looksLikeZip(bytes)) throw new OfficeError("write_failed", words);
  return bytes;
}

/**
 * mammoth's HTML for a .docx in a Web Worker where the page can start one (a long document's
 * conversion then doesn't hold the page), else on this thread.
 */
async function convertOffThread(bytes: Uint8Array): Promise<string> {
  if (typeof Worker === "undefined") return docxToHtml(bytes);
  try {
    const { convertInWorker } = await import(/* webpackChunkName: "preview-convert" */ "../preview-convert");
    return await convertInWorker(bytes);
  } catch {
    // A worker that can't start (or a document it can't read): this thread, which reports the error.
    return docxToHtml(bytes);
  }
}

/** A .docx as the preview's sanitized HTML (`offThread`: converted in a Web Worker where it can be); read_failed, in words, when it can't be read. */
export async function renderPreviewHtml(bytes: Uint8Array, name: string, { offThread = false }: { offThread?: boolean } = {}): Promise<string> {
  try {
    const [html, { sanitizePreviewHtml }] = await Promise.all([offThread ? convertOffThread(bytes) : docxToHtml(bytes), loadSanitizer()]);
    return sanitizePreviewHtml(html);
  } catch (error) {
    throw new OfficeError("read_failed", t("office.previewReadFailed", { name }), { cause: error });
  }
}

/** Resolves after the browser has had a chance to paint what was just put on screen. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

/** The HTML cleaner (DOMPurify), loaded when something is first previewed or inserted. */
export function loadSanitizer() {
  return import(/* webpackChunkName: "sanitize" */ "../html-sanitize");
}

/** "Proposal" → "Proposal.docx"; "" → "Generated document.docx" (in the pane's language). */
export function docxFileName(name: string): string {
  const trimmed = (name ?? "").trim();
  if (!trimmed) return t("office.generatedDocumentName");
  return /\.docx$/i.test(trimmed) ? trimmed : `${trimmed}.docx`;
}
