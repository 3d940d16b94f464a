// Citations as Word notes: the "[n]" marks in a range Sidecar just inserted become footnotes
// (WordApi 1.5: the mark gives way to Word's own footnote number, the footnote says which source)
// or comments on the mark (WordApi 1.4: the mark stays, the comment says which source).

import { t, type MessageId } from "../../i18n";
import { OfficeError, type CitationNoteKind, type SectionNote } from "../document-host";
import { wordApiSupported } from "./globals";

const REQUIRED: Record<CitationNoteKind, { set: string; words: MessageId }> = {
  footnotes: { set: "1.5", words: "office.footnotesUnsupported" },
  comments: { set: "1.4", words: "office.commentsUnsupported" },
};

/** Refuses, in words, notes this Word can't make (before anything is inserted). */
export function requireNotes(kind: CitationNoteKind): void {
  if (!wordApiSupported(REQUIRED[kind].set)) throw new OfficeError("unsupported", t(REQUIRED[kind].words));
}

/** Anything Word can search: a range or a content control. */
type Searchable = Pick<Word.Range, "search">;

/**
 * Turns the first "[n]" of each note inside `target` into a footnote or a comment saying the
 * note's text; marks without a note, and notes without a mark, are left alone. Two syncs.
 */
export async function citationsAsNotes(context: Word.RequestContext, target: Searchable, notes: readonly SectionNote[], kind: CitationNoteKind): Promise<void> {
  const wanted = notes.filter((note) => note.text.trim());
  if (wanted.length === 0) return;
  const found = wanted.map((note) => {
    const hits = target.search(`[${note.number}]`, { matchCase: true });
    hits.load("items");
    return { note, hits };
  });
  await context.sync();
  for (const { note, hits } of found) {
    const mark = hits.items[0];
    if (!mark) continue;
    if (kind === "comments") {
      mark.insertComment(note.text);
    } else {
      mark.insertFootnote(note.text);
      mark.insertText("", "Replace");
    }
  }
  await context.sync();
}
