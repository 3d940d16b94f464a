// Sections written in place, in the preview: Word's content control around a written section is
// a <div> here, carrying the same tag and title as data attributes (data-sidecar-section,
// data-sidecar-title), so that the section of a selection is found by the element around it, as
// in Word. Citations stay "[n]" after the sentences (the preview has no footnotes). As a
// suggestion (browser/suggestions.ts), a new section is marked as inserted, and a replaced one
// keeps its old text struck through until the suggestion is accepted.

import { t } from "../../i18n";
import {
  OfficeError,
  contentControlTag,
  contentControlTitle,
  writtenSectionFrom,
  type WrittenPlace,
  type WrittenSectionRef,
} from "../document-host";
import { headingRange } from "./headings";
import { placeBlocksIn } from "./insert-blocks";
import { SUGGESTION, markInserted } from "./suggestions";

const TAG = "data-sidecar-section";
const TITLE = "data-sidecar-title";

function sectionElements(root: HTMLElement): Array<{ element: HTMLElement; section: WrittenSectionRef }> {
  return Array.from(root.querySelectorAll<HTMLElement>(`[${TAG}]`)).flatMap((element) => {
    const section = writtenSectionFrom(element.getAttribute(TAG), element.getAttribute(TITLE));
    return section ? [{ element, section }] : [];
  });
}

/** The written sections in the preview, in document order. */
export function writtenSectionsIn(root: HTMLElement): WrittenSectionRef[] {
  return sectionElements(root).map(({ section }) => section);
}

/** The written section holding the start of `range`, if any. */
export function writtenSectionAround(root: HTMLElement, range: Range): WrittenSectionRef | undefined {
  const start = range.startContainer;
  const element = (start.nodeType === Node.ELEMENT_NODE ? (start as Element) : start.parentElement)?.closest(`[${TAG}]`);
  if (!element || !root.contains(element)) return undefined;
  return writtenSectionFrom(element.getAttribute(TAG), element.getAttribute(TITLE));
}

function label(element: HTMLElement, section: WrittenSectionRef): void {
  element.setAttribute(TAG, contentControlTag(section));
  element.setAttribute(TITLE, contentControlTitle(section.title));
}

/**
 * Puts a section's blocks into the preview (see DocumentHost.writeSection): in place of the one
 * written before (only with `replace`), under the heading with its title, or at `range` (the
 * selection; the end when there is none) after a heading of its own. Returns where, and the caret
 * after it.
 */
export function writeSectionIn(
  doc: Document,
  root: HTMLElement,
  range: Range | null,
  section: WrittenSectionRef,
  blocks: HTMLElement[],
  replace: boolean,
  suggestion?: string,
): { place: WrittenPlace; caret: Range } {
  const caretAfter = (element: HTMLElement) => {
    const caret = doc.createRange();
    caret.setStart(element, element.childNodes.length);
    caret.collapse(true);
    return caret;
  };
  const before = sectionElements(root).find((written) => written.section.sectionId === section.sectionId);
  if (before) {
    if (!replace) throw new OfficeError("already_written", t("office.alreadyWritten", { title: section.title }));
    if (suggestion) {
      // The old text stays, struck through, until the suggestion is accepted.
      const old = doc.createElement("del");
      old.setAttribute(SUGGESTION, suggestion);
      old.append(...Array.from(before.element.childNodes));
      markInserted(blocks, suggestion);
      before.element.replaceChildren(old, ...blocks);
    } else {
      before.element.replaceChildren(...blocks);
    }
    label(before.element, section);
    return { place: "replaced", caret: caretAfter(before.element) };
  }
  const container = doc.createElement("div");
  label(container, section);
  container.append(...blocks);
  if (suggestion) container.setAttribute(SUGGESTION, suggestion);
  const heading = headingRange(doc, root, section.title, 1);
  const last = heading?.range.endContainer;
  if (last instanceof HTMLElement) {
    last.after(container);
    return { place: "under-heading", caret: caretAfter(container) };
  }
  const title = doc.createElement("h1");
  title.textContent = section.title;
  title.setAttribute("data-sidecar-inserted", "true");
  if (suggestion) title.setAttribute(SUGGESTION, suggestion);
  placeBlocksIn(doc, root, [title, container], range, range ? "cursor" : "end");
  return { place: "at-cursor", caret: caretAfter(container) };
}
