// Headings: telling heading paragraphs apart (built-in styles, outline levels, style names),
// goToHeading, and getSelectionContext's nearest heading before the selection. Titles are
// compared by heading-match.ts.

import { t } from "../../i18n";
import { OfficeError, type SelectionContext } from "../document-host";
import {
  cleanHeadingText,
  findHeading,
  headingCandidates,
  nearestHeading,
  normalizeHeadingTitle,
  type ParagraphInfo,
} from "../heading-match";
import { readError } from "./errors";
import { wordApiSupported, wordGlobal } from "./globals";
import { getSelectedText, selectAsOurMove } from "./selection";
import { type WordHostState } from "./state";

/** styleBuiltIn of the built-in heading styles (WordApi 1.3: locale-independent). */
const BUILT_IN_HEADING = /^Heading([1-9])$/;
/** Style names ("Heading 2", or a custom "Heading Appendix"): `style` is the localised name. */
const HEADING_STYLE_NAME = /^heading(?:\s*([1-9])$)?/i;

/** A paragraph's heading level (1–9), undefined for a heading whose level can't be told, null for body text. */
function headingLevel(paragraph: Word.Paragraph, outlineLevels: boolean): number | undefined | null {
  const builtIn = BUILT_IN_HEADING.exec(String(paragraph.styleBuiltIn ?? ""));
  if (builtIn) return Number(builtIn[1]);
  if (outlineLevels) {
    // Paragraph.outlineLevel (WordApi 1.1) follows Word's object model: 1–9, 10 for body text.
    const level = Number(paragraph.outlineLevel);
    if (Number.isInteger(level) && level >= 1 && level <= 9) return level;
  }
  const named = HEADING_STYLE_NAME.exec(String(paragraph.style ?? "").trim());
  if (!named) return null;
  return named[1] ? Number(named[1]) : undefined;
}

/**
 * Outline levels are 1-based in Word's object model; a 0 on any paragraph means this Word counts
 * differently (body text would then look like level 9), so they are not used at all.
 */
export function outlineLevelsUsable(items: Word.Paragraph[], withOutline: boolean): boolean {
  return withOutline && !items.some((paragraph) => paragraph.outlineLevel === 0);
}

/** Heading level and list numbering of `paragraph`, with its text when `text` says it was loaded. */
export function paragraphInfo(paragraph: Word.Paragraph, outlineLevels: boolean, text: boolean): ParagraphInfo {
  const level = headingLevel(paragraph, outlineLevels);
  return {
    level,
    text: text ? (paragraph.text ?? "") : undefined,
    ...(level !== null && paragraph.isListItem === true ? { numbered: true } : {}),
  };
}

/**
 * The properties that tell headings apart. styleBuiltIn and isListItem are WordApi 1.3; style,
 * text and outlineLevel are 1.1.
 */
export function headingProperties(withOutline: boolean, withText: boolean): string {
  return [
    ...(withText ? ["text"] : []),
    "style",
    "styleBuiltIn",
    ...(withOutline ? ["outlineLevel"] : []),
    "isListItem",
  ].join(",");
}

/** Body paragraphs this close between two headings are read, to see whether they are empty (then the headings may be one). */
const HEADING_GAP_PARAGRAPHS = 3;
/** A selection in a heading: this many paragraphs after its paragraph are read, to complete a heading broken over paragraphs. */
const HEADING_PARTS_AFTER = 8;

/** A failure of the sync that loads paragraph properties (so another try without outlineLevel may work). */
class ParagraphLoadError extends Error {
  constructor(readonly original: unknown) {
    super("Loading the paragraphs failed");
  }
}

export const asLoadError = (error: unknown): never => {
  throw new ParagraphLoadError(error);
};

export const unwrapLoadError = (error: unknown): unknown => (error instanceof ParagraphLoadError ? error.original : error);

/**
 * Runs `run` with Paragraph.outlineLevel among the loaded properties, and once more without it
 * when loading the paragraphs failed (a Word that lacks it); later calls then leave it out.
 */
export async function withHeadingProperties<T>(state: WordHostState, run: (withOutline: boolean) => Promise<T>): Promise<T> {
  if (state.outlineLevelUnavailable) return run(false).catch((error: unknown) => Promise.reject(unwrapLoadError(error)));
  try {
    return await run(true);
  } catch (error) {
    if (!(error instanceof ParagraphLoadError)) throw error;
    let result: T;
    try {
      result = await run(false);
    } catch {
      throw error.original;
    }
    state.outlineLevelUnavailable = true;
    return result;
  }
}

/** DocumentHost.getSelectionContext for Word. */
export async function getSelectionContext(state: WordHostState): Promise<SelectionContext> {
  const word = wordGlobal();
  // Body.getRange, Range.expandTo and ParagraphCollection.getFirst are WordApi 1.3.
  if (!wordApiSupported("1.3")) return { text: await getSelectedText() };
  try {
    return await withHeadingProperties(state, (withOutline) =>
      word.run(async (context): Promise<SelectionContext> => {
        const selection = context.document.getSelection();
        selection.load("text");
        const body = context.document.body;
        const selectionParagraph = selection.paragraphs.getFirst();
        // The paragraphs from the start of the body to the end of the selection's first
        // paragraph: only their styles come over, not their text…
        const upToSelection = body.getRange("Start").expandTo(selectionParagraph.getRange("End"));
        const before = upToSelection.paragraphs;
        before.load(headingProperties(withOutline, false));
        // …and the selection's first paragraph with the few after it, in full: when the
        // selection starts in a heading broken over paragraphs, its title goes on there.
        const fromSelection = selectionParagraph.getRange("Whole").expandTo(body.getRange("End"));
        const from = fromSelection.paragraphs;
        from.load({ select: headingProperties(withOutline, true), top: HEADING_PARTS_AFTER + 1 });
        await context.sync().catch(asLoadError);
        const text = selection.text ?? "";
        const items = before.items;
        const outlineLevels = outlineLevelsUsable(items, withOutline);
        const levels = items.map((paragraph) => headingLevel(paragraph, outlineLevels));
        const headingIndexes = levels.flatMap((level, index) => (level === null ? [] : [index]));
        if (headingIndexes.length === 0) return { text };

        // Then the text of every heading up to the selection (duplicates are counted), and of
        // the few paragraphs between two headings (empty ones don't separate a heading's parts).
        const read = new Set<number>(headingIndexes);
        headingIndexes.forEach((index, at) => {
          const previous = headingIndexes[at - 1];
          if (previous !== undefined && index - previous - 1 <= HEADING_GAP_PARAGRAPHS) {
            for (let gap = previous + 1; gap < index; gap++) read.add(gap);
          }
        });
        for (const index of read) items[index]?.load("text");
        await context.sync();

        const last = items.length - 1;
        const after: ParagraphInfo[] = [];
        if (levels[last] !== null) {
          for (const paragraph of from.items.slice(1)) {
            const info = paragraphInfo(paragraph, outlineLevels, true);
            if (info.level === null && cleanHeadingText(info.text ?? "")) break; // body text: the heading is over
            after.push(info);
          }
        }
        const infos = [...items.map((paragraph, index) => paragraphInfo(paragraph, outlineLevels, read.has(index))), ...after];
        const { candidates, indexes } = headingCandidates(infos);
        let anchor = -1;
        indexes.forEach((index, at) => {
          if (index <= last) anchor = at;
        });
        const nearest = nearestHeading(candidates, anchor);
        return nearest ? { text, headingTitle: nearest.title, headingOccurrence: nearest.occurrence } : { text };
      }),
    );
  } catch (error) {
    if (error instanceof OfficeError) throw error;
    // Outside the body (header, footer, footnote, text box) Word can't make a range from the
    // start of the body to the selection: the selected text alone still helps.
    return { text: await getSelectedText() };
  }
}

/** DocumentHost.goToHeading for Word. */
export async function goToHeading(state: WordHostState, title: string, occurrence = 1): Promise<boolean> {
  if (!normalizeHeadingTitle(title)) return false;
  if (!wordApiSupported("1.3")) {
    throw new OfficeError("unsupported", t("office.goToHeadingNeedsWord2016"));
  }
  const word = wordGlobal();
  try {
    return await withHeadingProperties(state, (withOutline) =>
      word.run(async (context) => {
        // One round trip for the text and style of every paragraph (a 300-page document has a
        // few thousand), then one to select the heading.
        const paragraphs = context.document.body.paragraphs;
        paragraphs.load(headingProperties(withOutline, true));
        await context.sync().catch(asLoadError);
        const items = paragraphs.items;
        const outlineLevels = outlineLevelsUsable(items, withOutline);
        const { candidates, indexes } = headingCandidates(items.map((paragraph) => paragraphInfo(paragraph, outlineLevels, true)));
        const match = findHeading(candidates, title, occurrence);
        const first = match ? items[indexes[match.first]!] : undefined;
        const last = match ? items[indexes[match.last]!] : undefined;
        if (!first || !last) return false;
        // The heading's text without its paragraph mark ("Content"); a split heading from the
        // start of its first paragraph to the end of its last. select() also scrolls Word to it.
        const heading = first === last ? first.getRange("Content") : first.getRange("Start").expandTo(last.getRange("End"));
        await selectAsOurMove(state, context, heading, "Select");
        return true;
      }),
    );
  } catch (error) {
    throw readError(unwrapLoadError(error), t("office.goToHeadingFailed"));
  }
}
