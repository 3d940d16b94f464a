// Extract: a document's paragraphs cut into passages for retrieval. A passage is one paragraph,
// or a few consecutive short paragraphs under the same heading (up to about 700 characters); a
// very long paragraph is cut at sentence ends. Each passage remembers the heading above it and
// which paragraphs it came from. Headings themselves are not passages; pieces with almost no
// words (stray numbers, table cells of symbols) are left out.
import { cleanText } from "../../docx/headings";
import type { DocxParagraph } from "../../docx/paragraphs";
import type { NewPassage } from "../../storage/passage-store";
import { countWords } from "../../../shared/words";

/** Paragraphs are joined while the passage stays within this many characters. */
export const PASSAGE_TARGET_CHARS = 700;
/** A paragraph longer than this is cut into pieces at sentence ends. */
const LONG_PARAGRAPH_CHARS = 1400;
/**
 * A passage needs at least this many words (of two or more letters; in Chinese, Japanese, … any
 * word, as the shared splitter cuts them: a Chinese sentence has no spaces to count by).
 */
const MIN_WORDS = 3;

/** Sentence pieces of a long text, each at most about `max` characters (a sentence ends at . ! ? or 。！？). */
function cutAtSentences(text: string, max: number): string[] {
  const sentences = text.match(/[^.!?。！？]+(?:[.!?。！？]+["'”’)\]」』）]*\s*|$)/g) ?? [text];
  const pieces: string[] = [];
  let current = "";
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > max) {
      pieces.push(current.trim());
      current = "";
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

export function splitIntoPassages(paragraphs: readonly DocxParagraph[]): NewPassage[] {
  const passages: NewPassage[] = [];
  let heading: string | null = null;
  // The passage being built: its paragraphs' texts and the first/last paragraph index.
  let texts: string[] = [];
  let first = 0;
  let last = 0;

  const flush = () => {
    const text = texts.join("\n");
    if (texts.length > 0 && countWords(text) >= MIN_WORDS) {
      passages.push({ heading, text, firstParagraph: first, lastParagraph: last });
    }
    texts = [];
  };
  const add = (text: string, index: number) => {
    if (texts.length === 0) first = index;
    texts.push(text);
    last = index;
  };
  const length = () => texts.reduce((sum, text) => sum + text.length + 1, -1);

  paragraphs.forEach((paragraph, index) => {
    const text = cleanText(paragraph.text);
    if (!text) return;
    if (paragraph.outlineLevel !== null) {
      // Any heading (all levels) closes the passage before it and labels the ones after it.
      flush();
      heading = text;
      return;
    }
    if (text.length > LONG_PARAGRAPH_CHARS) {
      flush();
      for (const piece of cutAtSentences(text, PASSAGE_TARGET_CHARS)) {
        add(piece, index);
        flush();
      }
      return;
    }
    if (texts.length > 0 && length() + 1 + text.length > PASSAGE_TARGET_CHARS) flush();
    add(text, index);
    if (text.length >= PASSAGE_TARGET_CHARS) flush();
  });
  flush();
  return passages;
}
