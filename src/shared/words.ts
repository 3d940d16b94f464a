// Words of a text, in any language: the one word splitter behind tagging, passage search and
// selection matching, in the server and the pane (pure, no dependencies).
//
//   - In scripts that put spaces between words (Latin, Cyrillic, Greek, Hangul, Arabic, …) a word
//     is a run of letters and digits, as it always was here: "Health-policy reports" → health,
//     policy, reports. Kept as a regular expression: the same words as before (stored terms, the
//     search index and the tests stay valid), and many times faster than a segmenter.
//   - A run in a script written without spaces — Chinese (Han), Japanese (Han, Hiragana,
//     Katakana), Thai, Lao, Khmer, Myanmar — is cut into words by Intl.Segmenter (ICU's word
//     dictionaries): "且等号成立的充分且必要条件是" → 且 等 号 成立 的 充分 且 必要 条件 是, where the
//     regular expression saw one fourteen-character "word".
//
// Each run of letters is segmented on its own: V8's segmenter slows down more than linearly on a
// long string (a 130,000-character text took over a minute), while runs — text between spaces
// and punctuation — are short; a run longer than MAX_SEGMENTED_CHARS is segmented in pieces.

/** A character of a script written without spaces between words (ー and 々 are Japanese too). */
const UNSPACED_CHAR = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\u30fc\u3005\u3006]/u;
const KANA = /[\p{sc=Hiragana}\p{sc=Katakana}\u30fc]/u;
const HAN = /\p{sc=Han}/u;
/** Chinese and Japanese characters (each one a token of the search index, see searchText). */
const CJ_CHARS = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc\u3005\u3006]/gu;
/** A run of letters (with their combining marks, which Thai and others need) and digits. */
const RUN = /[\p{L}\p{M}\p{N}]+/gu;
/** A word as before: letters and digits (marks split it, as they always did). */
const PLAIN_WORD = /[\p{L}\p{N}]+/gu;
const TWO_LETTERS = /\p{L}{2,}/gu;
const MAX_SEGMENTED_CHARS = 1000;

export interface WordSpan {
  /** The word, lower case. */
  word: string;
  /** Where it starts in the text (UTF-16 offset). */
  offset: number;
}

/** True when the text has a character of a script written without spaces (Chinese, Japanese, Thai, …). */
export function hasUnspacedScript(text: string): boolean {
  return UNSPACED_CHAR.test(text);
}

/** The segmenter's language for a run of an unspaced script: Japanese when it has kana, else by script. */
export function segmenterLocale(run: string): string {
  if (KANA.test(run)) return "ja";
  if (HAN.test(run)) return "zh";
  if (/\p{sc=Thai}/u.test(run)) return "th";
  if (/\p{sc=Lao}/u.test(run)) return "lo";
  if (/\p{sc=Khmer}/u.test(run)) return "km";
  if (/\p{sc=Myanmar}/u.test(run)) return "my";
  return "und";
}

const segmenters = new Map<string, Intl.Segmenter>();
function segmenterFor(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: "word" });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/**
 * The word-like pieces of one run of letters and digits that holds an unspaced script, with their
 * offsets in the run. A piece in a spaced script ("Word" in "Word文書") is split as before.
 */
function segmentRun(run: string, visit: (piece: string, offset: number) => void): void {
  const segmenter = segmenterFor(segmenterLocale(run));
  for (let start = 0; start < run.length; start += MAX_SEGMENTED_CHARS) {
    const chunk = run.slice(start, start + MAX_SEGMENTED_CHARS);
    for (const segment of segmenter.segment(chunk)) {
      if (!segment.isWordLike) continue;
      if (UNSPACED_CHAR.test(segment.segment)) {
        visit(segment.segment, start + segment.index);
      } else {
        for (const match of segment.segment.matchAll(PLAIN_WORD)) visit(match[0], start + segment.index + match.index);
      }
    }
  }
}

/** Each word of the text (as it is written) and where it starts, in order. */
function eachWord(text: string, visit: (word: string, offset: number) => void): void {
  if (!UNSPACED_CHAR.test(text)) {
    for (const match of text.matchAll(PLAIN_WORD)) visit(match[0], match.index);
    return;
  }
  for (const run of text.matchAll(RUN)) {
    const at = run.index;
    if (UNSPACED_CHAR.test(run[0])) segmentRun(run[0], (word, offset) => visit(word, at + offset));
    else for (const match of run[0].matchAll(PLAIN_WORD)) visit(match[0], at + match.index);
  }
}

/** The words of a text, lower case, with where each starts in it. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  eachWord(text, (word, offset) => spans.push({ word: word.toLowerCase(), offset }));
  return spans;
}

/** The words of a text, lower case, in order: "且等号成立的" → 且, 等, 号, 成立, 的; "Health-policy" → health, policy. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  eachWord(text.toLowerCase(), (word) => words.push(word));
  return words;
}

/**
 * How many words a text has, for "is this a sentence / a passage" tests: in spaced scripts the
 * runs of two or more letters (as counted before), in unspaced ones every word ("的" too).
 */
export function countWords(text: string): number {
  if (!UNSPACED_CHAR.test(text)) return text.match(TWO_LETTERS)?.length ?? 0;
  let count = 0;
  eachWord(text, (word) => {
    if (UNSPACED_CHAR.test(word)) count++;
    else count += word.match(TWO_LETTERS)?.length ?? 0;
  });
  return count;
}

/** A word of a script written without spaces (its characters don't tell where words end). */
export function isUnspacedWord(word: string): boolean {
  return UNSPACED_CHAR.test(word);
}

/** A word of Japanese kana only ("です", "ある", "こと"): grammar, not a topic. */
export function isKanaOnly(word: string): boolean {
  return /^[\p{sc=Hiragana}\u30fc]+$/u.test(word);
}

/** Joins two neighbouring words as written: no space between words of unspaced scripts ("必要" + "条件" → "必要条件"). */
export function joinWords(first: string, second: string): string {
  return UNSPACED_CHAR.test(first.slice(-1)) && UNSPACED_CHAR.test(second.slice(0, 1)) ? `${first}${second}` : `${first} ${second}`;
}

/**
 * The language a text's script says it is in, for scripts that tell: "ja" (kana, or Han with kana),
 * "zh" (Han without kana), "ko", "th", "lo", "km", "my", "el", "he", "hy", "ka"; null for the others
 * (Latin, Cyrillic, Arabic, Devanagari: several languages share them). Decided by the letters of
 * the script used most (in the first 20,000 characters).
 */
export function scriptLanguage(text: string): string | null {
  const sample = text.slice(0, 20_000);
  const count = (pattern: RegExp) => sample.match(pattern)?.length ?? 0;
  const latinLike = count(/[\p{sc=Latin}\p{sc=Cyrillic}\p{sc=Arabic}\p{sc=Devanagari}]/gu);
  const kana = count(/[\p{sc=Hiragana}\p{sc=Katakana}]/gu);
  const han = count(/\p{sc=Han}/gu);
  const others: Array<[string, number]> = [
    ["ko", count(/\p{sc=Hangul}/gu)],
    ["th", count(/\p{sc=Thai}/gu)],
    ["lo", count(/\p{sc=Lao}/gu)],
    ["km", count(/\p{sc=Khmer}/gu)],
    ["my", count(/\p{sc=Myanmar}/gu)],
    ["el", count(/\p{sc=Greek}/gu)],
    ["he", count(/\p{sc=Hebrew}/gu)],
    ["hy", count(/\p{sc=Armenian}/gu)],
    ["ka", count(/\p{sc=Georgian}/gu)],
  ];
  // Chinese and Japanese characters say more per character than letters do: one counts as two.
  const candidates: Array<[string | null, number]> = [[null, latinLike], [kana > 0 && kana * 20 >= han ? "ja" : "zh", 2 * (kana + han)], ...others];
  const [language, letters] = candidates.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best));
  return letters > 0 ? language : null;
}

/**
 * The text as the search index reads it (storage/passage-store.ts): every Chinese and Japanese
 * character a token of its own, and words of other unspaced scripts (Thai, …) set apart by spaces.
 * Phrases of characters (searchPhrase) then find a word wherever it is written, whatever words a
 * segmenter would have cut the text into. Text without such characters is returned unchanged.
 */
export function searchText(text: string): string {
  if (!UNSPACED_CHAR.test(text)) return text;
  const spaced = text.replace(CJ_CHARS, " $& ");
  if (!UNSPACED_CHAR.test(spaced.replace(CJ_CHARS, ""))) return spaced;
  return spaced.replace(RUN, (run) => {
    if (!UNSPACED_CHAR.test(run)) return run;
    const words: string[] = [];
    segmentRun(run, (word) => words.push(word));
    return ` ${words.join(" ")} `;
  });
}

/** A word or words as a phrase of the search index's tokens: "必要" → "必 要" (quote it in an FTS5 query). */
export function searchPhrase(term: string): string {
  return searchText(term).trim().split(/\s+/).join(" ");
}
