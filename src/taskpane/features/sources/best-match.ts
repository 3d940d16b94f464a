// Which of a section's sources a short selection came from. The server (ours or Artos) answers a
// selection with its section's sources; when the person selected a sentence or less, the pane
// ranks those passages against it (BM25 with prefix and small-typo matching, from MiniSearch, the
// library the local server ranks passages with) so the passage it came from comes first.
import MiniSearch from "minisearch";
import { splitSentences, squeeze } from "../../../shared/text";
import { countWords, isUnspacedWord, splitWords } from "../../../shared/words";

/** Longer than this, a selection is about its section rather than one passage. */
const MAX_SENTENCE_CHARS = 400;
/** Passages scoring at least this share of the best score count as best matches too. */
const CLOSE_SCORE = 0.75;

const STOPWORDS = new Set(
  `a an and are as at be been but by for from had has have he her his i if in into is it its of on or our she so such than that
  the their them then there these they this those to was we were which while who will with would you your not no also more`.split(/\s+/),
);

/** A piece between sentence ends needs this many words to count as a sentence of its own. */
const MIN_SENTENCE_WORDS = 3;

/**
 * One sentence or less (a fragment, a phrase, a sentence), not a paragraph or several sentences.
 * A full stop before a capital ends a sentence only when what it ends has a few words: "Dr.",
 * "J. R." and "e.g." are abbreviations, not sentences.
 */
export function isSentenceOrLess(text: string): boolean {
  const clean = squeeze(text);
  if (clean === "" || clean.length > MAX_SENTENCE_CHARS) return false;
  const sentences = splitSentences(clean).filter((part) => countWords(part) >= MIN_SENTENCE_WORDS);
  return sentences.length <= 1;
}

/**
 * The positions of the passages that best match the selection (best first), and of the others in
 * their original order; undefined when there is nothing to tell apart (fewer than two passages,
 * or no passage shares a word with the selection).
 */
export function bestMatches(passages: readonly string[], selection: string): { best: number[]; rest: number[] } | undefined {
  if (passages.length < 2) return undefined;
  const index = new MiniSearch<{ id: number; text: string }>({
    fields: ["text"],
    // Words as the server splits them: Chinese and Japanese too (Intl.Segmenter), not whole clauses.
    tokenize: splitWords,
    processTerm: (term) => {
      const lower = term.toLowerCase();
      return (lower.length < 2 && !isUnspacedWord(lower)) || STOPWORDS.has(lower) ? null : lower;
    },
    searchOptions: { prefix: true, fuzzy: 0.2, combineWith: "OR" },
  });
  index.addAll(passages.map((text, id) => ({ id, text })));
  const results = index.search(selection);
  const top = results[0]?.score;
  if (top === undefined || top <= 0) return undefined;
  const best = results.filter((result) => result.score >= top * CLOSE_SCORE).map((result) => result.id as number);
  if (best.length === passages.length) return undefined; // all alike: no passage stands out
  return { best, rest: passages.map((_, position) => position).filter((position) => !best.includes(position)) };
}
