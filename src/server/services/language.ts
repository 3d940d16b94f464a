// A document's language and its stop words, from the stopwords-iso lists (58 languages, kept by
// the stopwords-iso project): tagging leaves out the detected language's common words, and
// retrieval the common words of Chinese, Japanese and Thai (words of those scripts are told apart
// by their characters, whatever the document's language).
//
// The language is told by the script where the script says it (Han with kana is Japanese, Han
// alone Chinese, Hangul Korean, …: src/shared/words.ts scriptLanguage); for a script several
// languages share (Latin, Cyrillic, Arabic, Devanagari) by which language's stop words the text
// uses most, English unless another language's clearly outnumber them.
import stopwordsIso from "stopwords-iso";
import { scriptLanguage, splitWords } from "../../shared/words";

const LISTS = stopwordsIso as Record<string, readonly string[]>;

/** Languages whose lists are (mostly) in each shared script; the text's letters say which script. */
const BY_SCRIPT: Array<{ script: RegExp; languages: string[] }> = [
  { script: /\p{sc=Latin}/u, languages: ["en", ...Object.keys(LISTS).filter((code) => code !== "en" && share(LISTS[code] ?? [], /^\p{sc=Latin}+$/u) > 0.8)] },
  { script: /\p{sc=Cyrillic}/u, languages: ["ru", "uk", "bg"] },
  { script: /\p{sc=Arabic}/u, languages: ["ar", "fa", "ur", "ku"] },
  { script: /\p{sc=Devanagari}/u, languages: ["hi", "mr"] },
];

function share(words: readonly string[], pattern: RegExp): number {
  return words.length === 0 ? 0 : words.filter((word) => pattern.test(word)).length / words.length;
}

/** Words looked at to tell a language by its stop words. */
const SAMPLE_WORDS = 3000;
/** Another language wins over English only with this many times English's stop words. */
const OVER_ENGLISH = 1.5;

const cache = new Map<string, ReadonlySet<string>>();

/** The stopwords-iso list of a language (ISO 639-1 code), lower case; empty for a language it lacks. */
export function stopwordsOf(language: string): ReadonlySet<string> {
  let set = cache.get(language);
  if (!set) {
    set = new Set((LISTS[language] ?? []).map((word) => word.toLowerCase()));
    cache.set(language, set);
  }
  return set;
}

/** The language of a text, as an ISO 639-1 code ("en", "de", "zh", "ja", …); "en" when nothing tells. */
export function detectLanguage(text: string): string {
  const byScript = scriptLanguage(text);
  if (byScript) return byScript;
  const words = splitWords(text.slice(0, SAMPLE_WORDS * 12)).slice(0, SAMPLE_WORDS);
  const letters = words.join("");
  const group = BY_SCRIPT.map((candidate) => ({ ...candidate, letters: letters.match(new RegExp(candidate.script.source, "gu"))?.length ?? 0 })).reduce((best, candidate) =>
    candidate.letters > best.letters ? candidate : best,
  );
  if (group.letters === 0) return "en";
  let best = { language: group.languages[0] as string, hits: -1 };
  for (const language of group.languages) {
    const stop = stopwordsOf(language);
    const hits = words.reduce((sum, word) => sum + (stop.has(word) ? 1 : 0), 0);
    if (hits > best.hits) best = { language, hits };
  }
  if (group.languages[0] === "en" && best.language !== "en") {
    const english = stopwordsOf("en");
    const englishHits = words.reduce((sum, word) => sum + (english.has(word) ? 1 : 0), 0);
    if (best.hits < OVER_ENGLISH * englishHits) return "en";
  }
  return best.language;
}

/** Common words of Chinese, Japanese and Thai (for words of those scripts, whatever the text's language). */
const UNSPACED_STOPWORDS: ReadonlySet<string> = new Set([...stopwordsOf("zh"), ...stopwordsOf("ja"), ...stopwordsOf("th")]);

/** True for a common Chinese, Japanese or Thai word ("的", "什么", "です"). */
export function isUnspacedStopword(word: string): boolean {
  return UNSPACED_STOPWORDS.has(word);
}
