// A generated section as content to write into the open document. The documents service answers
// a generation with a .docx (the only shape both the local server and Artos give); its readable
// HTML (mammoth, loaded on first use) holds the section under its heading, with footnote marks
// (`<sup><a href="#footnote-N">[N]</a></sup>`) and the notes in a list at the end. This keeps the
// section's blocks, turns each footnote mark into a plain citation "[n]" (renumbered from 1 in
// the section) and returns the notes' text beside it, for the host to make footnotes of.
import type { SectionContent, SectionNote } from "../../office/document-host";
import { normalizeHeadingTitle } from "../../office/heading-match";
import { docxToHtml } from "../../office/docx-html";
import { sanitizeFormattedHtml } from "../../office/html-sanitize";
import { squeeze } from "../../../shared/text";

export interface WrittenContent extends SectionContent {
  notes: SectionNote[];
}

const HEADING = /^H([1-6])$/;
const FOOTNOTE_LINK = /^#footnote-(\d+)$/;

function headingLevel(element: Element): number | undefined {
  const match = HEADING.exec(element.tagName);
  return match ? Number(match[1]) : undefined;
}

function isNotesList(element: Element): boolean {
  return element.tagName === "OL" && element.querySelector('li[id^="footnote-"]') !== null;
}

/** The text of a note, without mammoth's back link ("↑"). */
function noteText(item: Element): string {
  const copy = item.cloneNode(true) as Element;
  for (const link of Array.from(copy.querySelectorAll('a[href^="#footnote-ref-"]'))) link.remove();
  return squeeze(copy.textContent ?? "");
}

/**
 * The section titled `title` from a generated document's HTML: the blocks after its heading up to
 * the next heading of the same or a higher level (or the notes). When no heading has that title
 * and the document holds one section only, that section. Undefined when it isn't there.
 */
export function sectionContentFromHtml(html: string, title: string): WrittenContent | undefined {
  const page = new DOMParser().parseFromString(html, "text/html");
  const blocks = Array.from(page.body.children);
  const headings = blocks.filter((block) => headingLevel(block) !== undefined);
  const wanted = normalizeHeadingTitle(title);
  const heading = headings.find((block) => normalizeHeadingTitle(block.textContent ?? "") === wanted) ?? (headings.length === 1 ? headings[0] : undefined);
  if (!heading) return undefined;
  const level = headingLevel(heading)!;
  const kept: Element[] = [];
  for (let block = heading.nextElementSibling; block; block = block.nextElementSibling) {
    const blockLevel = headingLevel(block);
    if ((blockLevel !== undefined && blockLevel <= level) || isNotesList(block)) break;
    kept.push(block);
  }

  const notesById = new Map<string, string>();
  for (const item of Array.from(page.querySelectorAll('li[id^="footnote-"]'))) notesById.set(item.id, noteText(item));
  const notes: SectionNote[] = [];
  for (const block of kept) {
    for (const link of Array.from(block.querySelectorAll("a[href]"))) {
      const match = FOOTNOTE_LINK.exec(link.getAttribute("href") ?? "");
      if (!match) continue;
      const number = notes.length + 1;
      notes.push({ number, text: notesById.get(`footnote-${match[1]}`) ?? "" });
      const mark = link.parentElement?.tagName === "SUP" && link.parentElement.childNodes.length === 1 ? link.parentElement : link;
      mark.replaceWith(page.createTextNode(`[${number}]`));
    }
  }
  const container = page.createElement("div");
  container.append(...kept);
  const plainText = kept
    .map((block) => squeeze(block.textContent ?? ""))
    .filter(Boolean)
    .join("\n");
  return { html: sanitizeFormattedHtml(container.innerHTML), plainText, notes };
}

/** The section titled `title` from a generated .docx (see sectionContentFromHtml). */
export async function sectionContentFromDocx(bytes: Uint8Array, title: string): Promise<WrittenContent | undefined> {
  return sectionContentFromHtml(await docxToHtml(bytes), title);
}
