// The one place the office layer cleans HTML before it reaches a document: the browser tab's
// preview of a picked .docx, and the rich answers insertFormatted puts into Word or the preview.

import DOMPurify, { type Config } from "dompurify";

/**
 * The elements insertFormatted keeps: what Word's insertHtml turns into Word formatting (headings,
 * paragraphs, bold/italic, lists, tables, code, links, quotes), plus the few that hold those
 * together (br, hr, thead/tbody, del for ~~strikethrough~~). Anything else is unwrapped: its text
 * stays, the element goes; script/style and the like go with their content.
 */
export const FORMATTED_HTML_TAGS: readonly string[] = Object.freeze([
  "h1", "h2", "h3", "h4", "h5", "h6",
  "p", "br", "hr", "blockquote", "pre", "code",
  "strong", "b", "em", "i", "del",
  "ul", "ol", "li",
  "table", "thead", "tbody", "tr", "th", "td",
  "a",
]);

/** The attributes insertFormatted keeps: a link's target, a list's start, a cell's span. No style, class, id or on*. */
export const FORMATTED_HTML_ATTRIBUTES: readonly string[] = Object.freeze(["href", "start", "colspan", "rowspan"]);

/** Links that survive: http(s) and mailto only (relative, javascript:, data:, file: ... are dropped). */
export const SAFE_LINK = /^(?:https?|mailto):/i;

const FORMATTED_CONFIG: Config = {
  ALLOWED_TAGS: [...FORMATTED_HTML_TAGS],
  ALLOWED_ATTR: [...FORMATTED_HTML_ATTRIBUTES],
  ALLOWED_URI_REGEXP: SAFE_LINK,
  // DOMPurify checks every attribute value not marked URI-safe against ALLOWED_URI_REGEXP: the
  // numbers of start/colspan/rowspan are no links, so they are exempt (only href is a link here).
  ADD_URI_SAFE_ATTR: FORMATTED_HTML_ATTRIBUTES.filter((name) => name !== "href"),
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Belt and braces: never these, whatever the lists above say.
  FORBID_ATTR: ["style", "class", "id", "srcset", "src"],
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
};

function purifier(): typeof DOMPurify {
  if (!DOMPurify.isSupported || typeof DOMPurify.sanitize !== "function") {
    // Only without a DOM (never in Word or a browser): refuse rather than pass HTML on unclean.
    throw new Error("HTML can't be sanitized here (no DOM).");
  }
  return DOMPurify;
}

/**
 * An agent's answer (HTML rendered from markdown by the pane) cut down to FORMATTED_HTML_TAGS with
 * FORMATTED_HTML_ATTRIBUTES and SAFE_LINK links, white space around it trimmed. Throws only where
 * there is no DOM to sanitize with.
 */
export function sanitizeFormattedHtml(html: string): string {
  return String(purifier().sanitize(String(html ?? ""), FORMATTED_CONFIG)).trim();
}

/** A picked document's preview HTML (mammoth's output): DOMPurify's defaults, pictures included. */
export function sanitizePreviewHtml(html: string): string {
  return String(purifier().sanitize(html));
}
