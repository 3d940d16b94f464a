// The selection: reading its text, moving it as Sidecar's own move, and hearing about moves.

import { t } from "../../i18n";
import { type SelectionChange } from "../document-host";
import { failWith } from "./errors";
import { officeGlobal, wordGlobal } from "./globals";
import { PROGRAMMATIC_SELECTION_MS, type WordHostState } from "./state";

export function markProgrammaticMove(state: WordHostState): void {
  state.programmaticUntil = Date.now() + PROGRAMMATIC_SELECTION_MS;
}

/**
 * Selects `range` ("Select": all of it, which also scrolls Word to it; "End": the cursor after
 * it) and syncs, as Sidecar's own move: selection listeners hear `programmatic: true`.
 */
export async function selectAsOurMove(
  state: WordHostState,
  context: Word.RequestContext,
  range: Word.Range,
  how: "Select" | "End",
): Promise<void> {
  range.select(how);
  markProgrammaticMove(state);
  await context.sync();
  markProgrammaticMove(state);
}

export async function getSelectedText(): Promise<string> {
  const word = wordGlobal();
  return word
    .run(async (context) => {
      const selection = context.document.getSelection();
      selection.load("text");
      await context.sync();
      return selection.text ?? "";
    })
    .catch(failWith("read_failed", t("office.selectedTextFailed")));
}

export function onSelectionChanged(state: WordHostState, listener: (change: SelectionChange) => void): () => void {
  const office = officeGlobal();
  const eventType = office.EventType.DocumentSelectionChanged;
  const handler = () => listener({ programmatic: Date.now() < state.programmaticUntil });
  let active = true;
  office.context.document.addHandlerAsync(eventType, handler, () => undefined);
  return () => {
    if (!active) return;
    active = false;
    try {
      office.context.document.removeHandlerAsync(eventType, { handler }, () => undefined);
    } catch {
      // The pane is going away; Word drops its handlers with it.
    }
  };
}
