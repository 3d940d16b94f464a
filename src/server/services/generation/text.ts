// Words for retrieval and composition: one tokenizer and term normalizer shared by the index, the
// queries and the sentence picker, so they agree on what a "word" is. Words are split by the
// shared splitter (src/shared/words.ts: Intl.Segmenter for Chinese, Japanese, Thai, …).
import { splitWords } from "../../../shared/words";
import { isUnspacedStopword } from "../language";

/** Common English words that say nothing about a topic. */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
  between both but by can could did do does doing done down during each either else etc few for from further
  had has have having he her here hers herself him himself his how however i if in into is it its itself
  just may me might more most must my myself no nor not now of off on once one only or other our ours
  ourselves out over own same shall she should so some such than that the their theirs them themselves then
  there these they this those through thus to too under until up upon us very was we were what when where
  which while who whom whose why will with within without would yet you your yours yourself yourselves`.split(/\s+/),
);

/**
 * Words of instructions ("Summarize the key findings…") that describe the writing task, not the
 * topic: left out of queries so they don't pull in passages that merely use them.
 */
const INSTRUCTION_WORDS = new Set(
  `add briefly brief cover covers describe described describes detail details discuss explain explains give
  given highlight include includes including list mention note outline present provide provides section
  sections short state states summarise summarize text write written`.split(/\s+/),
);

/**
 * True for a word that says nothing about a topic: a common English word ("the", "of", …), or a
 * common Chinese, Japanese or Thai one ("的", "什么", "です"; stopwords-iso); lower case in.
 */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word) || isUnspacedStopword(word);
}

/** Lower-cased word tokens (letters and digits; apostrophes dropped; Chinese, Japanese, … segmented), in order. */
export function tokenize(text: string): string[] {
  return splitWords(text.toLowerCase().replace(/['’]s\b/g, ""));
}

/** A term as indexed: lower case, no stopwords, no single characters. */
export function indexTerm(term: string): string | null {
  const lower = term.toLowerCase();
  if (lower.length < 2 || isStopword(lower)) return null;
  return lower;
}

/** A term as queried: as indexed, without the words of writing instructions. */
export function queryTerm(term: string): string | null {
  const indexed = indexTerm(term);
  return indexed && !INSTRUCTION_WORDS.has(indexed) ? indexed : null;
}

/** The distinct query terms of a text. */
export function queryTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const token of tokenize(text)) {
    const term = queryTerm(token);
    if (term) terms.add(term);
  }
  return terms;
}
