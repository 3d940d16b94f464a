// Inserting an answer: plain text (insertText) or sanitized HTML (insertFormatted) at the
// selection, its citations as footnotes or comments when asked (notes.ts), and, for a suggestion,
// with Track Changes on for the insert and then set back the way the writer had it.

import { t } from "../../i18n";
import { OfficeError, type InsertMode, type InsertOptions } from "../document-host";
import { errorCode, failWith, writeError } from "./errors";
import { wordApiSupported, wordGlobal } from "./globals";
import { citationsAsNotes, requireNotes } from "./notes";
import { selectAsOurMove } from "./selection";
import { type WordHostState } from "./state";

/** Plain text with any line ending as "\n"; Word turns each "\n" into a new paragraph. */
function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Suggestions (tracked changes set by an add-in) need WordApi 1.4. */
export function requireSuggestions(): void {
  if (!wordApiSupported("1.4")) throw new OfficeError("unsupported", t("office.suggestionsUnsupported"));
}

/**
 * Runs `insert` with Word recording changes when `suggest`, then puts the writer's own Track
 * Changes setting back, also when the insert failed (its error is the one reported).
 */
export async function asSuggestion(context: Word.RequestContext, suggest: boolean, insert: () => Promise<void>): Promise<void> {
  if (!suggest) return insert();
  const document = context.document;
  document.load("changeTrackingMode");
  await context.sync();
  const own = document.changeTrackingMode;
  const turnOn = own !== "TrackAll";
  if (turnOn) {
    document.changeTrackingMode = "TrackAll" as Word.ChangeTrackingMode;
    await context.sync();
  }
  let failure: { error: unknown } | null = null;
  try {
    await insert();
  } catch (error) {
    failure = { error };
  }
  if (turnOn) {
    try {
      document.changeTrackingMode = own;
      await context.sync();
    } catch (error) {
      // Only when the insert worked: otherwise its own error says what went wrong.
      if (!failure) throw new OfficeError("write_failed", t("office.trackingNotRestored"), { cause: error });
    }
  }
  if (failure) throw failure.error;
}

/**
 * insertHtml failing with one of these means this Word can't take that HTML (or has no insertHtml):
 * the plain text goes in instead. A TypeError is a Word whose Range has no insertHtml at all.
 */
const HTML_REFUSED_CODES = new Set(["ApiNotFound", "NotImplemented", "GeneralException"]);

function htmlRefused(error: unknown): boolean {
  return error instanceof TypeError || HTML_REFUSED_CODES.has(errorCode(error));
}

/** DocumentHost.insertText for Word. */
export async function insertText(state: WordHostState, text: string, mode: InsertMode, options: InsertOptions = {}): Promise<void> {
  if (options.suggest) requireSuggestions();
  if (options.notes) requireNotes(options.notes.as);
  const word = wordGlobal();
  const content = normalizeNewlines(text);
  await word
    .run((context) =>
      asSuggestion(context, options.suggest === true, async () => {
        const selection = context.document.getSelection();
        // "Replace" puts the text in place of the selection; "End" adds it just after the selection
        // (at the cursor when nothing is selected) and keeps the selected text.
        const inserted = selection.insertText(content, mode === "replace" ? "Replace" : "End");
        if (options.notes) await citationsAsNotes(context, inserted, options.notes.list, options.notes.as);
        // Leave the cursor after the inserted text so the next insert follows it.
        await selectAsOurMove(state, context, inserted, "End");
      }),
    )
    .catch(failWith("write_failed", t("office.insertTextFailed")));
}

/** DocumentHost.insertFormatted for Word. */
export async function insertFormatted(
  state: WordHostState,
  html: string,
  mode: InsertMode,
  plainText: string,
  options: InsertOptions = {},
): Promise<void> {
  if (options.suggest) requireSuggestions();
  if (options.notes) requireNotes(options.notes.as);
  let clean: string;
  try {
    // DOMPurify is loaded on the first insert, not with the pane.
    const { sanitizeFormattedHtml } = await import(/* webpackChunkName: "sanitize" */ "../html-sanitize");
    clean = sanitizeFormattedHtml(html);
  } catch {
    clean = ""; // no way to clean it: never hand Word unclean HTML
  }
  if (!clean) return insertText(state, plainText, mode, options);
  const word = wordGlobal();
  try {
    await word.run((context) =>
      asSuggestion(context, options.suggest === true, async () => {
        const selection = context.document.getSelection();
        // Same places as insertText: "Replace" in place of the selection, "End" just after it
        // (at the cursor when nothing is selected), keeping the selected text.
        const inserted = selection.insertHtml(clean, mode === "replace" ? "Replace" : "End");
        if (options.notes) await citationsAsNotes(context, inserted, options.notes.list, options.notes.as);
        // Leave the cursor after the inserted content so the next insert follows it.
        await selectAsOurMove(state, context, inserted, "End");
      }),
    );
  } catch (error) {
    if (error instanceof OfficeError) throw error;
    // A Word without insertHtml, or one that refuses this HTML: the answer still goes in, as text.
    if (htmlRefused(error)) return insertText(state, plainText, mode, options);
    throw writeError(error, t("office.insertFormattedFailed"));
  }
}
