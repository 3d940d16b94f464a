// The browser host's refusals, in words: no document picked yet, and citations as footnotes or
// comments (which the preview can't show).

import { OfficeError } from "../document-host";

export const NO_DOCUMENT_WORDS = "Choose a Word document (.docx) to stand for the open document.";

export function noDocument(): OfficeError {
  return new OfficeError("no_document", NO_DOCUMENT_WORDS);
}

/** The preview has no footnotes or comments: citations stay "[n]" with a list of sources. */
export function noNotes(): OfficeError {
  return new OfficeError("unsupported", "The browser tab's preview has no footnotes or comments: insert the answer with its list of sources instead.");
}
