// Tags without a model: the keywords that set a document apart from the other documents of its
// organization — TF-IDF with the organization's documents as the corpus.
//
//   - Words are split by the shared splitter (src/shared/words.ts): Chinese, Japanese, Thai, …
//     are cut into words by Intl.Segmenter, so a Chinese clause is not one "word".
//   - Stop words are those of the document's language (stopwords-iso, language.ts; English keeps
//     the retrieval list below), plus a few English words that make poor tags.
//   - Terms are single words (3+ characters, at least one letter; in Chinese and Japanese 2+
//     characters, not kana alone) and two-word phrases (two such words side by side within a
//     sentence, neither a stop word; "必要" + "条件" is shown "必要条件") that occur at least twice.
//   - Plural and singular count as one term ("policy", "policies"); a tag is shown in the form
//     the document uses most.
//   - score = (1 + ln count) × (ln((1 + N) / (1 + df)) + 1), phrases × 1.5; ties broken by the
//     term itself, so the same text and corpus always give the same tags.
//   - A word already inside a chosen phrase is only used when nothing else is left.
//   - Exclusion words (case-insensitive, singular or plural) remove every term containing them.
//
// Hand-written on purpose: the tokenizer is the retrieval one (generation/text.ts), so "a word"
// means the same thing in chat, generation and tagging.
import { isKanaOnly, isUnspacedWord, joinWords } from "../../../shared/words";
import { isStopword, tokenize } from "../generation/text";
import { detectLanguage, stopwordsOf } from "../language";

/** Words that are not stop words for retrieval but say nothing as a tag. */
const POOR_TAG_WORDS = new Set(
  `able across actually almost already although always among another anyone anything around away back became become
  becomes began being best better came cannot certain certainly come comes could did does done dont due during
  each early either else enough especially even ever every example far following found four further get gets
  first getting give given gives go goes going good got great however including instead into its just keep know large
  last later least less let like likely long made mainly make makes making many mostly much need needs never new
  next often old others otherwise overall part particular per perhaps possible probably put quite rather really
  right said say says second see seen seem seems several shall show showed shown shows since small something
  sometimes soon still take taken takes three thing things think third though today together took toward towards
  two upon use used uses using usually various via want way ways well went whether whole will without yes`.split(/\s+/),
);

export interface TermStats {
  /** Folded term ("policy", "health policy") → occurrences and the surface forms seen. */
  terms: Map<string, { count: number; words: 1 | 2; forms: Map<string, number> }>;
}

/** Plural and singular as one key: policies → policy, reports → report (not "analysis", "status"). */
export function foldWord(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !/(ss|us|is|ics)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** A stop word of a text in `language`: English's retrieval list (and Chinese, Japanese, Thai) plus that language's list. */
function stopwordTest(language: string): (word: string) => boolean {
  if (language === "en") return isStopword;
  const own = stopwordsOf(language);
  return (word) => isStopword(word) || own.has(word);
}

function isTagWord(word: string, isStop: (word: string) => boolean): boolean {
  if (!/\p{L}/u.test(word) || isStop(word) || POOR_TAG_WORDS.has(word)) return false;
  // Chinese and Japanese words are short: two characters make a word ("条件"), one does not (的, 等).
  if (isUnspacedWord(word)) return [...word].length >= 2 && !isKanaOnly(word);
  return word.length >= 3;
}

/** Sentence-like pieces: a phrase never spans punctuation (Western or Chinese and Japanese) or a line break. */
function pieces(text: string): string[] {
  return text.split(/[\n\r.,;:!?()[\]{}"“”‘’|/\\\t•·–—，。、；：！？（）「」『』【】《》〈〉［］｛｝・]+/u);
}

export function termStats(text: string): TermStats {
  const terms: TermStats["terms"] = new Map();
  const add = (key: string, form: string, words: 1 | 2) => {
    let entry = terms.get(key);
    if (!entry) {
      entry = { count: 0, words, forms: new Map() };
      terms.set(key, entry);
    }
    entry.count++;
    entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
  };
  const isStop = stopwordTest(detectLanguage(text));
  for (const piece of pieces(text)) {
    const tokens = tokenize(piece);
    tokens.forEach((token, i) => {
      if (!isTagWord(token, isStop)) return;
      add(foldWord(token), token, 1);
      const next = tokens[i + 1];
      if (next !== undefined && isTagWord(next, isStop)) add(`${foldWord(token)} ${foldWord(next)}`, joinWords(token, next), 2);
    });
  }
  return { terms };
}

/** Exclusion entries as folded word lists ("Health Forum" → ["health", "forum"]). */
export function exclusionMatcher(exclusionWords: readonly string[]): (tag: string) => boolean {
  const entries = exclusionWords
    .map((entry) => tokenize(entry).map(foldWord))
    .filter((words) => words.length > 0);
  return (tag: string) => {
    const words = tokenize(tag).map(foldWord);
    return entries.some((entry) => {
      for (let start = 0; start + entry.length <= words.length; start++) {
        if (entry.every((word, k) => words[start + k] === word)) return true;
      }
      return false;
    });
  };
}

export interface Corpus {
  /** Documents in the corpus (the organization's readable documents). */
  documents: number;
  /** Folded term → how many documents contain it. */
  documentFrequency: ReadonlyMap<string, number>;
}

/** The text tagging reads from a document's passages: each heading once, then its passages, in order. */
export function textOfPassages(passages: Iterable<{ heading: string | null; text: string }>): string {
  const lines: string[] = [];
  let heading: string | null = null;
  for (const passage of passages) {
    if (passage.heading && passage.heading !== heading) lines.push(passage.heading);
    heading = passage.heading;
    lines.push(passage.text);
  }
  return lines.join("\n");
}

/** The distinct terms of a text as the corpus counts them (one per document, whatever how often). */
export function corpusTerms(text: string): string[] {
  return [...termStats(text).terms.keys()];
}

export function buildCorpus(texts: Iterable<string>): Corpus {
  const documentFrequency = new Map<string, number>();
  let documents = 0;
  for (const text of texts) {
    documents++;
    for (const key of termStats(text).terms.keys()) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
  }
  return { documents, documentFrequency };
}

function mostUsedForm(forms: Map<string, number>): string {
  return [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "";
}

const PHRASE_BOOST = 1.5;

/**
 * Up to `count` tags for `text` (lower case, distinct, none containing an excluded word), most
 * distinguishing first. The document itself should be part of `corpus`.
 */
export function keywordTags(text: string, corpus: Corpus, options: { count: number; exclusionWords: readonly string[] }): string[] {
  const excluded = exclusionMatcher(options.exclusionWords);
  const n = Math.max(corpus.documents, 1);
  const scored = [...termStats(text).terms.entries()]
    .filter(([, term]) => term.words === 1 || term.count >= 2)
    .map(([key, term]) => {
      const df = Math.min(corpus.documentFrequency.get(key) ?? 1, n);
      const idf = Math.log((1 + n) / (1 + df)) + 1;
      const score = (1 + Math.log(term.count)) * idf * (term.words === 2 ? PHRASE_BOOST : 1);
      return { key, tag: mostUsedForm(term.forms), words: term.words, score };
    })
    .filter((candidate) => !excluded(candidate.tag))
    .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const picked: typeof scored = [];
  const deferred: typeof scored = [];
  const inPhrases = new Set<string>();
  for (const candidate of scored) {
    if (picked.length >= options.count) break;
    if (candidate.words === 1 && inPhrases.has(candidate.key)) {
      deferred.push(candidate);
      continue;
    }
    picked.push(candidate);
    if (candidate.words === 2) for (const word of candidate.key.split(" ")) inPhrases.add(word);
  }
  for (const candidate of deferred) {
    if (picked.length >= options.count) break;
    picked.push(candidate);
  }
  // Distinct as shown, too (two keys can share a surface form only in odd cases; keep the first).
  const seen = new Set<string>();
  return picked.map((candidate) => candidate.tag).filter((tag) => !seen.has(tag) && Boolean(seen.add(tag)));
}

/**
 * Tags from elsewhere (a model) made to follow the same rules: lower case, trimmed, inner spaces
 * collapsed, 1–4 words of at most 60 characters, not only stop words, no duplicates (singular and
 * plural count as one), none containing an excluded word; at most `count`.
 */
export function cleanTags(raw: readonly unknown[], options: { count: number; exclusionWords: readonly string[] }): string[] {
  const excluded = exclusionMatcher(options.exclusionWords);
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const item of raw) {
    if (tags.length >= options.count) break;
    if (typeof item !== "string") continue;
    const tag = item
      .toLowerCase()
      .replace(/\s+/g, " ")
      .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
      .trim();
    const words = tokenize(tag);
    if (!tag || tag.length > 60 || words.length === 0 || words.length > 4) continue;
    if (words.every((word) => isStopword(word) || POOR_TAG_WORDS.has(word))) continue;
    if (excluded(tag)) continue;
    const key = words.map(foldWord).join(" ");
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** The same key cleanTags and keywordTags use to tell two tags apart. */
export function tagKey(tag: string): string {
  return tokenize(tag).map(foldWord).join(" ");
}
