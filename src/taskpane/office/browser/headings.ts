// The preview's headings (h1–h6, as mammoth makes them from Heading 1–6) as heading-match.ts wants
// them: the nearest one before a point (getSelectionContext), and the one for a title (goToHeading).

import { findHeading, headingCandidates, nearestHeading, type ParagraphInfo } from "../heading-match";
import { blockText, hasContent } from "./preview-dom";

/** The preview's headings (mammoth turns Heading 1–6 into h1–h6), in document order. */
function previewHeadings(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>("h1, h2, h3, h4, h5, h6"));
}

/**
 * The preview's paragraphs as heading-match.ts wants them: every heading (h1–h6, with its level),
 * and a body-text mark between two headings when content stands between them (mammoth leaves
 * empty paragraphs out; an empty element left in the preview doesn't count either); `elements`
 * holds the heading element of each entry.
 */
function previewParagraphs(root: HTMLElement): { infos: ParagraphInfo[]; elements: Array<HTMLElement | undefined> } {
  const infos: ParagraphInfo[] = [];
  const elements: Array<HTMLElement | undefined> = [];
  let previous: HTMLElement | undefined;
  for (const heading of previewHeadings(root)) {
    if (previous && somethingBetween(previous, heading)) {
      infos.push({ level: null, text: undefined });
      elements.push(undefined);
    }
    // blockText: a <br> inside a heading counts as white space.
    infos.push({ level: Number(heading.tagName.slice(1)), text: blockText(heading) });
    elements.push(heading);
    previous = heading;
  }
  return { infos, elements };
}

/** The first node after `node` and everything inside it, in document order. */
function nodeAfter(node: Node): Node | null {
  let current: Node | null = node;
  while (current && !current.nextSibling) current = current.parentNode;
  return current ? current.nextSibling : null;
}

/** True when content (text, a picture, a table) stands between the end of `previous` and the start of `next`. */
function somethingBetween(previous: Element, next: Element): boolean {
  let node = nodeAfter(previous);
  while (node && node !== next) {
    if (node.contains(next)) {
      node = node.firstChild; // `next` is further in: look at what comes before it in here
      continue;
    }
    if (hasContent(node)) return true;
    node = nodeAfter(node);
  }
  return false;
}

/** The preview's nearest heading at or before the start of `range` (with its occurrence), if any. */
export function headingBefore(root: HTMLElement, range: Range) {
  const start = range.cloneRange();
  start.collapse(true);
  const { infos, elements } = previewParagraphs(root);
  const { candidates, indexes } = headingCandidates(infos);
  let anchor = -1;
  indexes.forEach((index, at) => {
    const heading = elements[index];
    if (heading && start.comparePoint(heading, 0) <= 0) anchor = at;
  });
  return nearestHeading(candidates, anchor);
}

/**
 * The text of the preview's heading for `title` (a heading broken over consecutive headings: all
 * of them) as a range, with the heading's first element; null when the preview has none.
 */
export function headingRange(doc: Document, root: HTMLElement, title: string, occurrence: number): { range: Range; first: HTMLElement } | null {
  const { infos, elements } = previewParagraphs(root);
  const { candidates, indexes } = headingCandidates(infos);
  const match = findHeading(candidates, title, occurrence);
  const first = match ? elements[indexes[match.first]!] : undefined;
  const last = match ? elements[indexes[match.last]!] : undefined;
  if (!first || !last) return null;
  const range = doc.createRange();
  range.setStart(first, 0);
  range.setEnd(last, last.childNodes.length);
  return { range, first };
}
