// Generate (text): a section's prose, composed extractively from the passages chosen for it. Each
// passage gives one paragraph of its own sentences, cleaned up (bullets and numbering dropped,
// whitespace and stray quotes tidied, first letter capitalised, a closing full stop), preferring
// the sentences that share words with the section's query and keeping their original order. No
// sentence appears twice in the whole document, and each section stays within a length bound.
import { countWords } from "../../../shared/words";
import { queryTerms, tokenize } from "./text";

export interface ComposeOptions {
  /** Most characters of prose per section. */
  maxSectionChars: number;
  /** Most sentences taken from one passage. */
  maxSentencesPerPassage: number;
  /** Most paragraphs (one per passage) in a section. */
  maxParagraphs: number;
}

export const DEFAULT_COMPOSE: ComposeOptions = { maxSectionChars: 1400, maxSentencesPerPassage: 4, maxParagraphs: 3 };

const MIN_SENTENCE_WORDS = 5;
/** A fragment with no closing punctuation (a title, a list item) needs this many words. */
const MIN_FRAGMENT_WORDS = 8;
const MAX_SENTENCE_CHARS = 600;
/** A paragraph of fewer words is not worth a place in a section. */
const MIN_PARAGRAPH_WORDS = 10;

/** Sentences of a passage: split at sentence ends and at paragraph breaks. */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n+/)) {
    // A sentence ends at . ! ? (plus closing quotes/brackets) followed by a space and a capital,
    // digit or opening quote; "e.g. the" and "Dr. Smith"-style abbreviations mostly survive. A
    // Chinese or Japanese one ends at 。！？ (plus closing brackets), space or not.
    const parts = paragraph.split(/(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘([]?[\p{Lu}\p{N}])|(?<=[。！？][」』）】〉》"'”’)\]]*)(?![」』）】〉》"'”’)\]。！？])\s*(?=\S)/u);
    for (const part of parts) if (part.trim()) sentences.push(part.trim());
  }
  return sentences;
}

/** A readable version of one sentence, or null when it is not worth showing as prose. */
export function tidySentence(raw: string): string | null {
  let sentence = raw
    .replace(/^\s*(?:[•●▪◦‣∙·*–—-]+|\(?\d{1,2}[.)]|\(?[a-z][.)](?=\s))\s+/u, "")
    .replace(/\s+/g, " ")
    .replace(/\s+([,.;:!?])/g, "$1")
    .trim();
  const quotes = sentence.match(/["“”„]/g)?.length ?? 0;
  if (quotes % 2 === 1) sentence = sentence.replace(/["“”„]/g, "").trim();
  const words = countWords(sentence);
  if (words < MIN_SENTENCE_WORDS) return null;
  if (words < MIN_FRAGMENT_WORDS && !/[.!?。！？]["'”’)\]」』）]*$/.test(sentence)) return null;
  // Mostly not words: addresses, phone numbers, tables of figures.
  const letters = sentence.match(/\p{L}/gu)?.length ?? 0;
  if (letters < sentence.length * 0.5) return null;
  if (sentence.length > MAX_SENTENCE_CHARS) {
    const cut = sentence.slice(0, MAX_SENTENCE_CHARS);
    sentence = `${cut.slice(0, Math.max(cut.lastIndexOf(" "), MAX_SENTENCE_CHARS / 2)).replace(/[,;:\s]+$/, "")}…`;
  }
  sentence = sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);
  if (/[:;,\-–—]$/.test(sentence)) sentence = sentence.slice(0, -1).trimEnd();
  if (!/[.!?…。！？]["'”’)\]」』）]*$/.test(sentence)) sentence += /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]$/u.test(sentence) ? "。" : ".";
  return sentence;
}

/**
 * The word is a query term or a form of one ("recommends" for "recommendations", "inspected" for
 * "inspections"): one is the start of the other, or they share their first seven letters.
 */
function sharesStem(word: string, terms: ReadonlySet<string>): boolean {
  if (terms.has(word)) return true;
  if (word.length < 4) return false;
  for (const term of terms) {
    if (term.length < 4) continue;
    if (word.startsWith(term) || term.startsWith(word)) return true;
    if (word.length >= 7 && term.length >= 7 && word.slice(0, 7) === term.slice(0, 7)) return true;
  }
  return false;
}

/** Key under which two sentences count as the same. */
function sentenceKey(sentence: string): string {
  return tokenize(sentence).join(" ");
}

/** A passage with no proper sentences (a list, a table): its lines joined, shortened if long. */
function asList(text: string, maxChars: number): string | null {
  const items = text
    .split(/\n+/)
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  if (items.length === 0) return null;
  // A lone short line (a document's title, a caption) is not a list worth quoting.
  if (items.length === 1 && countWords(items[0]!) < MIN_FRAGMENT_WORDS) return null;
  let joined = items.join("; ");
  if (joined.length > maxChars) joined = `${joined.slice(0, joined.lastIndexOf(" ", maxChars)).replace(/[;,\s]+$/, "")}…`;
  joined = joined.charAt(0).toLocaleUpperCase() + joined.slice(1);
  return /[.!?…]$/.test(joined) ? joined : `${joined}.`;
}

export interface ComposedParagraph {
  text: string;
  /** Its sentences (each from the same passage), for a footnote each. */
  sentences: string[];
  /** Index (in the passages given) of the passage it was written from. */
  from: number;
}

/**
 * The paragraphs of one section from its passages (best first), one per passage that still had
 * something new to say. `usedSentences` is shared by all sections of a document so no sentence is
 * repeated.
 */
export function composeSection(
  passages: ReadonlyArray<{ text: string }>,
  query: string,
  usedSentences: Set<string>,
  options: ComposeOptions = DEFAULT_COMPOSE,
): ComposedParagraph[] {
  const terms = queryTerms(query);
  const paragraphs: ComposedParagraph[] = [];
  let budget = options.maxSectionChars;

  for (const [from, passage] of passages.entries()) {
    if (budget <= 0 || paragraphs.length >= options.maxParagraphs) break;
    const sentences = sentencesOf(passage.text)
      .map((raw, position) => ({ sentence: tidySentence(raw), position }))
      .filter((c): c is { sentence: string; position: number } => c.sentence !== null);

    if (sentences.length === 0) {
      // No proper sentences (a list, table cells): the passage's lines, once per document.
      const key = sentenceKey(passage.text);
      const list = usedSentences.has(key) ? null : asList(passage.text, Math.min(400, budget));
      if (list) {
        usedSentences.add(key);
        paragraphs.push({ text: list, sentences: [list], from });
        budget -= list.length;
      }
      continue;
    }
    const candidates = sentences
      .filter((c) => !usedSentences.has(sentenceKey(c.sentence)))
      .map((c) => ({ ...c, overlap: tokenize(c.sentence).filter((t) => sharesStem(t, terms)).length }));
    if (candidates.length === 0) continue;
    // The sentences that share most words with the query (ties: earlier first), then back in
    // their original order so the paragraph reads as the source did.
    const ranked = [...candidates].sort((a, b) => b.overlap - a.overlap || a.position - b.position);
    const withOverlap = ranked.filter((c) => c.overlap > 0);
    const chosen = (withOverlap.length > 0 ? withOverlap : ranked).slice(0, options.maxSentencesPerPassage);
    chosen.sort((a, b) => a.position - b.position);

    const kept: string[] = [];
    for (const { sentence } of chosen) {
      if (sentence.length > budget && (kept.length > 0 || paragraphs.length > 0)) break;
      if (usedSentences.has(sentenceKey(sentence))) continue;
      kept.push(sentence);
    }
    // A remark on its own ("This should be our starting point.") says nothing out of its context.
    const words = countWords(kept.join(" "));
    if (kept.length === 0 || words < MIN_PARAGRAPH_WORDS) continue;
    for (const sentence of kept) {
      usedSentences.add(sentenceKey(sentence));
      budget -= sentence.length + 1;
    }
    paragraphs.push({ text: kept.join(" "), sentences: kept, from });
  }
  return paragraphs;
}

/** What a section says when no source passage matched it. */
export function nothingFoundText(sectionTitle: string): string {
  return `The source documents do not seem to cover “${sectionTitle}”: no passage in them matched this section's title or instructions. Add a source document about it and generate again, or write this section yourself.`;
}
