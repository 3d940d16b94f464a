// What "Insert at cursor" / "Replace selection" / Copy take out of the chat: the answer's content
// only, then a short reference list for the citation markers [n] it contains, one line per number
// with the cited document and section; or, where Word makes them footnotes or comments, no list
// but the notes' words beside the content (the host turns each "[n]" into its note).
//
// "Content only": the local server's answers have no lead-in (src/server/services/chat/compose.ts),
// but an agent's answer may open with one of its own ("Here is what the documents say:", "Based
// on the provided sources, here are the key points:"), and conversations stored before the local
// server dropped its lead-in still carry "Here is what “report.docx” says about this:". Such an
// opening paragraph talks about the answer rather than being part of it, so it stays in the chat
// and is left out of what goes into the document.
import { escapeHtml } from "../../../shared/text";
import { t } from "../../i18n";
import type { SectionNote } from "../../office/document-host";
import type { Reference } from "./api/stream-answer";

export interface CitedSource {
  number: number;
  label: string;
  /** The reference's address when it is a web link (the list links to it). */
  href?: string;
}

export interface InsertableAnswer {
  /** The answer's content as HTML (citations as plain "[n]"), then the reference list (unless `asNotes`). */
  html: string;
  /** The same as plain text: no markdown marks, list items with "- " or "1. ", then the list. */
  text: string;
  /** What each cited number's note says (the same words as the list's lines). */
  notes: SectionNote[];
}

const WEB_LINK = /^(?:https?|mailto):/i;

/** How an inserted answer's citations travel: Word footnotes, Word comments, or "[n]" and a list of sources. */
export type CitationsAs = "footnotes" | "comments" | "list";

/** What the person chose, as far as the host can do it: else the first the host can, else the list. */
export function citationsFor(chosen: CitationsAs | undefined, available: readonly string[] | undefined): CitationsAs {
  const can = (available ?? []).filter((kind): kind is CitationsAs => kind === "footnotes" || kind === "comments");
  if (chosen === "list") return "list";
  if (chosen && can.includes(chosen)) return chosen;
  return can[0] ?? "list";
}

/** How the reference list names a cited source: its title (document — section), else its document and section, else its address. */
export function referenceLabel(reference: Reference): string {
  const title = reference.title?.trim();
  if (title) return title;
  const documentName = reference.document_name?.trim();
  const sectionTitle = reference.section_title?.trim();
  if (documentName) return sectionTitle ? `${documentName} — ${sectionTitle}` : documentName;
  const url = reference.url?.trim();
  return url || t("chat.sourceNumber", { number: reference.number });
}

/**
 * The references that `text` cites as [n], by number; numbers without a reference are left out.
 * Wider than CITATION_MARKER (citations.ts) on purpose: "[1]:" ending a line cites too here.
 */
export function citedSources(text: string, references: readonly Reference[]): CitedSource[] {
  const out: CitedSource[] = [];
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    const number = Number(match[1]);
    if (out.some((cited) => cited.number === number)) continue;
    const reference = references.find((r) => r.number === number);
    if (!reference) continue;
    const url = reference.url?.trim();
    out.push({ number, label: referenceLabel(reference), ...(url && /^https?:\/\//i.test(url) ? { href: url } : {}) });
  }
  return out.sort((a, b) => a.number - b.number);
}

/**
 * An opening paragraph about the answer rather than of it: it announces what follows ("Here is…",
 * "Here are…", "Below is…", "Based on…", "According to…", possibly after "Sure!"), ends with a
 * colon, cites nothing, is short, and something follows it.
 */
const LEAD_IN = /^(?:(?:sure|certainly|of course|okay|ok)\b[\s!,.]*)?(?:here(?:'s|’s|\s+is|\s+are)|below\s+(?:is|are)|based\s+on|according\s+to)\b/i;
const MAX_LEAD_IN_CHARS = 240;

function isLeadIn(element: Element): boolean {
  if (element.tagName !== "P" || !element.nextElementSibling) return false;
  const text = (element.textContent ?? "").replace(/\s+/g, " ").trim();
  return text.length <= MAX_LEAD_IN_CHARS && /[:：]$/.test(text) && !/\[\d+\]/.test(text) && LEAD_IN.test(text);
}

/** The answer's content: a copy of what the chat rendered, without a lead-in, citations as plain text. */
function contentOf(rendered: Element | null, markdown: string): Element {
  const doc = rendered?.ownerDocument ?? document;
  const content = doc.createElement("div");
  // The chat shows the markdown as text ([data-unrendered]) until the renderer has loaded.
  if (rendered && rendered.childNodes.length > 0 && !rendered.querySelector("[data-unrendered]")) {
    for (const node of Array.from(rendered.childNodes)) content.appendChild(node.cloneNode(true));
  } else {
    // Nothing rendered (yet): the text, a paragraph per blank-line-separated block, its lines kept.
    for (const block of markdown.split(/\n\s*\n/)) {
      if (!block.trim()) continue;
      const paragraph = doc.createElement("p");
      block
        .trim()
        .split("\n")
        .forEach((line, index) => {
          if (index > 0) paragraph.appendChild(doc.createElement("br"));
          paragraph.appendChild(doc.createTextNode(line));
        });
      content.appendChild(paragraph);
    }
  }
  const first = content.firstElementChild;
  if (first && isLeadIn(first)) {
    first.remove();
    while (content.firstChild?.nodeType === Node.TEXT_NODE && !content.firstChild.nodeValue?.trim()) content.firstChild.remove();
  }
  // A citation is a link to the chat's Sources (#cite-n): in a document it is the text [n].
  for (const link of Array.from(content.querySelectorAll('a[href^="#cite-"]'))) link.replaceWith(doc.createTextNode(link.textContent ?? ""));
  return content;
}

// ---- plain text ----------------------------------------------------------------------------

const HEADINGS = new Set(["H1", "H2", "H3", "H4", "H5", "H6"]);
const BLOCKS = new Set([...HEADINGS, "P", "UL", "OL", "LI", "PRE", "BLOCKQUOTE", "TABLE", "THEAD", "TBODY", "TFOOT", "TR", "HR", "DIV", "SECTION", "ARTICLE"]);

/** Inline content as text: white space collapsed, <br> a line break, a web link followed by its address. */
function inlineText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return (node.nodeValue ?? "").replace(/\s+/g, " ");
  if (node.nodeType !== Node.ELEMENT_NODE) return "";
  const element = node as Element;
  if (element.tagName === "BR") return "\n";
  const text = Array.from(element.childNodes).map(inlineText).join("");
  if (element.tagName === "A") {
    const href = element.getAttribute("href") ?? "";
    if (WEB_LINK.test(href) && href.replace(/^mailto:/i, "") !== text.trim()) return `${text} (${href.replace(/^mailto:/i, "")})`;
  }
  return text;
}

function tidy(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/ {2,}/g, " ").trim())
    .join("\n")
    .trim();
}

/** Block-level content as text blocks (paragraphs, lists, tables, ...), in order. */
function textBlocks(nodes: readonly Node[]): string[] {
  const blocks: string[] = [];
  let run = "";
  const flush = () => {
    const text = tidy(run);
    if (text) blocks.push(text);
    run = "";
  };
  for (const node of nodes) {
    const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : null;
    if (!element || !BLOCKS.has(element.tagName)) {
      run += inlineText(node);
      continue;
    }
    flush();
    const tag = element.tagName;
    if (tag === "P" || HEADINGS.has(tag)) {
      const text = tidy(inlineText(element));
      if (text) blocks.push(text);
    } else if (tag === "UL" || tag === "OL") {
      const start = Number(element.getAttribute("start") ?? "1") || 1;
      const items = Array.from(element.children).filter((child) => child.tagName === "LI");
      const lines = items.map((item, index) => {
        const marker = tag === "OL" ? `${start + index}. ` : "- ";
        const [firstLine = "", ...rest] = textBlocks(Array.from(item.childNodes)).join("\n").split("\n");
        return [marker + firstLine, ...rest.map((line) => `  ${line}`)].join("\n");
      });
      if (lines.length > 0) blocks.push(lines.join("\n"));
    } else if (tag === "PRE") {
      const text = (element.textContent ?? "").replace(/\s+$/, "");
      if (text) blocks.push(text);
    } else if (tag === "TABLE") {
      const rows = Array.from(element.querySelectorAll("tr")).map((row) =>
        Array.from(row.children)
          .map((cell) => tidy(inlineText(cell)).replace(/\n/g, " "))
          .join("\t"),
      );
      if (rows.length > 0) blocks.push(rows.join("\n"));
    } else if (tag !== "HR") {
      blocks.push(...textBlocks(Array.from(element.childNodes)));
    }
  }
  flush();
  return blocks;
}

/** Rendered content as plain text: paragraphs apart by a blank line, list items on their own lines. */
export function plainTextOf(element: Element): string {
  return textBlocks(Array.from(element.childNodes)).join("\n\n");
}

/**
 * What goes into the document (and onto the clipboard) for an answer: its content as the chat
 * rendered it (`rendered`; the markdown `text` when nothing is rendered), without a lead-in, then
 * "Sources" and one line per number it cites; with `asNotes`, no list (the host makes the notes).
 */
export function insertableAnswer(rendered: Element | null, markdown: string, references: readonly Reference[], { asNotes = false }: { asNotes?: boolean } = {}): InsertableAnswer {
  const content = contentOf(rendered, markdown);
  const text = plainTextOf(content);
  const cited = citedSources(text, references);
  const notes = cited.map((c) => ({ number: c.number, text: c.href && c.href !== c.label ? `${c.label} (${c.href})` : c.label }));
  if (cited.length === 0 || asNotes) return { html: content.innerHTML, text, notes };
  const htmlLines = cited.map((c) => {
    const label = escapeHtml(c.label);
    return `<p>[${c.number}] ${c.href ? `<a href="${escapeHtml(c.href)}">${label}</a>` : label}</p>`;
  });
  const textLines = notes.map((note) => `[${note.number}] ${note.text}`);
  // The list's heading, in the pane's language (Word's display language).
  const heading = t("chat.insertedSourcesHeading");
  return {
    html: `${content.innerHTML}<p><strong>${escapeHtml(heading)}</strong></p>${htmlLines.join("")}`,
    text: `${text}\n\n${heading}\n${textLines.join("\n")}`,
    notes,
  };
}
