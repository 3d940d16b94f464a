// Orchestrate: the source passages searched in the database's full-text index (FTS5, BM25; see
// storage/passage-store.ts), per section with its title (weighted most), its instructions and the
// document instructions.
//
// A passage counts as a match when it scores at least a fraction of the best match and shares with
// the section either a title word or at least two words of its instructions (the person's
// instructions for the whole document weigh in the ranking only); the best few distinct ones are
// kept, and (everyDocument) the best relevant one of each other document too. When
// no passage is that close, the single best one sharing any word is taken, so a section gets a
// weak lead rather than nothing; when none shares a word, the section gets no passages.
import type { SearchHit } from "../../storage/passage-store";
import { isUnspacedWord } from "../../../shared/words";
import { queryTerms, tokenize } from "./text";

export interface IndexedPassage {
  passageId: string;
  passageIndex: number;
  documentId: string;
  documentName: string;
  s3Key: string;
  heading: string | null;
  text: string;
  /** Where it starts in its document's paragraphs (the section holding it is known from this). */
  firstParagraph?: number;
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

/** Where passages are searched: the database's full-text index (storage/passage-store.ts). */
export interface PassageSearch {
  /** Passages holding any of the terms, best first. */
  search(documentIds: readonly string[], terms: readonly string[], limit: number): Promise<SearchHit[]>;
  /** Terms the index's ranking gives no weight (in half of all passages or more). */
  weightlessTerms?(terms: readonly string[]): Promise<Set<string>>;
}

/** Candidates fetched from the index per group of query words, before the section's own ranking. */
const CANDIDATES_PER_GROUP = 200;

/**
 * Same word for the index's stemmer, near enough: equal, or (both at least four letters) sharing
 * their first six letters or the whole of the shorter one ("nutrition", "nutritional"). (A word of
 * Chinese, Japanese, … is matched as the index matches it: its characters anywhere in the text.)
 */
export function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length < 4 || b.length < 4) return false;
  const shorter = Math.min(a.length, b.length, 6);
  return a.slice(0, shorter) === b.slice(0, shorter);
}

/** A search result: a passage, its combined score and the query terms it contains. */
interface Result {
  passage: IndexedPassage;
  score: number;
  queryTerms: string[];
}

/**
 * The passages of some documents, searched through the persistent full-text index: nothing is
 * built per request, so a question costs the same on the thousandth document as on the first.
 */
export class PassageIndex {
  constructor(
    private readonly store: PassageSearch,
    private readonly documentIds: readonly string[],
  ) {}

  /**
   * The index's matches for each group of words, their BM25 scores weighted by the group (title
   * words count most, then the section's instructions, then the person's): as MiniSearch's
   * per-term boost did, a passage's score is the sum over the words it matches of weight × BM25.
   */
  private async results(groups: Array<{ terms: Set<string>; weight: number }>): Promise<Result[]> {
    const byId = new Map<string, Result>();
    const allTerms = groups.flatMap((group) => [...group.terms]);
    // Words in most passages add nothing to a score but most of the work of finding it: searched
    // only when every word of the question is such a word.
    const weightless = (await this.store.weightlessTerms?.(allTerms)) ?? new Set<string>();
    const searched = weightless.size < allTerms.length ? groups.map((group) => ({ ...group, terms: new Set([...group.terms].filter((term) => !weightless.has(term))) })) : groups;
    for (const group of searched) {
      if (group.terms.size === 0) continue;
      for (const hit of await this.store.search(this.documentIds, [...group.terms], CANDIDATES_PER_GROUP)) {
        let result = byId.get(hit.passage_id);
        if (!result) {
          const text = `${hit.heading ?? ""} ${hit.text} ${hit.document_name}`;
          const words = [...new Set(tokenize(text))];
          const lower = text.toLowerCase();
          result = {
            passage: {
              passageId: hit.passage_id,
              passageIndex: hit.passage_index,
              documentId: hit.document_id,
              documentName: hit.document_name,
              s3Key: hit.s3_key ?? "",
              heading: hit.heading,
              text: hit.text,
              firstParagraph: hit.first_paragraph,
            },
            score: 0,
            queryTerms: allTerms.filter((term) => (isUnspacedWord(term) ? lower.includes(term) : words.some((word) => sameStem(word, term)))),
          };
          byId.set(hit.passage_id, result);
        }
        result.score += group.weight * hit.score;
      }
    }
    return [...byId.values()].sort((x, y) => y.score - x.score || x.passage.passageId.localeCompare(y.passage.passageId));
  }

  /** The best passages for one section; `used` are passage ids earlier sections already took. */
  async query(section: SectionQuery, used: ReadonlySet<string> = new Set(), options: RetrievalOptions = DEFAULT_RETRIEVAL): Promise<RankedPassage[]> {
    const titleTerms = queryTerms(section.title);
    const sectionTerms = queryTerms(`${section.title} ${section.instructions}`);
    const documentTerms = queryTerms(section.documentInstructions ?? "");
    if (sectionTerms.size === 0 && documentTerms.size === 0) return [];
    const results = await this.results([
      { terms: titleTerms, weight: TITLE_BOOST },
      { terms: new Set([...sectionTerms].filter((term) => !titleTerms.has(term))), weight: 1 },
      { terms: new Set([...documentTerms].filter((term) => !sectionTerms.has(term))), weight: DOCUMENT_INSTRUCTIONS_BOOST },
    ]);
    let strict = results.filter((result) => isRelevant(result, titleTerms, sectionTerms));
    if (strict.length === 0 && section.documentInstructions) {
      // A section whose own words find nothing ("Background"): the person's instructions stand in.
      strict = results.filter((result) => result.queryTerms.filter((term) => documentTerms.has(term)).length >= 2);
    }
    const eligible = strict.length > 0 ? strict : results.slice(0, 1);
    const best = eligible[0]?.score ?? 0;
    const ranked = eligible
      .filter((result) => result.score >= best * options.relativeMinScore)
      .map((result) => ({
        passage: result.passage,
        score: used.has(result.passage.passageId) ? result.score * options.reusePenalty : result.score,
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
        const passage = result.passage;
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
function isRelevant(result: Result, titleTerms: ReadonlySet<string>, sectionTerms: ReadonlySet<string>): boolean {
  const matched = new Set(result.queryTerms);
  if ([...matched].some((term) => titleTerms.has(term))) return true;
  return [...matched].filter((term) => sectionTerms.has(term)).length >= 2;
}
