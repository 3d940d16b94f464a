// Suggestions in the preview: what Word shows as tracked changes. An insert made as a suggestion
// marks its blocks with data-sidecar-suggestion (shown underlined); text it replaces is kept in a
// <del> with the same mark (shown struck through). Accepting drops the deleted text and the marks;
// rejecting drops the inserted blocks and puts the deleted text back.

import { shorten } from "../../../shared/text";

export const SUGGESTION = "data-sidecar-suggestion";

export interface PreviewSuggestion {
  id: string;
  /** What it inserts, shortened (for the list of suggestions). */
  inserted: string;
  /** What it deletes, shortened ("" when it only inserts). */
  deleted: string;
}

let counter = 0;

/** A new suggestion's id (unique in this page). */
export function newSuggestionId(): string {
  counter += 1;
  return `s${Date.now().toString(36)}${counter}`;
}

/** Marks inserted blocks as the suggestion `id`. */
export function markInserted(blocks: readonly HTMLElement[], id: string): void {
  for (const block of blocks) block.setAttribute(SUGGESTION, id);
}

/**
 * Keeps what `range` covers as deleted text of the suggestion `id` (a <del> where it was), and
 * leaves `range` collapsed just after it. Nothing happens for a collapsed range.
 */
export function keepAsDeleted(doc: Document, range: Range, id: string): void {
  if (range.collapsed) return;
  const removed = range.extractContents();
  const del = doc.createElement("del");
  del.setAttribute(SUGGESTION, id);
  del.append(removed);
  range.insertNode(del);
  range.setStartAfter(del);
  range.collapse(true);
}

/** How much of a suggestion's text the list shows. */
const SHOWN_CHARS = 80;

/** The preview's suggestions, in document order. */
export function suggestionsIn(root: HTMLElement): PreviewSuggestion[] {
  const byId = new Map<string, { inserted: string[]; deleted: string[] }>();
  for (const element of Array.from(root.querySelectorAll<HTMLElement>(`[${SUGGESTION}]`))) {
    const id = element.getAttribute(SUGGESTION)!;
    const entry = byId.get(id) ?? { inserted: [], deleted: [] };
    byId.set(id, entry);
    (element.tagName === "DEL" ? entry.deleted : entry.inserted).push(element.textContent ?? "");
  }
  return [...byId].map(([id, entry]) => ({ id, inserted: shorten(entry.inserted.join(" "), SHOWN_CHARS), deleted: shorten(entry.deleted.join(" "), SHOWN_CHARS) }));
}

/** Accepts or rejects the suggestion `id`; false when the preview has none of that id. */
export function resolveSuggestion(root: HTMLElement, id: string, accept: boolean): boolean {
  const elements = Array.from(root.querySelectorAll<HTMLElement>(`[${SUGGESTION}]`)).filter((element) => element.getAttribute(SUGGESTION) === id);
  if (elements.length === 0) return false;
  const parents = new Set<Node>();
  for (const element of elements) {
    if (element.parentNode) parents.add(element.parentNode);
    const deleted = element.tagName === "DEL";
    if (deleted === accept) element.remove(); // accept: the deleted text goes; reject: the inserted blocks go
    else if (deleted) element.replaceWith(...Array.from(element.childNodes)); // rejected: the text comes back
    else element.removeAttribute(SUGGESTION); // accepted: ordinary content now
  }
  // Text split where the change was joins up again, as if the suggestion had never been made.
  for (const parent of parents) parent.normalize();
  return true;
}
