// The browser host's refusals, in words (the pane's language): no document picked yet, and citations as footnotes or
// comments (which the preview can't show).

import { t } from "../../i18n";
import { OfficeError } from "../document-host";

export function noDocument(): OfficeError {
  return new OfficeError("no_document", t("office.noDocument"));
}

/** The preview has no footnotes or comments: citations stay "[n]" with a list of sources. */
export function noNotes(): OfficeError {
  return new OfficeError("unsupported", t("office.previewHasNoNotes"));
}
