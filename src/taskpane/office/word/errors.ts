// Office errors as OfficeError with words a person can act on: the Office common-API codes and
// Word.run's string codes, with the code itself added for support.

import { OfficeError } from "../document-host";

interface OfficeErrorLike {
  code?: number | string;
  name?: string;
  message?: string;
}

function asErrorLike(error: unknown): OfficeErrorLike {
  return error && typeof error === "object" ? (error as OfficeErrorLike) : {};
}

/** " (Word error 5001: Internal Error)" — for support, never the only words shown. */
export function errorDetail(error: unknown): string {
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

export function readError(error: unknown, fallback: string): OfficeError {
  if (error instanceof OfficeError) return error;
  return new OfficeError("read_failed", (wordsFor(error, "read") ?? fallback) + errorDetail(error), { cause: error });
}

export function writeError(error: unknown, fallback: string): OfficeError {
  if (error instanceof OfficeError) return error;
  return new OfficeError("write_failed", (wordsFor(error, "write") ?? fallback) + errorDetail(error), { cause: error });
}

export function abortedError(): OfficeError {
  return new OfficeError("aborted", "Reading the document was stopped.");
}

export function failWith(kind: "read_failed" | "write_failed", fallback: string) {
  return (error: unknown): never => {
    throw kind === "write_failed" ? writeError(error, fallback) : readError(error, fallback);
  };
}

export function errorCode(error: unknown): string {
  const code = asErrorLike(error).code;
  return code === undefined || code === null ? "" : String(code);
}

export const TOO_LARGE_CODES = new Set(["RequestPayloadSizeLimitExceeded", "5103"]);
export const MISSING_API_CODES = new Set(["ApiNotFound", "NotImplemented"]);
