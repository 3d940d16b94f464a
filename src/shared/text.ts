// Small text helpers the pane and the server share (no dependencies, so the pane can import them).

/** White space collapsed to single spaces, trimmed. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Cut at a word boundary to at most `max` characters, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  const clean = squeeze(text);
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, "")}…`;
}

/**
 * A squeezed text split into sentences: a sentence ends at . ! ? (and closing quotes or brackets)
 * followed by a space and a capital or digit ("press@ehfg.org" and "e.g. this" stay whole), or
 * at a Chinese or Japanese 。！？ (and closing brackets), with or without a space after it.
 */
export function splitSentences(squeezed: string): string[] {
  return squeezed
    .split(/(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘([]?[\p{Lu}\p{N}])|(?<=[。！？][」』）】〉》"'”’)\]]*)(?![」』）】〉》"'”’)\]。！？])\s*(?=\S)/u)
    .filter((sentence) => sentence !== "");
}

/** Text safe inside HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}
