// Finding the section that holds a piece of selected text. Built once per document (cached), so a
// lookup is a normalisation of the selection plus a substring search.
//
// The document's text is its units in order — the preamble (text before the first heading, in no
// section) and each section (heading, then body) — every piece normalised (normalize.ts) and
// joined by single spaces, with the offset where each unit starts. The selection is normalised the
// same way, then:
//
//   1. a selection that starts with a heading's full title belongs to that heading's section,
//      even when the same words occur earlier in the document (in another section's text);
//   2. otherwise the first exact occurrence decides: the section where the selection STARTS
//      (a selection spanning a heading and its body, or several sections, belongs to the section
//      it begins in). Occurrences in the preamble count only when no section has one; then the
//      answer is "before the first heading" (no section) — unless the selection runs on past the
//      first heading, when it is the first section it reaches;
//   3. otherwise a tolerant match for selections with small differences (a list number, a
//      footnote mark, a changed word): the selection's words (the first 120) are aligned with the
//      document's words near the places where several of them line up (diagonal voting, then a
//      longest-common-subsequence alignment). It counts when at least 60% of the selection's words
//      (and at least 3), two of them real words (not "the", "of", …), appear in order in one
//      stretch of the document; the section of the first aligned word is the answer (for one in
//      the preamble, as in 2). Text that is not in the document does not reach that bar, so a
//      made-up sentence finds nothing.
import { isUnspacedWord } from "../../../shared/words";
import { isStopword } from "../generation/text";
import { normalizeForMatch, wordsOf } from "./normalize";

/** A stretch of a document's text: one section (its index in the outline) or the preamble (null). */
export interface TextUnit {
  section: number | null;
  /** Raw texts (heading, paragraphs), in order. */
  pieces: readonly string[];
  /** How many of the first pieces are the section's heading (a heading may be split over several). */
  headingPieces?: number;
}

export type TextMatch =
  | { found: "section"; section: number; how: "exact" | "tolerant" }
  | { found: "preamble" }
  | { found: "none" };

/** Longest normalised selection prefix searched exactly (where a selection starts is what counts). */
const MAX_EXACT_CHARS = 4000;
/** At most this many exact occurrences are looked at when the first ones are in the preamble. */
const MAX_OCCURRENCES = 64;
const MAX_TOLERANT_WORDS = 120;
const MIN_TOLERANT_WORDS = 4;
const MIN_MATCHED_SHARE = 0.6;
const MIN_MATCHED_WORDS = 3;
const MIN_MATCHED_CONTENT_WORDS = 2;
/** Words occurring more often than this don't vote for where the selection is (they still align). */
const MAX_VOTING_POSTINGS = 2000;
const MAX_CANDIDATES = 6;
/** Tolerant answers remembered per document (panes send the same selection again and again). */
const MAX_REMEMBERED = 32;

export interface TextIndexParts {
  text: string;
  unitStarts: number[];
  unitSections: Array<number | null>;
  headingEnds: number[];
}

interface WordIndex {
  words: string[];
  /** Section of each word; -1 = preamble. */
  sections: Int32Array;
  postings: Map<string, number[]>;
}

/** A real word: not "the", "of", 的, です…; three letters or more (two characters in Chinese, Japanese, …). */
const isContentWord = (word: string) => !isStopword(word) && (isUnspacedWord(word) ? [...word].length >= 2 : word.length >= 3);

export class SectionTextIndex {
  /** The whole normalised text. */
  readonly text: string;
  private readonly unitStarts: number[] = [];
  private readonly unitSections: Array<number | null> = [];
  /** Where each unit's heading ends (= its start when it has none). */
  private readonly headingEnds: number[] = [];
  private wordIndex: WordIndex | null = null;
  private readonly remembered = new Map<string, TextMatch>();

  /** What the index is made of, as plain data (built in a worker thread, sent to the main one). */
  toParts(): TextIndexParts {
    return { text: this.text, unitStarts: this.unitStarts, unitSections: this.unitSections, headingEnds: this.headingEnds };
  }

  /** The index from its parts, without normalising the text again. */
  static fromParts(parts: TextIndexParts): SectionTextIndex {
    const index = new SectionTextIndex([]);
    (index as { text: string }).text = parts.text;
    index.unitStarts.push(...parts.unitStarts);
    index.unitSections.push(...parts.unitSections);
    index.headingEnds.push(...parts.headingEnds);
    return index;
  }

  constructor(units: readonly TextUnit[]) {
    const parts: string[] = [];
    let length = 0;
    for (const unit of units) {
      let started = false;
      unit.pieces.forEach((piece, position) => {
        const normalized = normalizeForMatch(piece);
        if (!normalized) return;
        if (parts.length > 0) length += 1;
        if (!started) {
          this.unitStarts.push(length);
          this.unitSections.push(unit.section);
          this.headingEnds.push(length);
          started = true;
        }
        parts.push(normalized);
        length += normalized.length;
        if (position < (unit.headingPieces ?? 0)) this.headingEnds[this.headingEnds.length - 1] = length;
      });
    }
    this.text = parts.join(" ");
  }

  /** The section (or null for the preamble) the character at `offset` belongs to. */
  sectionAt(offset: number): number | null {
    let low = 0;
    let high = this.unitStarts.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((this.unitStarts[middle] as number) <= offset) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found === -1 ? null : (this.unitSections[found] ?? null);
  }

  /** The first section that starts in [from, to), if any. */
  private firstSectionBetween(from: number, to: number): number | null {
    for (let unit = 0; unit < this.unitStarts.length; unit++) {
      const start = this.unitStarts[unit] as number;
      const section = this.unitSections[unit];
      if (start >= to) break;
      if (start >= from && section !== null && section !== undefined) return section;
    }
    return null;
  }

  find(selection: string): TextMatch {
    const query = normalizeForMatch(selection).slice(0, MAX_EXACT_CHARS);
    if (!/[\p{L}\p{N}]/u.test(query)) return { found: "none" };

    // 1. The selection starts with a heading's full title.
    for (let unit = 0; unit < this.unitStarts.length; unit++) {
      const section = this.unitSections[unit];
      const start = this.unitStarts[unit] as number;
      const titleLength = (this.headingEnds[unit] as number) - start;
      if (section === null || section === undefined || titleLength === 0 || query.length < titleLength) continue;
      if (this.text.startsWith(query, start)) return { found: "section", section, how: "exact" };
    }
    // 2. The first exact occurrence in a section.
    let inPreamble: number | null = null;
    let at = this.text.indexOf(query);
    for (let seen = 0; at !== -1 && seen < MAX_OCCURRENCES; seen++) {
      const section = this.sectionAt(at);
      if (section !== null) return { found: "section", section, how: "exact" };
      inPreamble ??= at;
      at = this.text.indexOf(query, at + 1);
    }
    if (inPreamble !== null) {
      const reached = this.firstSectionBetween(inPreamble, inPreamble + query.length);
      return reached === null ? { found: "preamble" } : { found: "section", section: reached, how: "exact" };
    }
    // 3. Close enough (the slow path, so its answers are remembered).
    let match = this.remembered.get(query);
    if (!match) {
      match = this.tolerant(query);
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value as string);
      this.remembered.set(query, match);
    }
    return match;
  }

  private words(): WordIndex {
    if (!this.wordIndex) {
      const found = wordsOf(this.text);
      const words = found.map((w) => w.word);
      const sections = new Int32Array(found.length);
      const postings = new Map<string, number[]>();
      found.forEach(({ word, offset }, position) => {
        sections[position] = this.sectionAt(offset) ?? -1;
        const list = postings.get(word);
        if (list) list.push(position);
        else postings.set(word, [position]);
      });
      this.wordIndex = { words, sections, postings };
    }
    return this.wordIndex;
  }

  private tolerant(query: string): TextMatch {
    const selected = wordsOf(query)
      .slice(0, MAX_TOLERANT_WORDS)
      .map((w) => w.word);
    const count = selected.length;
    if (count < MIN_TOLERANT_WORDS) return { found: "none" };
    const index = this.words();

    // Where do several selection words line up? Vote per diagonal (document position − selection position).
    const votes = new Map<number, number>();
    selected.forEach((word, position) => {
      const postings = index.postings.get(word);
      if (!postings || postings.length > MAX_VOTING_POSTINGS) return;
      for (const at of postings) votes.set(at - position, (votes.get(at - position) ?? 0) + 1);
    });
    const slack = 4 + Math.floor(count / 4);
    const candidates: number[] = [];
    for (const [diagonal] of [...votes].filter(([, v]) => v >= 2).sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
      if (candidates.some((other) => Math.abs(other - diagonal) <= slack)) continue;
      candidates.push(diagonal);
      if (candidates.length >= MAX_CANDIDATES) break;
    }

    const needed = Math.max(MIN_MATCHED_WORDS, Math.ceil(MIN_MATCHED_SHARE * count));
    const neededContent = Math.min(MIN_MATCHED_CONTENT_WORDS, selected.filter(isContentWord).length);
    let best: Alignment | null = null;
    for (const diagonal of candidates) {
      const from = Math.max(0, diagonal - slack);
      const to = Math.min(index.words.length, diagonal + count + slack);
      const alignment = align(selected, index.words, from, to);
      if (alignment.matched < needed || alignment.content < neededContent) continue;
      if (!best || alignment.matched > best.matched) best = alignment;
    }
    if (!best) return { found: "none" };
    // Where the selection starts; from the preamble, the first section it runs into (if any).
    const section = best.positions.map((position) => index.sections[position] ?? -1).find((s) => s !== -1);
    return section === undefined ? { found: "preamble" } : { found: "section", section, how: "tolerant" };
  }
}

interface Alignment {
  matched: number;
  content: number;
  /** Document positions of the aligned words, in order. */
  positions: number[];
}

/**
 * Longest common subsequence of `selected` and document words [from, to), walked so that each
 * selection word is aligned as late as the optimum allows (a stray "the" a few words before the
 * real start is not taken as the start).
 */
function align(selected: readonly string[], words: readonly string[], from: number, to: number): Alignment {
  const rows = selected.length;
  const columns = to - from;
  const width = columns + 1;
  const table = new Uint16Array((rows + 1) * width);
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = columns - 1; j >= 0; j--) {
      const cell = i * width + j;
      table[cell] =
        selected[i] === words[from + j]
          ? (table[cell + width + 1] as number) + 1
          : Math.max(table[cell + width] as number, table[cell + 1] as number);
    }
  }
  let i = 0;
  let j = 0;
  let content = 0;
  const positions: number[] = [];
  while (i < rows && j < columns) {
    const cell = i * width + j;
    const here = table[cell] as number;
    if (here === 0) break;
    if (table[cell + 1] === here) {
      j++;
    } else if (selected[i] === words[from + j] && (table[cell + width + 1] as number) + 1 === here) {
      positions.push(from + j);
      if (isContentWord(selected[i] as string)) content++;
      i++;
      j++;
    } else {
      i++;
    }
  }
  return { matched: positions.length, content, positions };
}
