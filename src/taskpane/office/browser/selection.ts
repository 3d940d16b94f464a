// The selection in the preview: the last one the person made there (kept so clicking a pane button
// doesn't lose it), the page's `selectionchange` while a preview is on screen, Sidecar's own moves,
// and the listeners that hear about them.

import { type SelectionChange } from "../document-host";
import { sameRange } from "./preview-dom";

/**
 * After Sidecar moves the selection itself (goToHeading, the caret after an insert), the page's
 * next `selectionchange` within this time is that move, not the person's. Later than that (a busy
 * page), it is still taken for that move when it selects the same text.
 */
const PROGRAMMATIC_SELECTION_MS = 500;

export class PreviewSelection {
  private readonly listeners = new Set<(change: SelectionChange) => void>();
  /** The last selection inside the preview, kept so clicking a pane button doesn't lose it. */
  private lastRange: Range | null = null;
  private listening = false;
  /** Sidecar's last move, until the page's next selectionchange: when it was made (see PROGRAMMATIC_SELECTION_MS) and what it selected. */
  private moved: { until: number; text: string } | null = null;

  /** `preview`: the element that shows the document now (null when none is on screen). */
  constructor(
    private readonly doc: Document,
    private readonly preview: () => HTMLElement | null,
  ) {}

  listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) this.doc.addEventListener("selectionchange", this.handleSelectionChange);
    else this.doc.removeEventListener("selectionchange", this.handleSelectionChange);
  }

  private readonly handleSelectionChange = (): void => {
    const element = this.preview();
    const selection = this.doc.getSelection();
    if (!element || !selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0).cloneRange();
    const startsIn = element.contains(range.startContainer);
    const endsIn = element.contains(range.endContainer);
    // Selections elsewhere (the pane's own inputs and buttons) leave the last preview selection alone.
    if (!startsIn && !endsIn) return;
    // A selection running out of the preview (a triple click on its last paragraph ends just after
    // the preview) is the preview's part of it.
    if (!endsIn) range.setEnd(element, element.childNodes.length);
    if (!startsIn) range.setStart(element, 0);
    const moved = this.moved;
    this.moved = null;
    // A caret (no text) is told by time alone: the person's next click is one too.
    const programmatic = moved !== null && (Date.now() < moved.until || (moved.text !== "" && range.toString() === moved.text));
    // Sidecar's own moves were announced when they were made; the page reports them (again) here.
    if (this.lastRange && sameRange(this.lastRange, range)) return;
    this.lastRange = range.cloneRange();
    this.emit(programmatic);
  };

  /** Forgets the last selection (the preview it was in is gone or replaced). */
  clear(): void {
    if (!this.lastRange) return;
    this.lastRange = null;
    this.emit(false);
  }

  private emit(programmatic: boolean): void {
    const change: SelectionChange = { programmatic };
    for (const listener of [...this.listeners]) listener(change);
  }

  /** Makes `range` the selection (in the page, and what the host remembers), as Sidecar's own move. */
  move(root: HTMLElement, range: Range): void {
    this.lastRange = range.cloneRange();
    if (root.isConnected) {
      this.moved = { until: Date.now() + PROGRAMMATIC_SELECTION_MS, text: range.toString() };
      const selection = this.doc.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    this.emit(true);
  }

  /** The last selection, if it is still inside `root`. */
  usableRange(root: HTMLElement): Range | null {
    const range = this.lastRange;
    if (!range || !root.isConnected) return null;
    return root.contains(range.startContainer) && root.contains(range.endContainer) ? range : null;
  }

  /** Adds a listener; returns the function that removes it. */
  onChanged(listener: (change: SelectionChange) => void): () => void {
    const wrapped = (change: SelectionChange) => listener(change);
    this.listeners.add(wrapped);
    return () => {
      this.listeners.delete(wrapped);
    };
  }

  /** Drops every listener (the host is not used afterwards). */
  removeListeners(): void {
    this.listeners.clear();
  }
}
