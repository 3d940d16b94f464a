// Passages: finding a cited passage in the document with Word's search, and selecting it.

import { t } from "../../i18n";
import { OfficeError } from "../document-host";
import { readError } from "./errors";
import { wordApiSupported, wordGlobal } from "./globals";
import { selectAsOurMove } from "./selection";
import { type WordHostState } from "./state";

/** Word's search takes at most 255 characters; a little is kept in hand. */
const MAX_SEARCH_CHARS = 250;

/**
 * What to search Word for to find a passage (as the server stores it: its paragraphs one per line,
 * white space collapsed): the first words of its first paragraph and, unless those are the whole
 * passage, the last words of its last one, each at most MAX_SEARCH_CHARS as Word gets it (Word's
 * search can't cross a paragraph mark and takes 255). A caret goes as "^^" (a lone "^" starts one
 * of Word's codes); with `anyWhiteSpace`, words are joined by "^w" (any run of spaces, tabs and
 * non-breaking spaces), for a document whose white space the server collapsed.
 */
export function passageNeedles(text: string, anyWhiteSpace = false): { start: string; end?: string } {
  const lines = text
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "");
  if (lines.length === 0) return { start: "" };
  const gap = anyWhiteSpace ? "^w" : " ";
  /** Words from the start of `words` (from its end with `fromEnd`) while they fit. */
  const take = (words: string[], fromEnd = false): { needle: string; whole: boolean } => {
    const taken: string[] = [];
    let length = 0;
    for (const word of fromEnd ? [...words].reverse() : words) {
      const escaped = word.replace(/\^/g, "^^");
      const added = (taken.length > 0 ? gap.length : 0) + escaped.length;
      if (length + added > MAX_SEARCH_CHARS) break;
      taken.push(escaped);
      length += added;
    }
    // One word longer than Word takes (a long link): its first characters, a caret never cut in two.
    if (taken.length === 0) {
      const word = (fromEnd ? words[words.length - 1] : words[0]) ?? "";
      return { needle: word.slice(0, MAX_SEARCH_CHARS / 2).replace(/\^/g, "^^"), whole: false };
    }
    if (fromEnd) taken.reverse();
    return { needle: taken.join(gap), whole: taken.length === words.length };
  };
  const first = take(lines[0]!.split(" "));
  if (first.whole && lines.length === 1) return { start: first.needle };
  return { start: first.needle, end: take(lines[lines.length - 1]!.split(" "), true).needle };
}

/** DocumentHost.selectPassage for Word. */
export async function selectPassage(state: WordHostState, text: string): Promise<boolean> {
  const asStored = passageNeedles(text);
  if (!asStored.start) return false;
  // Range.expandTo and getRange are WordApi 1.3.
  if (!wordApiSupported("1.3")) {
    throw new OfficeError("unsupported", t("office.selectPassageNeedsWord2016"));
  }
  const word = wordGlobal();
  try {
    return await word.run(async (context) => {
      const body = context.document.body;
      // As the server stored it and, in the same round trip, with any white space between the words.
      const tries = [asStored, passageNeedles(text, true)].map((needles) => {
        const starts = body.search(needles.start, { matchCase: true });
        starts.load("items");
        return { needles, starts };
      });
      await context.sync();
      const found = tries.find((attempt) => attempt.starts.items.length > 0);
      const first = found?.starts.items[0];
      if (!found || !first) return false;
      let passage: Word.Range = first;
      if (found.needles.end) {
        // Its last words, the first time they come after its first ones.
        const ends = first.getRange("Start").expandTo(body.getRange("End")).search(found.needles.end, { matchCase: true });
        ends.load("items");
        await context.sync();
        const last = ends.items[0];
        // Edited near its end since: from its start to the end of that paragraph.
        passage = last ? first.expandTo(last) : first.expandTo(first.paragraphs.getFirst().getRange("Content").getRange("End"));
      }
      // select() also scrolls Word to it.
      await selectAsOurMove(state, context, passage, "Select");
      return true;
    });
  } catch (error) {
    throw readError(error, t("office.selectPassageFailed"));
  }
}
