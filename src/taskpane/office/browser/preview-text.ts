// The preview's text: character offsets into it (to keep a selection while the preview is
// replaced), and finding a passage in it the way the server stores passages (selectPassage).

import { squeeze } from "../../../shared/text";
import { BLOCK_TAGS } from "./preview-dom";

/** Characters the server leaves out of passages (src/server/docx/headings.ts cleanText). */
const INVISIBLE_CHARS = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** How much of its start and end marks out a passage that has changed inside. */
const ANCHOR_CHARS = 60;

/** How many characters of `root`'s text come before a point in it. */
function textOffset(root: HTMLElement, node: Node, offset: number): number {
  const range = root.ownerDocument.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The point `offset` characters into `root`'s text (textOffset's inverse), if it has that many. */
function pointAt(root: HTMLElement, offset: number): { node: Text; offset: number } | null {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let passed = 0;
  let last: Text | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (offset <= passed + node.data.length) return { node, offset: offset - passed };
    passed += node.data.length;
    last = node;
  }
  return last && offset === passed ? { node: last, offset: last.data.length } : null;
}

/**
 * The preview's text as passages are stored (white space and block boundaries as one space,
 * invisible characters left out), with each character's place in the DOM.
 */
function textMap(root: HTMLElement): { text: string; at: Array<{ node: Text; offset: number }> } {
  let text = "";
  const at: Array<{ node: Text; offset: number }> = [];
  let space = false;
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const value = (node as Text).data;
      for (let offset = 0; offset < value.length; offset++) {
        const char = value[offset]!;
        INVISIBLE_CHARS.lastIndex = 0;
        if (INVISIBLE_CHARS.test(char)) continue;
        if (/\s/.test(char)) {
          space = true;
          continue;
        }
        if (space && text !== "") {
          text += " ";
          at.push({ node: node as Text, offset });
        }
        space = false;
        text += char;
        at.push({ node: node as Text, offset });
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = (node as Element).tagName;
    const block = tag === "BR" || tag === "TD" || tag === "TH" || BLOCK_TAGS.has(tag);
    if (block) space = true;
    node.childNodes.forEach(visit);
    if (block) space = true;
  };
  visit(root);
  return { text, at };
}

/** The first (or last) words of `text`, at most about `max` characters. */
function wordsWithin(text: string, max: number, side: "start" | "end"): string {
  if (text.length <= max) return text;
  if (side === "start") {
    const cut = text.slice(0, max);
    const space = cut.lastIndexOf(" ");
    return space > max / 2 ? cut.slice(0, space) : cut;
  }
  const cut = text.slice(-max);
  const space = cut.indexOf(" ");
  return space >= 0 && space < max / 2 ? cut.slice(space + 1) : cut;
}

/** Where `range` starts and ends in `root`'s text (textOffset), to find the same characters again after the preview changes. */
export function textMarks(root: HTMLElement, range: Range): [number, number] {
  return [textOffset(root, range.startContainer, range.startOffset), textOffset(root, range.endContainer, range.endOffset)];
}

/** The range between two textMarks in `root`, if its text reaches that far. */
export function rangeAtMarks(doc: Document, root: HTMLElement, marks: [number, number]): Range | null {
  const [start, end] = marks.map((mark) => pointAt(root, mark));
  if (!start || !end) return null;
  const range = doc.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset);
  return range;
}

/**
 * The passage's text in the preview, from its first character to its last, compared the way the
 * server stores passages (white space collapsed, invisible characters dropped), with the text
 * node it starts in. When the text has changed inside, its first and last words still mark it
 * out; when even those are gone (or `text` has none), null.
 */
export function passageRange(doc: Document, root: HTMLElement, text: string): { range: Range; startNode: Text } | null {
  const passage = squeeze(text.replace(INVISIBLE_CHARS, ""));
  if (!passage) return null;
  const map = textMap(root);
  let from = map.text.indexOf(passage);
  let to = from + passage.length;
  if (from < 0) {
    // Edited inside since it was uploaded: its first and last words, close enough together.
    const head = wordsWithin(passage, ANCHOR_CHARS, "start");
    const tail = wordsWithin(passage, ANCHOR_CHARS, "end");
    from = map.text.indexOf(head);
    if (from < 0) return null;
    const last = map.text.indexOf(tail, from + head.length - Math.min(head.length, tail.length));
    to = last >= 0 && last + tail.length - from <= passage.length * 1.5 + ANCHOR_CHARS ? last + tail.length : from + head.length;
  }
  const start = map.at[from]!;
  const end = map.at[to - 1]!;
  const range = doc.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset + 1);
  return { range, startNode: start.node };
}
