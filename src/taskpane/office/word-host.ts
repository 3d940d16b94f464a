// DocumentHost for Word (desktop, Mac and Word on the web) through Office.js.
// Everything here returns plain data and throws OfficeError with words a person can act on.
//
// This file is the entry point: createWordHost puts the host together from the capability
// modules in word/, and the names importers use are re-exported from here.
// - word/globals.ts: the Office and Word globals, WordApi checks, describeWordHost;
// - word/errors.ts: Office errors as OfficeError in words (readError, writeError, failWith, codes);
// - word/read-file.ts: readDocument (getFileAsync in slices) and the document's name;
// - word/state.ts: what one host remembers between calls (Sidecar's own selection moves, outline levels);
// - word/selection.ts: the selected text, Sidecar's own selection moves, selection listeners;
// - word/headings.ts: telling headings apart, goToHeading, getSelectionContext;
// - word/passages.ts: passageNeedles and selectPassage;
// - word/insertion.ts: insertText, insertFormatted, and suggestions (Track Changes on and back);
// - word/generated-documents.ts: openGeneratedDocument and insertDocument;
// - word/properties.ts: settings and custom document properties;
// - word/sections-in-place.ts: writeSection (content controls tagged with the section, citations
//   as footnotes), getWrittenSections, and the written section around the selection.

import { type DocumentHost, type HostInfo } from "./document-host";
import { insertDocument, openGeneratedDocument } from "./word/generated-documents";
import { describeWordHost } from "./word/globals";
import { getSelectionContext, goToHeading } from "./word/headings";
import { insertFormatted, insertText } from "./word/insertion";
import { selectPassage } from "./word/passages";
import { getCustomProperty, getSetting, setSetting } from "./word/properties";
import { getWordDocumentName, readWordDocument } from "./word/read-file";
import { getSelectedTextAndSection, getWrittenSections, writeSection } from "./word/sections-in-place";
import { getSelectedText, onSelectionChanged } from "./word/selection";
import { newWordHostState } from "./word/state";

export { MAX_INSERT_BYTES } from "./word/generated-documents";
export { WORD_TOO_OLD_REASON, describeWordHost } from "./word/globals";
export { passageNeedles } from "./word/passages";
export { SLICE_SIZE, documentNameFromUrl, readWordDocument, untitledDocumentName } from "./word/read-file";
export { PROGRAMMATIC_SELECTION_MS } from "./word/state";

export function createWordHost(info: HostInfo = describeWordHost()): DocumentHost {
  const state = newWordHostState();
  return {
    info,
    readDocument: readWordDocument,
    getDocumentName: getWordDocumentName,
    getSelectedText,
    getSelectionContext: () => getSelectionContext(state),
    getSelectedTextAndSection,
    goToHeading: (title, occurrence) => goToHeading(state, title, occurrence),
    selectPassage: (text) => selectPassage(state, text),
    onSelectionChanged: (listener) => onSelectionChanged(state, listener),
    insertText: (text, mode, options) => insertText(state, text, mode, options),
    insertFormatted: (html, mode, plainText, options) => insertFormatted(state, html, mode, plainText, options),
    openGeneratedDocument,
    insertDocument: (docx, mode) => insertDocument(state, docx, mode),
    writeSection: (section, content, options) => writeSection(state, section, content, options),
    getWrittenSections,
    getCustomProperty,
    getSetting,
    setSetting,
  };
}
