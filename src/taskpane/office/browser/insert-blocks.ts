// What goes into the preview on an insert, and how: plain text as paragraphs, an answer's HTML and
// an inserted .docx as sanitized blocks (each marked `data-sidecar-inserted`), placed at the
// selection or at the end, splitting the block they land in so paragraphs never nest.

import { t } from "../../i18n";
import { OfficeError, type DocumentInsertMode } from "../document-host";
import { checkedDocx, loadSanitizer, renderPreviewHtml } from "./picked-file";
import { BLOCK_TAGS, hasContent } from "./preview-dom";

/** Elements whose children may be paragraphs: inserted <p> go inside them, next to the split block. */
const FLOW_CONTAINERS = new Set(["ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "DD", "DIV", "LI", "SECTION", "TD", "TH"]);

/**
 * Inserts `blocks` (paragraphs) at a point inside `root`: the block holding the point is split in
 * two around it, so paragraphs never end up nested inside paragraphs.
 */
function insertBlocksAt(root: HTMLElement, container: Node, offset: number, blocks: DocumentFragment): void {
  const doc = root.ownerDocument;
  const isFlow = (node: Node) => node === root || (node.nodeType === Node.ELEMENT_NODE && FLOW_CONTAINERS.has((node as Element).tagName));

  if (isFlow(container)) {
    container.insertBefore(blocks, container.childNodes[offset] ?? null);
    return;
  }
  // `top` is the child of the nearest flow container that holds the point.
  let top: Node = container;
  let holder: Node | null = container.parentNode;
  while (holder && !isFlow(holder)) {
    top = holder;
    holder = holder.parentNode;
  }
  if (!holder) {
    root.append(blocks);
    return;
  }
  const rest = doc.createRange();
  rest.setStart(container, offset);
  rest.setEnd(top, top.nodeType === Node.ELEMENT_NODE ? top.childNodes.length : (top.nodeValue ?? "").length);
  const restContent = rest.extractContents();
  let tail: Node;
  if (top.nodeType === Node.ELEMENT_NODE) {
    tail = top.cloneNode(false);
    (tail as Element).removeAttribute("id");
    tail.appendChild(restContent);
  } else {
    tail = doc.createTextNode(restContent.textContent ?? "");
  }
  const after = top.nextSibling;
  if (hasContent(tail)) holder.insertBefore(tail, after);
  holder.insertBefore(blocks, hasContent(tail) ? tail : after);
  if (!hasContent(top)) holder.removeChild(top);
}

/** `text` as paragraphs to insert, one a line (an empty line: a paragraph holding a <br>). */
export function paragraphBlocks(doc: Document, text: string): HTMLElement[] {
  const lines = text === "" ? [] : text.replace(/\r\n?/g, "\n").split("\n");
  return lines.map((line) => {
    const paragraph = doc.createElement("p");
    paragraph.setAttribute("data-sidecar-inserted", "true");
    if (line) paragraph.textContent = line;
    else paragraph.appendChild(doc.createElement("br"));
    return paragraph;
  });
}

/** An answer's HTML, sanitized like it is for Word (html-sanitize.ts), as blocks; none when nothing is left of it. */
export async function formattedBlocks(doc: Document, html: string): Promise<HTMLElement[]> {
  let clean = "";
  try {
    const { sanitizeFormattedHtml } = await loadSanitizer();
    clean = sanitizeFormattedHtml(html);
  } catch {
    clean = "";
  }
  return clean ? blocksFromHtml(doc, clean) : [];
}

/** A .docx to insert as the preview's HTML (mammoth → DOMPurify, as for the preview); write_failed when it can't be read. */
export async function insertedDocumentHtml(docx: Uint8Array): Promise<string> {
  const bytes = checkedDocx(docx, t("office.documentToInsertNotDocx"));
  try {
    return await renderPreviewHtml(bytes, "the document to insert");
  } catch (error) {
    throw new OfficeError("write_failed", t("office.documentToInsertDamaged"), { cause: error });
  }
}

/** Sanitized HTML as top-level blocks: elements as they are, loose inline content wrapped in <p>. */
export function blocksFromHtml(doc: Document, html: string): HTMLElement[] {
  const template = doc.createElement("template");
  template.innerHTML = html; // already sanitized (html-sanitize.ts); template content is inert
  const blocks: HTMLElement[] = [];
  let loose: HTMLElement | null = null;
  for (const node of Array.from(template.content.childNodes)) {
    const element = node.nodeType === Node.ELEMENT_NODE ? (node as HTMLElement) : null;
    if (element && BLOCK_TAGS.has(element.tagName)) {
      loose = null;
      blocks.push(element);
      continue;
    }
    if (!element && (node.nodeType !== Node.TEXT_NODE || (node.nodeValue ?? "").trim() === "")) continue;
    if (!loose) {
      loose = doc.createElement("p");
      blocks.push(loose);
    }
    loose.appendChild(node);
  }
  for (const block of blocks) block.setAttribute("data-sidecar-inserted", "true");
  return blocks;
}

/**
 * Puts `blocks` into `root`: after `range` ("cursor"), in place of it ("replace"), or at the end
 * (no `range`: "end", and whenever there is no selection in the preview). The block holding the
 * point is split, so paragraphs never nest. Returns the caret, after the inserted blocks.
 */
export function placeBlocksIn(
  doc: Document,
  root: HTMLElement,
  blocks: HTMLElement[],
  range: Range | null,
  mode: DocumentInsertMode,
): Range {
  const fragment = doc.createDocumentFragment();
  fragment.append(...blocks);

  const caret = doc.createRange();
  if (range) {
    if (mode === "replace") range.deleteContents();
    else range.collapse(false);
    caret.setStart(range.startContainer, range.startOffset);
    if (blocks.length > 0) insertBlocksAt(root, range.startContainer, range.startOffset, fragment);
  } else {
    root.append(fragment);
    caret.selectNodeContents(root);
    caret.collapse(false);
  }
  const last = blocks[blocks.length - 1];
  if (last) caret.setStart(last, last.childNodes.length);
  caret.collapse(true);
  return caret;
}
