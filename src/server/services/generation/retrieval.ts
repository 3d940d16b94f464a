// Ingest and Orchestrate: the source passages in a MiniSearch index (BM25+ ranking), queried per
// section with its title (weighted most), its instructions and the document instructions.
//
// A passage counts as a match when it scores at least a fraction of the best match and shares with
// the section either a title word or at least two words of its instructions (the person's
// instructions for the whole document weigh in the ranking only); the best few distinct ones are
// kept, and (everyDocument) the best relevant one of each other document too. When
// no passage is that close, the single best one sharing any word is taken, so a section gets a
// weak lead rather than nothing; when none shares a word, the section gets no passages.
import MiniSearch, { type SearchResult } from "minisearch";
import { indexTerm, queryTerm, queryTerms, tokenize } from "./text";

export interface IndexedPassage {
  passageId: string;
  passageIndex: number;
  documentId: string;
  documentName: string;
  s3Key: string;
  heading: string | null;
  text: string;
}

export interface SectionQuery {
  title: string;
  instructions: string;
  documentInstructions: string | null;
}

export interface RankedPassage {
  passage: IndexedPassage;
  score: number;
}

export interface RetrievalOptions {
  /** Most passages per section. */
  limit: number;
  /** A match must score at least this fraction of the section's best match. */
  relativeMinScore: number;
  /** Passages already used by earlier sections: their score is multiplied by this. */
  reusePenalty: number;
  /**
   * Every document with a relevant passage gives at least one (its best), even when another
   * document's passages score higher: generation draws on every source it was given.
   */
  everyDocument?: boolean;
}

/**
 * Generation's: a few more passages than a section uses (compose.ts takes at most three
 * paragraphs), so a section whose best passages earlier sections already used draws on the next.
 */
export const DEFAULT_RETRIEVAL: RetrievalOptions = { limit: 6, relativeMinScore: 0.3, reusePenalty: 0.6, everyDocument: true };
/** A document's best passage joins a section (everyDocument) when it scores at least this fraction of the best. */
const EVERY_DOCUMENT_MIN_SCORE = 0.1;

const TITLE_BOOST = 2.5;
const DOCUMENT_INSTRUCTIONS_BOOST = 0.7;

/** Letters and digits only, lower case: two passages with this key say the same thing. */
function sameTextKey(text: string): string {
  return tokenize(text).join(" ");
}

export class PassageIndex {
  private readonly index: MiniSearch<IndexedPassage & { id: string }>;
  private readonly byId = new Map<string, IndexedPassage>();

  constructor(passages: readonly IndexedPassage[]) {
    this.index = new MiniSearch<IndexedPassage & { id: string }>({
      fields: ["text", "heading", "documentName"],
      idField: "id",
      tokenize: (text) => tokenize(text),
      processTerm: (term) => indexTerm(term),
      searchOptions: {
        processTerm: (term) => queryTerm(term),
        boost: { heading: 1.5, text: 1, documentName: 0.3 },
        // "nutrition" also finds "nutritional"; small misspellings of longer words still match.
        prefix: (term) => term.length >= 5,
        fuzzy: (term) => (term.length >= 7 ? 0.15 : false),
        combineWith: "OR",
      },
    });
    for (const passage of passages) this.byId.set(passage.passageId, passage);
    this.index.addAll(passages.map((passage) => ({ ...passage, id: passage.passageId })));
  }

  get size(): number {
    return this.byId.size;
  }

  /** The best passages for one section; `used` are passage ids earlier sections already took. */
  query(section: SectionQuery, used: ReadonlySet<string> = new Set(), options: RetrievalOptions = DEFAULT_RETRIEVAL): RankedPassage[] {
    const titleTerms = queryTerms(section.title);
    const sectionTerms = queryTerms(`${section.title} ${section.instructions}`);
    const text = [section.title, section.instructions, section.documentInstructions ?? ""].join("\n");
    if (queryTerms(text).size === 0 || this.byId.size === 0) return [];

    const results = this.index.search(text, {
      boostTerm: (term) => (titleTerms.has(term) ? TITLE_BOOST : sectionTerms.has(term) ? 1 : DOCUMENT_INSTRUCTIONS_BOOST),
    });
    // Relevant to this section: the person's instructions for the whole document steer the
    // ranking, but a passage must match the section's own title or instructions to be taken.
    let strict = results.filter((result) => isRelevant(result, titleTerms, sectionTerms));
    if (strict.length === 0 && section.documentInstructions) {
      // A section whose own words find nothing ("Background"): the person's instructions stand in.
      const documentTerms = queryTerms(section.documentInstructions);
      strict = results.filter((result) => new Set(result.queryTerms.filter((term) => documentTerms.has(term))).size >= 2);
    }
    const eligible = strict.length > 0 ? strict : results.slice(0, 1);
    const best = eligible[0]?.score ?? 0;
    const ranked = eligible
      .filter((result) => result.score >= best * options.relativeMinScore)
      .map((result) => ({
        passage: this.byId.get(String(result.id)) as IndexedPassage,
        score: used.has(String(result.id)) ? result.score * options.reusePenalty : result.score,
      }))
      .sort((a, b) => b.score - a.score);

    const picked: RankedPassage[] = [];
    const seen = new Set<string>();
    for (const candidate of ranked) {
      const key = sameTextKey(candidate.passage.text);
      if (seen.has(key)) continue;
      seen.add(key);
      picked.push(candidate);
      if (picked.length >= options.limit) break;
    }
    if (options.everyDocument && strict.length > 0) {
      // Each other document's best relevant passage comes right after the best one, so a section
      // that uses only its first few passages still draws on every source that has something.
      const represented = new Set(picked.slice(0, 1).map((hit) => hit.passage.documentId));
      const others: RankedPassage[] = [];
      for (const result of strict) {
        const passage = this.byId.get(String(result.id)) as IndexedPassage;
        if (represented.has(passage.documentId) || result.score < best * EVERY_DOCUMENT_MIN_SCORE) continue;
        represented.add(passage.documentId);
        others.push(picked.find((hit) => hit.passage.passageId === passage.passageId) ?? { passage, score: used.has(passage.passageId) ? result.score * options.reusePenalty : result.score });
      }
      const rest = picked.slice(1).filter((hit) => !others.includes(hit));
      return [...picked.slice(0, 1), ...others, ...rest];
    }
    return picked;
  }
}

/** Shares a title word with the query, or at least two distinct words of the section's title and instructions. */
function isRelevant(result: SearchResult, titleTerms: ReadonlySet<string>, sectionTerms: ReadonlySet<string>): boolean {
  const matched = new Set(result.queryTerms);
  if ([...matched].some((term) => titleTerms.has(term))) return true;
  return [...matched].filter((term) => sectionTerms.has(term)).length >= 2;
}
