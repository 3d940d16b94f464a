// The Office and Word globals and what they say about this Word: looked up when used (office.js
// may load after this module, and tests swap them).

import { t } from "../../i18n";
import { english } from "../../i18n/catalogs";
import { OfficeError, type CitationNoteKind, type HostInfo } from "../document-host";
import { isDarkOfficeTheme } from "../office-theme";

/** The English words for a Word too old for Sidecar (HostInfo.unsupportedReason says them in the pane's language). */
export const WORD_TOO_OLD_REASON: string = english["office.wordTooOld"];

export function officeGlobal(): typeof Office {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (!office?.context?.document) {
    throw new OfficeError("unsupported", t("office.cantReachDocument"));
  }
  return office;
}

export function wordGlobal(): typeof Word {
  const word = (globalThis as { Word?: typeof Word }).Word;
  if (!word || typeof word.run !== "function") {
    throw new OfficeError("unsupported", t("office.cantRunCommands"));
  }
  return word;
}

export function succeeded(office: typeof Office, result: Office.AsyncResult<unknown>): boolean {
  return result.status === (office.AsyncResultStatus?.Succeeded ?? "succeeded");
}

/** True when Office reports WordApi `version` (false outside Word, and when isSetSupported throws). */
export function wordApiSupported(version: string): boolean {
  try {
    const office = (globalThis as { Office?: typeof Office }).Office;
    return office?.context?.requirements?.isSetSupported("WordApi", version) === true;
  } catch {
    return false;
  }
}

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
  const citationNotes: CitationNoteKind[] = [];
  if (wordApiSupported("1.5")) citationNotes.push("footnotes");
  if (wordApiSupported("1.4")) citationNotes.push("comments");
  const info: HostInfo = {
    kind: "word",
    platform: platform ? String(platform) : "Unknown",
    supported,
    displayLanguage,
    darkTheme,
    citationNotes,
  };
  // Read when shown, not now: the pane's language is only set once Word has said which it is.
  if (!supported) Object.defineProperty(info, "unsupportedReason", { get: () => t("office.wordTooOld"), enumerable: true });
  return info;
}
