// What one Word host (createWordHost) remembers between calls; the capability modules take it
// where they need it.

/**
 * Word reports selection moves Sidecar makes (goToHeading, the cursor after an insert) like the
 * person's own; DocumentSelectionChanged events this soon after such a move count as that move.
 */
export const PROGRAMMATIC_SELECTION_MS = 1000;

export interface WordHostState {
  /** Until when DocumentSelectionChanged events count as Sidecar's own move (see PROGRAMMATIC_SELECTION_MS). */
  programmaticUntil: number;
  /** Set once a Word failed to load Paragraph.outlineLevel but managed without it. */
  outlineLevelUnavailable: boolean;
}

export function newWordHostState(): WordHostState {
  return { programmaticUntil: 0, outlineLevelUnavailable: false };
}
