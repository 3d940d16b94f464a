// DOM helpers for the preview: which elements are blocks, its text with line breaks between
// blocks, and comparing and scrolling to places in it.

export const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGCAPTION", "FIGURE", "FOOTER",
  "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "OL", "P", "PRE", "SECTION", "TABLE", "TBODY",
  "THEAD", "TFOOT", "TR", "UL",
]);

const CONTENT_ELEMENTS = "img,table,hr,svg,video,audio,iframe,object,embed,canvas";

/** Text of a fragment with a line break between block elements (jsdom has no innerText). */
export function blockText(root: Node): string {
  let out = "";
  const breakLine = () => {
    if (out && !out.endsWith("\n")) out += "\n";
  };
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
      out += node.nodeValue ?? "";
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    const tag = node.nodeType === Node.ELEMENT_NODE ? (node as Element).tagName : "";
    if (tag === "BR") {
      out += "\n";
      return;
    }
    if (tag === "TR") {
      // One line per table row, cells separated by tabs.
      breakLine();
      out += [...node.childNodes]
        .filter((cell) => cell.nodeName === "TD" || cell.nodeName === "TH")
        .map((cell) => blockText(cell))
        .join("\t");
      breakLine();
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) breakLine();
    node.childNodes.forEach(visit);
    if (block) breakLine();
  };
  visit(root);
  return out.replace(/^\n+|\n+$/g, "");
}

export function hasContent(node: Node): boolean {
  if ((node.textContent ?? "").trim() !== "") return true;
  return node.nodeType === Node.ELEMENT_NODE && (node as Element).querySelector(CONTENT_ELEMENTS) !== null;
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.startContainer === b.startContainer &&
    a.startOffset === b.startOffset &&
    a.endContainer === b.endContainer &&
    a.endOffset === b.endOffset
  );
}

/**
 * Scrolls `container` so `element` is at its top. Unlike scrollIntoView, nothing else moves: not
 * the page, not the pane beside the preview.
 */
export function scrollWithin(container: HTMLElement, element: HTMLElement): void {
  const top = element.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
  if (typeof container.scrollTo === "function") container.scrollTo({ top });
  else container.scrollTop = top;
}
