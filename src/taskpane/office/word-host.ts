// DocumentHost for Word (desktop, Mac and Word on the web) through Office.js.
// Everything here returns plain data and throws OfficeError with words a person can act on.

import {
  OfficeError,
  type DocumentHost,
  type DocumentInsertMode,
  type HostInfo,
  type InsertMode,
  type InsertOptions,
  type OpenGeneratedResult,
  type ReadProgress,
  type SelectionChange,
  type SelectionContext,
} from "./document-host";
import { DOCX_MIME_TYPE, bytesToBase64, looksLikeZip } from "./docx-bytes";
import {
  cleanHeadingText,
  findHeading,
  headingCandidates,
  nearestHeading,
  normalizeHeadingTitle,
  type ParagraphInfo,
} from "./heading-match";
import { isDarkOfficeTheme } from "./office-theme";

/** Office allows slices of up to 4 MB; bigger slices mean fewer round trips to Word. */
export const SLICE_SIZE = 4 * 1024 * 1024;

/** insertFileFromBase64: "The maximum size of the document being inserted is 4 MB" (Office.js reference). */
export const MAX_INSERT_BYTES = 4 * 1024 * 1024;

export const UNTITLED_DOCUMENT_NAME = "Untitled document.docx";

/**
 * Word reports selection moves Sidecar makes (goToHeading, the cursor after an insert) like the
 * person's own; DocumentSelectionChanged events this soon after such a move count as that move.
 */
export const PROGRAMMATIC_SELECTION_MS = 1000;

export const WORD_TOO_OLD_REASON =
  "This version of Word is too old for Sidecar: it needs Word 2016 or later (WordApi 1.3). Update Word or use Word on the web.";

// ---------------------------------------------------------------------------------------------
// Globals, looked up when used (office.js may load after this module, and tests swap them).

function officeGlobal(): typeof Office {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (!office?.context?.document) {
    throw new OfficeError(
      "unsupported",
      "Sidecar can't reach the Word document. Open Sidecar from the ribbon in Word, or reload the task pane.",
    );
  }
  return office;
}

function wordGlobal(): typeof Word {
  const word = (globalThis as { Word?: typeof Word }).Word;
  if (!word || typeof word.run !== "function") {
    throw new OfficeError(
      "unsupported",
      "This version of Word can't run Sidecar's document commands. Update Word or use Word on the web.",
    );
  }
  return word;
}

function succeeded(office: typeof Office, result: Office.AsyncResult<unknown>): boolean {
  return result.status === (office.AsyncResultStatus?.Succeeded ?? "succeeded");
}

// ---------------------------------------------------------------------------------------------
// Errors

interface OfficeErrorLike {
  code?: number | string;
  name?: string;
  message?: string;
}

function asErrorLike(error: unknown): OfficeErrorLike {
  return error && typeof error === "object" ? (error as OfficeErrorLike) : {};
}

/** " (Word error 5001: Internal Error)" — for support, never the only words shown. */
function errorDetail(error: unknown): string {
  const { code, name } = asErrorLike(error);
  if (code === undefined || code === null || code === "") return "";
  return name && name !== String(code) ? ` (Word error ${code}: ${name})` : ` (Word error ${code})`;
}

function numericCode(error: unknown): number | undefined {
  const code = Number(asErrorLike(error).code);
  return Number.isFinite(code) ? code : undefined;
}

/** Words for the Office common-API error codes Sidecar can run into (see "Office Common API error codes"). */
function wordsForCommonError(code: number | undefined, kind: "read" | "write"): string | undefined {
  switch (code) {
    case 11000: // ooeMemoryFileLimit: "Call closeAsync on the current File before retrieving another."
      return "Word is still busy with another file operation on this document. Wait a few seconds and try again; if it keeps happening, close and reopen the Sidecar pane.";
    case 5100: // ooeTooManyIncompleteRequests
      return "Word is still working on an earlier request from Sidecar. Wait a moment, then try again.";
    case 1007:
    case 1008: // ooeGetDataIsTooLarge
    case 5103:
    case 5104: // request/response payload too large
      return "This document is too large for Word to hand over to Sidecar. Remove large pictures or embedded files, save, and try again.";
    case 11001: // ooeNetworkProblemRetrieveFile
      return "A network problem stopped Word from handing over the document. Check your connection and try again.";
    case 5011: // ooeRequestTimeout
      return "Word took too long to answer. Try again in a moment.";
    case 5006:
    case 5012: // session timed out / invalid
      return "Your Word session has expired. Reload Word (or reopen the document), then try again.";
    case 5002: // ooeDocumentReadOnly
      return kind === "read"
        ? "Word doesn't allow reading this document in its current mode. Turn on editing, then try again."
        : "The document is read-only or protected (for example by Restrict Editing), so Sidecar can't change it. Turn on editing or save a copy you can edit, then try again.";
    case 5009:
    case 9016: // permission denied
      return "Word didn't give Sidecar permission to do this. Check that the add-in is allowed for this document, then try again.";
    case 4002: // ooeSettingsAreStale
      return "Another copy of this document changed Sidecar's saved information at the same time. Reload the document, then try again.";
    default:
      return undefined;
  }
}

/** Words for an Office error: the common-API codes first, then Word.run's string codes. */
function wordsFor(error: unknown, kind: "read" | "write"): string | undefined {
  const common = wordsForCommonError(numericCode(error), kind);
  if (common) return common;
  const code = asErrorLike(error).code;
  if (code === "AccessDenied" || code === "NotAllowed" || code === "ContentControlLocked") {
    return kind === "read"
      ? "Word didn't allow Sidecar to read the selection. Select text in the body of the document and try again."
      : "This part of the document is protected, so Sidecar can't change it. Click where editing is allowed, or turn off Restrict Editing, then try again.";
  }
  return undefined;
}

function readError(error: unknown, fallback: string): OfficeError {
  if (error instanceof OfficeError) return error;
  return new OfficeError("read_failed", (wordsFor(error, "read") ?? fallback) + errorDetail(error), { cause: error });
}

function writeError(error: unknown, fallback: string): OfficeError {
  if (error instanceof OfficeError) return error;
  return new OfficeError("write_failed", (wordsFor(error, "write") ?? fallback) + errorDetail(error), { cause: error });
}

function abortedError(): OfficeError {
  return new OfficeError("aborted", "Reading the document was stopped.");
}

// ---------------------------------------------------------------------------------------------
// readDocument: getFileAsync(Compressed) → each slice goes straight into the document's Blob.
// The pane never holds a second copy of the document: a slice is handed to the Blob (which keeps
// its bytes outside the JavaScript heap, in the browser's blob storage) as soon as Word gives it.

/** One slice's data (number[], Uint8Array / other view, or ArrayBuffer) as bytes, without copying typed data. */
function sliceBytes(data: unknown): Uint8Array<ArrayBuffer> {
  if (data instanceof ArrayBuffer || Object.prototype.toString.call(data) === "[object ArrayBuffer]") {
    return new Uint8Array(data as ArrayBuffer);
  }
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  // Some platforms hand over a plain number[]: one slice at a time becomes bytes, never accumulated.
  if (Array.isArray(data)) return Uint8Array.from(data as number[]);
  throw new OfficeError(
    "read_failed",
    "Word handed over the document in a form Sidecar can't read. Update Word, or try Word on the web.",
  );
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

const READ_FAILED_WORDS = "Word couldn't hand over the document. Save the document, then try again.";

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
          reject(readError(result.error, READ_FAILED_WORDS));
        }
      });
    } catch (error) {
      signal?.removeEventListener("abort", onAbort);
      settled = true;
      reject(readError(error, READ_FAILED_WORDS));
    }
  });
}

function getSlice(office: typeof Office, file: Office.File, index: number): Promise<Office.Slice> {
  return new Promise<Office.Slice>((resolve, reject) => {
    try {
      file.getSliceAsync(index, (result) => {
        if (succeeded(office, result)) resolve(result.value);
        else reject(readError(result.error, READ_FAILED_WORDS));
      });
    } catch (error) {
      reject(readError(error, READ_FAILED_WORDS));
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
    throw new OfficeError(
      "unsupported",
      "This version of Word can't hand the document over to add-ins. Update Word or use Word on the web.",
    );
  }
  if (signal?.aborted) throw abortedError();
  const file = await getCompressedFile(office, signal);
  const close = closeOnce(file);
  // A slice Word is still working on when we stop: close the file only once Word answers it.
  let inFlight: Promise<unknown> | undefined;
  try {
    const totalBytes = file.size;
    if (!Number.isSafeInteger(totalBytes) || totalBytes <= 0) {
      throw new OfficeError("read_failed", "Word handed over an empty document. Save the document, then try again.");
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
        throw new OfficeError("read_failed", "Word handed over more data than the document's size. Save the document, then try again.");
      }
      // A Blob made of a Blob and a slice copies the slice once and only refers to the earlier part.
      docx = new Blob([docx, bytes], { type: DOCX_MIME_TYPE });
      bytesRead += bytes.byteLength;
      onProgress?.({ bytesRead, totalBytes });
    }
    if (signal?.aborted) throw abortedError();
    if (bytesRead !== totalBytes) {
      throw new OfficeError(
        "read_failed",
        `Word handed over ${bytesRead} of the document's ${totalBytes} bytes. Save the document, then try again.`,
      );
    }
    return docx;
  } catch (error) {
    throw readError(error, READ_FAILED_WORDS);
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
 * "C:\\Users\\me\\Report.docx" → "Report.docx", "" → "Untitled document.docx". Always ends in ".docx".
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
  if (!base || /^[a-z]+:$/i.test(base)) return UNTITLED_DOCUMENT_NAME;
  if (/\.docx$/i.test(base)) return base.slice(0, -5) + ".docx";
  if (WORD_EXTENSIONS.test(base)) return base.replace(WORD_EXTENSIONS, ".docx");
  return `${base}.docx`;
}

// ---------------------------------------------------------------------------------------------
// Host info

/** HostInfo for Word, read from Office.context (guarded: parts of it throw or are missing outside a host). */
export function describeWordHost(platform?: string | null): HostInfo {
  const office = (globalThis as { Office?: typeof Office }).Office;
  let supported = false;
  try {
    supported = office?.context?.requirements?.isSetSupported("WordApi", "1.3") === true;
  } catch {
    supported = false;
  }
  let displayLanguage = "en-US";
  let darkTheme = false;
  try {
    displayLanguage = office?.context?.displayLanguage || displayLanguage;
    darkTheme = isDarkOfficeTheme(office?.context?.officeTheme);
  } catch {
    // Keep the defaults.
  }
  return {
    kind: "word",
    platform: platform ? String(platform) : "Unknown",
    supported,
    ...(supported ? {} : { unsupportedReason: WORD_TOO_OLD_REASON }),
    displayLanguage,
    darkTheme,
  };
}

// ---------------------------------------------------------------------------------------------
// The host

function failWith(kind: "read_failed" | "write_failed", fallback: string) {
  return (error: unknown): never => {
    throw kind === "write_failed" ? writeError(error, fallback) : readError(error, fallback);
  };
}

/** Plain text with any line ending as "\n"; Word turns each "\n" into a new paragraph. */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

// ---------------------------------------------------------------------------------------------
// Generated documents: open as a new document, insert into this one, custom properties.

const SUGGESTIONS_UNSUPPORTED_WORDS =
  "This version of Word can't take Sidecar's changes as suggestions: tracked changes from add-ins need Word 2019 or later, Microsoft 365 or Word on the web. Insert directly instead (turn off “as tracked changes”).";
const TRACKING_NOT_RESTORED_WORDS =
  "The change went in as a suggestion, but Sidecar couldn't set Track Changes back the way you had it: check it in Word's Review tab.";

/** Suggestions (tracked changes set by an add-in) need WordApi 1.4. */
function requireSuggestions(): void {
  if (!wordApiSupported("1.4")) throw new OfficeError("unsupported", SUGGESTIONS_UNSUPPORTED_WORDS);
}

/**
 * Runs `insert` with Word recording changes when `suggest`, then puts the writer's own Track
 * Changes setting back, also when the insert failed (its error is the one reported).
 */
async function asSuggestion(context: Word.RequestContext, suggest: boolean, insert: () => Promise<void>): Promise<void> {
  if (!suggest) return insert();
  const document = context.document;
  document.load("changeTrackingMode");
  await context.sync();
  const own = document.changeTrackingMode;
  const turnOn = own !== "TrackAll";
  if (turnOn) {
    document.changeTrackingMode = "TrackAll" as Word.ChangeTrackingMode;
    await context.sync();
  }
  let failure: { error: unknown } | null = null;
  try {
    await insert();
  } catch (error) {
    failure = { error };
  }
  if (turnOn) {
    try {
      document.changeTrackingMode = own;
      await context.sync();
    } catch (error) {
      // Only when the insert worked: otherwise its own error says what went wrong.
      if (!failure) throw new OfficeError("write_failed", TRACKING_NOT_RESTORED_WORDS, { cause: error });
    }
  }
  if (failure) throw failure.error;
}

/** True when Office reports WordApi `version` (false outside Word, and when isSetSupported throws). */
function wordApiSupported(version: string): boolean {
  try {
    const office = (globalThis as { Office?: typeof Office }).Office;
    return office?.context?.requirements?.isSetSupported("WordApi", version) === true;
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string {
  const code = asErrorLike(error).code;
  return code === undefined || code === null ? "" : String(code);
}

const TOO_LARGE_CODES = new Set(["RequestPayloadSizeLimitExceeded", "5103"]);
const MISSING_API_CODES = new Set(["ApiNotFound", "NotImplemented"]);

/**
 * insertHtml failing with one of these means this Word can't take that HTML (or has no insertHtml):
 * the plain text goes in instead. A TypeError is a Word whose Range has no insertHtml at all.
 */
const HTML_REFUSED_CODES = new Set(["ApiNotFound", "NotImplemented", "GeneralException"]);

function htmlRefused(error: unknown): boolean {
  return error instanceof TypeError || HTML_REFUSED_CODES.has(errorCode(error));
}

const INSERT_FORMATTED_FAILED_WORDS =
  "Sidecar couldn't insert the answer into the document. Click in the body of the document and try again.";

/** The generated bytes (any byte view) as a .docx, checked before Word is asked to do anything with them. */
function docxBytes(docx: unknown): Uint8Array {
  const bytes = ArrayBuffer.isView(docx) ? new Uint8Array(docx.buffer, docx.byteOffset, docx.byteLength) : undefined;
  if (!bytes || !looksLikeZip(bytes)) {
    throw new OfficeError(
      "write_failed",
      "The generated document is empty or isn't a Word document, so Word can't use it. Generate it again.",
    );
  }
  return bytes;
}

const OPEN_FAILED_WORDS =
  "Word couldn't open the generated document. In Word on the web it opens in a new browser tab: check that the browser didn't block it, then try again.";

/** Words for createDocument(...).open() failures. */
function openError(error: unknown): OfficeError {
  if (error instanceof OfficeError) return error;
  const code = errorCode(error);
  const detail = errorDetail(error);
  if (code === "NotAllowed" || MISSING_API_CODES.has(code)) {
    return new OfficeError(
      "unsupported",
      "This Word can't open a new document for Sidecar. In Word on the web that works only for documents stored in OneDrive or SharePoint; otherwise use Word on Windows or Mac." +
        detail,
      { cause: error },
    );
  }
  if (code === "AccessDenied") {
    return new OfficeError(
      "write_failed",
      "Word didn't allow Sidecar to create a new document. Word on the web saves new documents in your OneDrive: check that you can create documents there, then try again." +
        detail,
      { cause: error },
    );
  }
  if (TOO_LARGE_CODES.has(code)) {
    return new OfficeError(
      "write_failed",
      "The generated document is too large for Word on the web to take from Sidecar. Open Sidecar in Word on Windows or Mac and try again." +
        detail,
      { cause: error },
    );
  }
  return writeError(error, OPEN_FAILED_WORDS);
}

/** Words for insertFileFromBase64 failures. */
function insertDocumentError(error: unknown): OfficeError {
  if (error instanceof OfficeError) return error;
  if (TOO_LARGE_CODES.has(errorCode(error))) {
    return new OfficeError(
      "write_failed",
      "The document is too large for Word to insert from Sidecar. Open it as a new document instead." +
        errorDetail(error),
      { cause: error },
    );
  }
  return writeError(
    error,
    "Word couldn't insert the document here. Click in the body of the document (not in a header, footer or text box) and try again.",
  );
}

/** A custom property's value as text: strings as they are, dates as ISO 8601, numbers and booleans as written. */
function propertyText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Headings: goToHeading and getSelectionContext

/** styleBuiltIn of the built-in heading styles (WordApi 1.3: locale-independent). */
const BUILT_IN_HEADING = /^Heading([1-9])$/;
/** Style names ("Heading 2", or a custom "Heading Appendix"): `style` is the localised name. */
const HEADING_STYLE_NAME = /^heading(?:\s*([1-9])$)?/i;

/** A paragraph's heading level (1–9), undefined for a heading whose level can't be told, null for body text. */
function headingLevel(paragraph: Word.Paragraph, outlineLevels: boolean): number | undefined | null {
  const builtIn = BUILT_IN_HEADING.exec(String(paragraph.styleBuiltIn ?? ""));
  if (builtIn) return Number(builtIn[1]);
  if (outlineLevels) {
    // Paragraph.outlineLevel (WordApi 1.1) follows Word's object model: 1–9, 10 for body text.
    const level = Number(paragraph.outlineLevel);
    if (Number.isInteger(level) && level >= 1 && level <= 9) return level;
  }
  const named = HEADING_STYLE_NAME.exec(String(paragraph.style ?? "").trim());
  if (!named) return null;
  return named[1] ? Number(named[1]) : undefined;
}

/**
 * Outline levels are 1-based in Word's object model; a 0 on any paragraph means this Word counts
 * differently (body text would then look like level 9), so they are not used at all.
 */
function outlineLevelsUsable(items: Word.Paragraph[], withOutline: boolean): boolean {
  return withOutline && !items.some((paragraph) => paragraph.outlineLevel === 0);
}

/** Heading level and list numbering of `paragraph`, with its text when `text` says it was loaded. */
function paragraphInfo(paragraph: Word.Paragraph, outlineLevels: boolean, text: boolean): ParagraphInfo {
  const level = headingLevel(paragraph, outlineLevels);
  return {
    level,
    text: text ? (paragraph.text ?? "") : undefined,
    ...(level !== null && paragraph.isListItem === true ? { numbered: true } : {}),
  };
}

/**
 * The properties that tell headings apart. styleBuiltIn and isListItem are WordApi 1.3; style,
 * text and outlineLevel are 1.1.
 */
function headingProperties(withOutline: boolean, withText: boolean): string {
  return [
    ...(withText ? ["text"] : []),
    "style",
    "styleBuiltIn",
    ...(withOutline ? ["outlineLevel"] : []),
    "isListItem",
  ].join(",");
}

/** Body paragraphs this close between two headings are read, to see whether they are empty (then the headings may be one). */
const HEADING_GAP_PARAGRAPHS = 3;
/** A selection in a heading: this many paragraphs after its paragraph are read, to complete a heading broken over paragraphs. */
const HEADING_PARTS_AFTER = 8;

/** A failure of the sync that loads paragraph properties (so another try without outlineLevel may work). */
class ParagraphLoadError extends Error {
  constructor(readonly original: unknown) {
    super("Loading the paragraphs failed");
  }
}

const asLoadError = (error: unknown): never => {
  throw new ParagraphLoadError(error);
};

const unwrapLoadError = (error: unknown): unknown => (error instanceof ParagraphLoadError ? error.original : error);

const GO_TO_HEADING_FAILED_WORDS =
  "Sidecar couldn't move to that section's heading in the document. Click in the document and try again.";

const SELECT_PASSAGE_FAILED_WORDS = "Sidecar couldn't select that passage in the document. Click in the document and try again.";

/** Word's search takes at most 255 characters; a little is kept in hand. */
const MAX_SEARCH_CHARS = 250;

/**
 * What to search Word for to find a passage (as the server stores it: its paragraphs one per line,
 * white space collapsed): the first words of its first paragraph and, unless those are the whole
 * passage, the last words of its last one, each at most MAX_SEARCH_CHARS as Word gets it (Word's
 * search can't cross a paragraph mark and takes 255). A caret goes as "^^" (a lone "^" starts one
 * of Word's codes); with `anyWhiteSpace`, words are joined by "^w" (any run of spaces, tabs and
 * non-breaking spaces), for a document whose white space the server collapsed.
 */
export function passageNeedles(text: string, anyWhiteSpace = false): { start: string; end?: string } {
  const lines = text
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "");
  if (lines.length === 0) return { start: "" };
  const gap = anyWhiteSpace ? "^w" : " ";
  /** Words from the start of `words` (from its end with `fromEnd`) while they fit. */
  const take = (words: string[], fromEnd = false): { needle: string; whole: boolean } => {
    const taken: string[] = [];
    let length = 0;
    for (const word of fromEnd ? [...words].reverse() : words) {
      const escaped = word.replace(/\^/g, "^^");
      const added = (taken.length > 0 ? gap.length : 0) + escaped.length;
      if (length + added > MAX_SEARCH_CHARS) break;
      taken.push(escaped);
      length += added;
    }
    // One word longer than Word takes (a long link): its first characters, a caret never cut in two.
    if (taken.length === 0) {
      const word = (fromEnd ? words[words.length - 1] : words[0]) ?? "";
      return { needle: word.slice(0, MAX_SEARCH_CHARS / 2).replace(/\^/g, "^^"), whole: false };
    }
    if (fromEnd) taken.reverse();
    return { needle: taken.join(gap), whole: taken.length === words.length };
  };
  const first = take(lines[0]!.split(" "));
  if (first.whole && lines.length === 1) return { start: first.needle };
  return { start: first.needle, end: take(lines[lines.length - 1]!.split(" "), true).needle };
}

export function createWordHost(info: HostInfo = describeWordHost()): DocumentHost {
  /** Until when DocumentSelectionChanged events count as Sidecar's own move (see PROGRAMMATIC_SELECTION_MS). */
  let programmaticUntil = 0;
  const markProgrammaticMove = () => {
    programmaticUntil = Date.now() + PROGRAMMATIC_SELECTION_MS;
  };
  /**
   * Selects `range` ("Select": all of it, which also scrolls Word to it; "End": the cursor after
   * it) and syncs, as Sidecar's own move: selection listeners hear `programmatic: true`.
   */
  const selectAsOurMove = async (context: Word.RequestContext, range: Word.Range, how: "Select" | "End") => {
    range.select(how);
    markProgrammaticMove();
    await context.sync();
    markProgrammaticMove();
  };
  /** Set once a Word failed to load Paragraph.outlineLevel but managed without it. */
  let outlineLevelUnavailable = false;

  /**
   * Runs `run` with Paragraph.outlineLevel among the loaded properties, and once more without it
   * when loading the paragraphs failed (a Word that lacks it); later calls then leave it out.
   */
  async function withHeadingProperties<T>(run: (withOutline: boolean) => Promise<T>): Promise<T> {
    if (outlineLevelUnavailable) return run(false).catch((error: unknown) => Promise.reject(unwrapLoadError(error)));
    try {
      return await run(true);
    } catch (error) {
      if (!(error instanceof ParagraphLoadError)) throw error;
      let result: T;
      try {
        result = await run(false);
      } catch {
        throw error.original;
      }
      outlineLevelUnavailable = true;
      return result;
    }
  }

  async function getSelectedText(): Promise<string> {
    const word = wordGlobal();
    return word
      .run(async (context) => {
        const selection = context.document.getSelection();
        selection.load("text");
        await context.sync();
        return selection.text ?? "";
      })
      .catch(failWith("read_failed", "Sidecar couldn't read the selected text. Click in the document and try again."));
  }

  async function insertText(text: string, mode: InsertMode, options: InsertOptions = {}): Promise<void> {
    if (options.suggest) requireSuggestions();
    const word = wordGlobal();
    const content = normalizeNewlines(text);
    await word
      .run((context) =>
        asSuggestion(context, options.suggest === true, async () => {
          const selection = context.document.getSelection();
          // "Replace" puts the text in place of the selection; "End" adds it just after the selection
          // (at the cursor when nothing is selected) and keeps the selected text.
          const inserted = selection.insertText(content, mode === "replace" ? "Replace" : "End");
          // Leave the cursor after the inserted text so the next insert follows it.
          await selectAsOurMove(context, inserted, "End");
        }),
      )
      .catch(
        failWith(
          "write_failed",
          "Sidecar couldn't insert the text into the document. Click in the body of the document and try again.",
        ),
      );
  }

  return {
    info,

    readDocument: readWordDocument,

    async getDocumentName() {
      let url: string | undefined;
      try {
        url = officeGlobal().context.document.url;
      } catch (error) {
        if (error instanceof OfficeError) throw error;
        url = undefined;
      }
      return documentNameFromUrl(url);
    },

    getSelectedText,

    async getSelectionContext(): Promise<SelectionContext> {
      const word = wordGlobal();
      // Body.getRange, Range.expandTo and ParagraphCollection.getFirst are WordApi 1.3.
      if (!wordApiSupported("1.3")) return { text: await getSelectedText() };
      try {
        return await withHeadingProperties((withOutline) =>
          word.run(async (context): Promise<SelectionContext> => {
            const selection = context.document.getSelection();
            selection.load("text");
            const body = context.document.body;
            const selectionParagraph = selection.paragraphs.getFirst();
            // The paragraphs from the start of the body to the end of the selection's first
            // paragraph: only their styles come over, not their text…
            const upToSelection = body.getRange("Start").expandTo(selectionParagraph.getRange("End"));
            const before = upToSelection.paragraphs;
            before.load(headingProperties(withOutline, false));
            // …and the selection's first paragraph with the few after it, in full: when the
            // selection starts in a heading broken over paragraphs, its title goes on there.
            const fromSelection = selectionParagraph.getRange("Whole").expandTo(body.getRange("End"));
            const from = fromSelection.paragraphs;
            from.load({ select: headingProperties(withOutline, true), top: HEADING_PARTS_AFTER + 1 });
            await context.sync().catch(asLoadError);
            const text = selection.text ?? "";
            const items = before.items;
            const outlineLevels = outlineLevelsUsable(items, withOutline);
            const levels = items.map((paragraph) => headingLevel(paragraph, outlineLevels));
            const headingIndexes = levels.flatMap((level, index) => (level === null ? [] : [index]));
            if (headingIndexes.length === 0) return { text };

            // Then the text of every heading up to the selection (duplicates are counted), and of
            // the few paragraphs between two headings (empty ones don't separate a heading's parts).
            const read = new Set<number>(headingIndexes);
            headingIndexes.forEach((index, at) => {
              const previous = headingIndexes[at - 1];
              if (previous !== undefined && index - previous - 1 <= HEADING_GAP_PARAGRAPHS) {
                for (let gap = previous + 1; gap < index; gap++) read.add(gap);
              }
            });
            for (const index of read) items[index]?.load("text");
            await context.sync();

            const last = items.length - 1;
            const after: ParagraphInfo[] = [];
            if (levels[last] !== null) {
              for (const paragraph of from.items.slice(1)) {
                const info = paragraphInfo(paragraph, outlineLevels, true);
                if (info.level === null && cleanHeadingText(info.text ?? "")) break; // body text: the heading is over
                after.push(info);
              }
            }
            const infos = [...items.map((paragraph, index) => paragraphInfo(paragraph, outlineLevels, read.has(index))), ...after];
            const { candidates, indexes } = headingCandidates(infos);
            let anchor = -1;
            indexes.forEach((index, at) => {
              if (index <= last) anchor = at;
            });
            const nearest = nearestHeading(candidates, anchor);
            return nearest ? { text, headingTitle: nearest.title, headingOccurrence: nearest.occurrence } : { text };
          }),
        );
      } catch (error) {
        if (error instanceof OfficeError) throw error;
        // Outside the body (header, footer, footnote, text box) Word can't make a range from the
        // start of the body to the selection: the selected text alone still helps.
        return { text: await getSelectedText() };
      }
    },

    async goToHeading(title: string, occurrence = 1): Promise<boolean> {
      if (!normalizeHeadingTitle(title)) return false;
      if (!wordApiSupported("1.3")) {
        throw new OfficeError(
          "unsupported",
          "This version of Word can't move to a section's heading for Sidecar: it needs Word 2016 or later. Update Word or use Word on the web.",
        );
      }
      const word = wordGlobal();
      try {
        return await withHeadingProperties((withOutline) =>
          word.run(async (context) => {
            // One round trip for the text and style of every paragraph (a 300-page document has a
            // few thousand), then one to select the heading.
            const paragraphs = context.document.body.paragraphs;
            paragraphs.load(headingProperties(withOutline, true));
            await context.sync().catch(asLoadError);
            const items = paragraphs.items;
            const outlineLevels = outlineLevelsUsable(items, withOutline);
            const { candidates, indexes } = headingCandidates(items.map((paragraph) => paragraphInfo(paragraph, outlineLevels, true)));
            const match = findHeading(candidates, title, occurrence);
            const first = match ? items[indexes[match.first]!] : undefined;
            const last = match ? items[indexes[match.last]!] : undefined;
            if (!first || !last) return false;
            // The heading's text without its paragraph mark ("Content"); a split heading from the
            // start of its first paragraph to the end of its last. select() also scrolls Word to it.
            const heading = first === last ? first.getRange("Content") : first.getRange("Start").expandTo(last.getRange("End"));
            await selectAsOurMove(context, heading, "Select");
            return true;
          }),
        );
      } catch (error) {
        throw readError(unwrapLoadError(error), GO_TO_HEADING_FAILED_WORDS);
      }
    },

    async selectPassage(text: string) {
      const asStored = passageNeedles(text);
      if (!asStored.start) return false;
      // Range.expandTo and getRange are WordApi 1.3.
      if (!wordApiSupported("1.3")) {
        throw new OfficeError(
          "unsupported",
          "This version of Word can't select a passage for Sidecar: it needs Word 2016 or later. Update Word or use Word on the web.",
        );
      }
      const word = wordGlobal();
      try {
        return await word.run(async (context) => {
          const body = context.document.body;
          // As the server stored it and, in the same round trip, with any white space between the words.
          const tries = [asStored, passageNeedles(text, true)].map((needles) => {
            const starts = body.search(needles.start, { matchCase: true });
            starts.load("items");
            return { needles, starts };
          });
          await context.sync();
          const found = tries.find((attempt) => attempt.starts.items.length > 0);
          const first = found?.starts.items[0];
          if (!found || !first) return false;
          let passage: Word.Range = first;
          if (found.needles.end) {
            // Its last words, the first time they come after its first ones.
            const ends = first.getRange("Start").expandTo(body.getRange("End")).search(found.needles.end, { matchCase: true });
            ends.load("items");
            await context.sync();
            const last = ends.items[0];
            // Edited near its end since: from its start to the end of that paragraph.
            passage = last ? first.expandTo(last) : first.expandTo(first.paragraphs.getFirst().getRange("Content").getRange("End"));
          }
          // select() also scrolls Word to it.
          await selectAsOurMove(context, passage, "Select");
          return true;
        });
      } catch (error) {
        throw readError(error, SELECT_PASSAGE_FAILED_WORDS);
      }
    },

    onSelectionChanged(listener: (change: SelectionChange) => void) {
      const office = officeGlobal();
      const eventType = office.EventType.DocumentSelectionChanged;
      const handler = () => listener({ programmatic: Date.now() < programmaticUntil });
      let active = true;
      office.context.document.addHandlerAsync(eventType, handler, () => undefined);
      return () => {
        if (!active) return;
        active = false;
        try {
          office.context.document.removeHandlerAsync(eventType, { handler }, () => undefined);
        } catch {
          // The pane is going away; Word drops its handlers with it.
        }
      };
    },

    insertText,

    async insertFormatted(html: string, mode: InsertMode, plainText: string, options: InsertOptions = {}) {
      if (options.suggest) requireSuggestions();
      let clean: string;
      try {
        // DOMPurify is loaded on the first insert, not with the pane.
        const { sanitizeFormattedHtml } = await import(/* webpackChunkName: "sanitize" */ "./html-sanitize");
        clean = sanitizeFormattedHtml(html);
      } catch {
        clean = ""; // no way to clean it: never hand Word unclean HTML
      }
      if (!clean) return insertText(plainText, mode, options);
      const word = wordGlobal();
      try {
        await word.run((context) =>
          asSuggestion(context, options.suggest === true, async () => {
            const selection = context.document.getSelection();
            // Same places as insertText: "Replace" in place of the selection, "End" just after it
            // (at the cursor when nothing is selected), keeping the selected text.
            const inserted = selection.insertHtml(clean, mode === "replace" ? "Replace" : "End");
            // Leave the cursor after the inserted content so the next insert follows it.
            await selectAsOurMove(context, inserted, "End");
          }),
        );
      } catch (error) {
        if (error instanceof OfficeError) throw error;
        // A Word without insertHtml, or one that refuses this HTML: the answer still goes in, as text.
        if (htmlRefused(error)) return insertText(plainText, mode, options);
        throw writeError(error, INSERT_FORMATTED_FAILED_WORDS);
      }
    },

    async openGeneratedDocument(docx: Uint8Array, _name: string): Promise<OpenGeneratedResult> {
      const bytes = docxBytes(docx);
      if (!wordApiSupported("1.3")) {
        throw new OfficeError(
          "unsupported",
          "This version of Word can't open new documents for Sidecar: it needs Word 2016 or later. Update Word or use Word on the web.",
        );
      }
      const word = wordGlobal();
      const base64 = bytesToBase64(bytes);
      await word
        .run(async (context) => {
          // A new Word window (Word on the web: a new tab, saved to the default OneDrive folder).
          context.application.createDocument(base64).open();
          await context.sync();
        })
        .catch((error: unknown) => {
          throw openError(error);
        });
      return "opened-new-window";
    },

    async insertDocument(docx: Uint8Array, mode: DocumentInsertMode) {
      const bytes = docxBytes(docx);
      if (bytes.length > MAX_INSERT_BYTES) {
        const megabytes = (bytes.length / (1024 * 1024)).toFixed(1);
        throw new OfficeError(
          "write_failed",
          `This document (${megabytes} MB) is too large to insert: Word inserts documents of up to 4 MB. Open it as a new document instead.`,
        );
      }
      const word = wordGlobal();
      const base64 = bytesToBase64(bytes);
      await word
        .run(async (context) => {
          const inserted =
            mode === "end"
              ? context.document.body.insertFileFromBase64(base64, "End")
              : // "After" keeps the selection and puts the document just after it (at the cursor when
                // nothing is selected); "Replace" puts it in place of the selection.
                context.document.getSelection().insertFileFromBase64(base64, mode === "replace" ? "Replace" : "After");
          // Leave the cursor after the inserted document, so the person sees it and the next insert follows it.
          await selectAsOurMove(context, inserted, "End");
        })
        .catch((error: unknown) => {
          throw insertDocumentError(error);
        });
    },

    async getCustomProperty(name: string): Promise<string | undefined> {
      // customProperties is WordApi 1.3: an older Word simply can't have told us anything.
      if (!wordApiSupported("1.3")) return undefined;
      const word = (globalThis as { Word?: typeof Word }).Word;
      if (!word || typeof word.run !== "function") return undefined;
      try {
        return await word.run(async (context) => {
          const property = context.document.properties.customProperties.getItemOrNullObject(name);
          property.load("value");
          await context.sync();
          return property.isNullObject ? undefined : propertyText(property.value);
        });
      } catch (error) {
        // A Word that reports the API set but lacks the object model still just "has no property".
        if (error instanceof TypeError || MISSING_API_CODES.has(errorCode(error))) return undefined;
        throw readError(
          error,
          "Sidecar couldn't read this document's properties. Reload the document, then try again.",
        );
      }
    },

    async getSetting<T = unknown>(key: string): Promise<T | undefined> {
      const office = officeGlobal();
      try {
        const value = office.context.document.settings.get(key) as T | null | undefined;
        return value === null ? undefined : value;
      } catch (error) {
        throw readError(
          error,
          "Sidecar couldn't read its saved information from this document. Reload the document and try again.",
        );
      }
    },

    async setSetting(key: string, value: unknown) {
      const office = officeGlobal();
      const settings = office.context.document.settings;
      try {
        if (value === undefined) settings.remove(key);
        else settings.set(key, value);
      } catch (error) {
        throw writeError(
          error,
          "Sidecar couldn't store its information in this document. Check that the document can be edited, then try again.",
        );
      }
      await new Promise<void>((resolve, reject) => {
        const fallback =
          "Sidecar couldn't save its information in this document. Check that the document can be edited and saved, then try again.";
        try {
          settings.saveAsync((result) => {
            if (succeeded(office, result)) resolve();
            else reject(writeError(result.error, fallback));
          });
        } catch (error) {
          reject(writeError(error, fallback));
        }
      });
    },
  };
}
