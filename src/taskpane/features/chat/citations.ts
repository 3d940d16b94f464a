// How answers cite: `[n]` in the text (not a markdown link `[n](url)` or definition `[n]:`)
// matches the reference numbered n; a reference may carry a web address to open.

/** A citation marker `[n]`, n in group 1 (global: use with matchAll or replace). */
export const CITATION_MARKER = /\[(\d+)\](?![:(])/g;

/** True for an http(s) address, the only kind of reference url the pane opens. */
export function isWebAddress(url: string | undefined): url is string {
  return !!url && /^https?:\/\//i.test(url);
}
