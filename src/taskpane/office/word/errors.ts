// Office errors as OfficeError with words a person can act on: the Office common-API codes and
// Word.run's string codes, with the code itself added for support.

import { t } from "../../i18n";
import { OfficeError } from "../document-host";

interface OfficeErrorLike {
  code?: number | string;
  name?: string;
  message?: string;
}

function asErrorLike(error: unknown): OfficeErrorLike {
  return error && typeof error === "object" ? (error as OfficeErrorLike) : {};
}

/**
 * `words` with the Office error's code (and name) added for support: "… (Word error 5001: Internal
 * Error)". The code is never the only thing said.
 */
export function withDetail(words: string, error: unknown): string {
  const { code, name } = asErrorLike(error);
  if (code === undefined || code === null || code === "") return words;
  return name && name !== String(code)
    ? t("office.errorWithCodeAndName", { message: words, code: String(code), name })
    : t("office.errorWithCode", { message: words, code: String(code) });
}

function numericCode(error: unknown): number | undefined {
  const code = Number(asErrorLike(error).code);
  return Number.isFinite(code) ? code : undefined;
}

/** Words for the Office common-API error codes Sidecar can run into (see "Office Common API error codes"). */
function wordsForCommonError(code: number | undefined, kind: "read" | "write"): string | undefined {
  switch (code) {
    case 11000: // ooeMemoryFileLimit: "Call closeAsync on the current File before retrieving another."
      return t("office.wordBusyWithFile");
    case 5100: // ooeTooManyIncompleteRequests
      return t("office.wordBusyWithRequest");
    case 1007:
    case 1008: // ooeGetDataIsTooLarge
    case 5103:
    case 5104: // request/response payload too large
      return t("office.documentTooLargeToHandOver");
    case 11001: // ooeNetworkProblemRetrieveFile
      return t("office.networkProblem");
    case 5011: // ooeRequestTimeout
      return t("office.wordTimedOut");
    case 5006:
    case 5012: // session timed out / invalid
      return t("office.sessionExpired");
    case 5002: // ooeDocumentReadOnly
      return kind === "read"
        ? t("office.readOnlyForReading")
        : t("office.readOnlyForWriting");
    case 5009:
    case 9016: // permission denied
      return t("office.permissionDenied");
    case 4002: // ooeSettingsAreStale
      return t("office.settingsStale");
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
      ? t("office.selectionAccessDenied")
      : t("office.partProtected");
  }
  return undefined;
}

export function readError(error: unknown, fallback: string): OfficeError {
  if (error instanceof OfficeError) return error;
  return new OfficeError("read_failed", withDetail(wordsFor(error, "read") ?? fallback, error), { cause: error });
}

export function writeError(error: unknown, fallback: string): OfficeError {
  if (error instanceof OfficeError) return error;
  return new OfficeError("write_failed", withDetail(wordsFor(error, "write") ?? fallback, error), { cause: error });
}

export function abortedError(): OfficeError {
  return new OfficeError("aborted", t("office.readingStopped"));
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
