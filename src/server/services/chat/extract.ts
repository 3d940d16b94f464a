// The extractive answer (no model), sentence by sentence:
//
//   - every sentence of the retrieved passages is a candidate, scored by the question's topic words
//     it covers (a rare word counting more than a common one), whether it opens with the question's
//     subject, its passage's search score, whether it reads as prose, and — for a question asking
//     what something is or means — whether it defines that thing ("X is …", "X means …", "X refers
//     to …"); hedged sentences ("seems", "arguably") lose a little there;
//   - the best sentence comes first, quoted, with its citation; up to three supporting sentences
//     follow, picked by maximal marginal relevance (a good score, little overlap with what is
//     already said), each cited once;
//   - only the passages cited become references, numbered in the order they are first cited;
//   - a question about the documents as a whole is answered by `composeSummary` (grounding.ts picks
//     the lead sentence of every top-level section, in order).
import { shorten, splitSentences, squeeze } from "../../../shared/text";
import { countWords, isUnspacedWord } from "../../../shared/words";
import { tokenize } from "../generation/text";
import type { AnswerStyle } from "./agents";
import type { GroundedPassage } from "./grounding";

/** Supporting sentences after the first, at most. */
export const MAX_SUPPORTING_SENTENCES = 3;
/** Characters of one extracted sentence, at most (longer ones are cut at a word with "…"). */
const MAX_SENTENCE_CHARS = 400;
/** Characters of a whole summary, about. */
export const SUMMARY_BUDGET_CHARS = 2400;
/** Trade-off of relevance against novelty when picking supporting sentences. */
const MMR_LAMBDA = 0.7;

/** Words a definitional question uses about itself, not about its subject. */
const DEFINITION_WORDS = new Set(
  "definition definitions define defined defines defining meaning meanings mean means term terms working propose proposes proposed concept notion understood understanding".split(" "),
);

/** "What is X?", "Define X", "What does X mean?", "the definition / meaning of X" — not "Who proposed the definition?". */
const DEFINITIONAL = /^\s*(?:what(?:'s|\s+is|\s+are|\s+was|\s+were)\s|define\s|what\s+do(?:es)?\s.+\s(?:mean|stand\s+for)\b)|\b(?:definition|meaning)\s+of\b|\bwhat\s+(?:\w+\s+)?definition\b/i;
const OTHER_QUESTION = /^\s*(?:who|whom|whose|when|where|why|which|how)\b/i;
/** "X is …", "X means …": a subject of a few words, then a defining verb. */
const DEFINING_VERB = /^(.{2,140}?)\s(?:is|are|means|mean|refers? to|(?:is|are|can be|may be|was) (?:defined|understood|described) as|denotes?|describes)\s/i;
const HEDGE = /\b(arguably|seems?|seemingly|perhaps|might|possibly|we (?:think|believe|suggest))\b/i;
const REWRITE = /\b(re-?word|re-?write|re-?phrase|paraphrase|shorten|simplify|tighten|proof-?read|polish|make (?:it|this|the (?:selected )?text|the selection|the paragraph)? ?(?:more )?(?:concise|shorter|clearer|simpler|formal|informal))\b/i;

export function isDefinitional(question: string): boolean {
  return DEFINITIONAL.test(question) && !OTHER_QUESTION.test(question);
}

/** A request to reword text (which only a model can do well). */
export function isRewriteRequest(question: string): boolean {
  return REWRITE.test(question);
}

interface Candidate {
  sentence: string;
  grounded: GroundedPassage;
  tokens: Set<string>;
  hits: number;
  score: number;
}

/**
 * True when a word of the sentence is the term, or one is a longer form of the other ("nutrition",
 * "nutritional"); a Chinese or Japanese term, when the sentence (lower case) has its characters.
 */
function matches(words: ReadonlySet<string>, term: string, text?: string): boolean {
  if (words.has(term)) return true;
  if (text !== undefined && isUnspacedWord(term)) return text.includes(term);
  for (const word of words) {
    if (term.length >= 4 && word.length >= 5 && word.startsWith(term)) return true;
    if (word.length >= 4 && term.length >= 5 && term.startsWith(word)) return true;
  }
  return false;
}

/** Sentences of a passage worth quoting: real words, not a list of figures. */
export function quotableSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    for (const raw of splitSentences(squeeze(line))) {
      const sentence = raw.trim().replace(/^[•●▪◦‣∙·*–—-]+\s+/u, "");
      const words = countWords(sentence);
      if (words < 5) continue;
      const letters = sentence.match(/\p{L}/gu)?.length ?? 0;
      if (letters < sentence.length * 0.5) continue;
      out.push(sentence);
    }
  }
  return out;
}

/** Ends like a sentence after a word: "… words." or Chinese and Japanese "…字。". */
export const SENTENCE_END = /(?:\p{Ll}{2,}[.!?]|[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}][。！？])["'”’)\]」』）]*$/u;

function isProse(sentence: string): boolean {
  return countWords(sentence) >= 8 && SENTENCE_END.test(sentence);
}

/** Does the sentence define one of the subject's words ("Internet governance is the …")? */
function defines(sentence: string, subject: ReadonlySet<string>): boolean {
  const match = DEFINING_VERB.exec(sentence);
  if (!match) return false;
  const head = new Set(tokenize(match[1] as string));
  if (head.size > 14) return false;
  return [...subject].some((term) => matches(head, term));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Scored candidate sentences of the passages, best first. */
export function rankSentences(question: string, terms: ReadonlySet<string>, passages: readonly GroundedPassage[]): Candidate[] {
  const definitional = isDefinitional(question);
  const subject = new Set([...terms].filter((term) => !DEFINITION_WORDS.has(term)));
  const best = Math.max(...passages.map((grounded) => grounded.score), 0) || 1;
  const sentences = passages.flatMap((grounded) =>
    quotableSentences(grounded.passage.text).map((sentence, position) => {
      const words = tokenize(sentence);
      return { grounded, sentence, lower: sentence.toLowerCase(), position, tokens: new Set(words), opening: new Set(words.slice(0, 5)) };
    }),
  );
  // A rare word of the question says more than a common one ("critics" more than "model"): each
  // term weighs by how few of the candidate sentences use it.
  const weighted = [...terms].map((term) => {
    const using = sentences.filter((candidate) => matches(candidate.tokens, term, candidate.lower)).length;
    const rarity = 1 + Math.log((sentences.length + 1) / (using + 1));
    return { term, weight: rarity * (definitional && !subject.has(term) ? 0.5 : 1) };
  });
  const totalWeight = weighted.reduce((sum, { weight }) => sum + weight, 0) || 1;
  const candidates: Candidate[] = [];
  for (const { grounded, sentence, lower, position, tokens, opening } of sentences) {
    let covered = 0;
    let hits = 0;
    for (const { term, weight } of weighted) {
      if (matches(tokens, term, lower)) {
        covered += weight;
        hits++;
      }
    }
    // About the question's subject: it opens with it ("Civil society brings …").
    const aboutSubject = [...subject].some((term) => matches(opening, term));
    let score = 0.5 * (covered / totalWeight) + 0.3 * (grounded.score / best) + (isProse(sentence) ? 0.1 : 0) + (aboutSubject ? 0.08 : 0) - 0.005 * position;
    if (definitional && subject.size > 0) {
      if (defines(sentence, subject)) score += 0.5;
      if (HEDGE.test(sentence)) score -= 0.15;
    }
    if (sentence.length > MAX_SENTENCE_CHARS) score -= 0.05;
    candidates.push({ sentence, grounded, tokens, hits, score });
  }
  return candidates.sort((a, b) => b.score - a.score);
}

/** The first sentence, then supporting ones by maximal marginal relevance. */
export function pickSentences(ranked: readonly Candidate[]): Candidate[] {
  const pool = ranked.filter((candidate) => candidate.hits > 0);
  const first = pool[0] ?? ranked[0];
  if (!first) return [];
  const picked = [first];
  const floor = first.score * 0.45;
  while (picked.length < 1 + MAX_SUPPORTING_SENTENCES) {
    let bestCandidate: Candidate | null = null;
    let bestValue = -Infinity;
    for (const candidate of pool) {
      if (picked.includes(candidate) || candidate.score < floor) continue;
      const similarity = Math.max(...picked.map((chosen) => jaccard(chosen.tokens, candidate.tokens)));
      if (similarity > 0.6) continue; // says the same again
      const value = MMR_LAMBDA * candidate.score - (1 - MMR_LAMBDA) * similarity;
      if (value > bestValue) {
        bestValue = value;
        bestCandidate = candidate;
      }
    }
    if (!bestCandidate) break;
    picked.push(bestCandidate);
  }
  return picked;
}

/** Renumbers cited passages 1, 2, … in the order they are first cited. */
class Citations {
  readonly cited: GroundedPassage[] = [];
  private readonly numbers = new Map<GroundedPassage, number>();

  numberOf(grounded: GroundedPassage): number {
    let number = this.numbers.get(grounded);
    if (number === undefined) {
      number = this.cited.length + 1;
      this.numbers.set(grounded, number);
      this.cited.push({ ...grounded, number });
    }
    return number;
  }
}

/** "… fees paid [1]." — the marker before the closing full stop (or 。, a closing quote stays outside). */
function cite(sentence: string, number: number): string {
  const text = shorten(sentence, MAX_SENTENCE_CHARS);
  const match = /^(.*?)([.!?…。！？]+["'”’)\]」』）]*)?$/s.exec(text);
  const body = match?.[1] ?? text;
  const end = match?.[2] ?? "";
  return `${body} [${number}]${end || "."}`;
}

/** “The sentence.” [1] */
function quote(sentence: string, number: number): string {
  const text = shorten(sentence, MAX_SENTENCE_CHARS);
  return `“${text.replace(/^["“]|["”]$/g, "")}” [${number}]`;
}

export interface ComposedAnswer {
  text: string;
  /** The passages cited, renumbered from 1 in order of first citation. */
  cited: GroundedPassage[];
}

/**
 * An answer of extracts: the sentence that answers, quoted and cited, then a few supporting
 * sentences (a paragraph for the drafting agent). The document's name labels a sentence only when
 * the answer draws on more than one document.
 */
export function composeExtract(question: string, terms: ReadonlySet<string>, passages: readonly GroundedPassage[], style: AnswerStyle): ComposedAnswer {
  const picked = pickSentences(rankSentences(question, terms, passages));
  const citations = new Citations();
  const several = new Set(picked.map((candidate) => candidate.grounded.passage.documentId)).size > 1;
  const label = (candidate: Candidate) => (several ? `*${candidate.grounded.passage.documentName}:* ` : "");
  if (style === "draft") {
    return { text: picked.map((candidate) => cite(candidate.sentence, citations.numberOf(candidate.grounded))).join(" "), cited: citations.cited };
  }
  const [first, ...rest] = picked;
  if (!first) return { text: "", cited: [] };
  const lines = [`${label(first)}${quote(first.sentence, citations.numberOf(first.grounded))}`];
  if (rest.length > 0) {
    lines.push("");
    for (const candidate of rest) lines.push(`- ${label(candidate)}${cite(candidate.sentence, citations.numberOf(candidate.grounded))}`);
  }
  return { text: lines.join("\n"), cited: citations.cited };
}

/**
 * A summary: per document (named when there are several), the lead sentence of each of its
 * top-level sections in order, labelled with the section, each cited; every line shortened so the
 * whole stays within about SUMMARY_BUDGET_CHARS.
 */
export function composeSummary(passages: readonly GroundedPassage[]): ComposedAnswer {
  const citations = new Citations();
  const documents = [...new Set(passages.map((grounded) => grounded.passage.documentId))];
  const perLine = Math.max(140, Math.floor(SUMMARY_BUDGET_CHARS / Math.max(1, passages.length)));
  const lines: string[] = [];
  for (const documentId of documents) {
    const own = passages.filter((grounded) => grounded.passage.documentId === documentId);
    if (documents.length > 1) lines.push(`${lines.length > 0 ? "\n" : ""}**${own[0]?.passage.documentName}**`);
    for (const grounded of own) {
      const lead = shorten(grounded.lead ?? quotableSentences(grounded.passage.text)[0] ?? grounded.passage.text, perLine);
      const title = grounded.sectionTitle ? `**${shorten(grounded.sectionTitle.replace(/[:.]+$/, ""), 60)}:** ` : "";
      lines.push(`- ${title}${cite(lead, citations.numberOf(grounded))}`);
    }
  }
  return { text: lines.join("\n"), cited: citations.cited };
}
