// The answer without a model (extract.ts picks and cites the sentences; a summary goes section by
// section), follow-up questions from the passages' headings and recurring phrases, and the thread
// name from the question.
import { shorten } from "../../../shared/text";
import { isStopword, queryTerms, tokenize } from "../generation/text";
import type { AnswerStyle } from "./agents";
import { composeExtract, composeSummary, type ComposedAnswer } from "./extract";
import type { Grounding } from "./grounding";

export const MAX_THREAD_NAME_CHARS = 60;

export function threadNameFor(question: string): string {
  return shorten(question, MAX_THREAD_NAME_CHARS) || "Conversation";
}

/**
 * The answer is its content only: cited extracts, no canned lead-in ("Here is what … says"), so
 * what a person inserts into their document is what they would keep. Only the passages it cites
 * come back (renumbered), to become the answer's references.
 */
export function composeAnswer(question: string, grounding: Grounding, style: AnswerStyle): ComposedAnswer {
  if (grounding.documents.length === 0) {
    return {
      text: grounding.emptyAnswer ?? "I have no documents to answer from yet. Upload a Word document (or pick one in the documents list to ground the chat on), then ask again.",
      cited: [],
    };
  }
  if (grounding.passages.length === 0) {
    const names = grounding.documents.map((row) => `“${row.document_name}”`).join(", ");
    return {
      text: grounding.nothingMatched
        ? `I couldn't find anything about that in ${names}. Try asking with words the document uses, or ground the chat on another document (upload it or pick it in the documents list).`
        : `${names} has no text I can answer from. Upload a document with text, or ground the chat on another document.`,
      cited: [],
    };
  }
  if (grounding.mode === "summary") return composeSummary(grounding.passages);
  const terms = grounding.terms.size > 0 ? grounding.terms : queryTerms(question);
  return composeExtract(question, terms, grounding.passages, style);
}

/** Words that can't start or end a topic phrase ("available data", "policy should"). */
const WEAK_EDGE = new Set(
  `available possible important different various several many much more most less least other others new
  high higher low lower large larger small smaller good better best well also however therefore thus often
  usually generally including include includes included based used using use uses make makes made take
  takes taken need needs needed show shows shown found find should would could must might may can will
  shall one two three first second third last next per within without among across about around`.split(/\s+/),
);

/**
 * Topic phrases of the passages: two or three neighbouring content words that recur in more than
 * one passage ("physical activity", "cancer deaths"), most widespread first. A single frequent
 * word is not offered: on its own it is as often a stray word ("available") as a topic.
 */
function topicPhrases(grounding: Grounding, asked: ReadonlySet<string>): string[] {
  const passagesWith = new Map<string, Set<number>>();
  grounding.passages.forEach((grounded, index) => {
    // Runs of content words, broken at stop words, punctuation and numbers.
    for (const run of grounded.passage.text.toLowerCase().split(/[^\p{L}\s'’-]+|\s[-–—]\s/u)) {
      const words = tokenize(run);
      for (let i = 0; i < words.length; i += 1) {
        for (const size of [2, 3]) {
          const phrase = words.slice(i, i + size);
          if (phrase.length < size) continue;
          if (phrase.some((word) => word.length < 3 || isStopword(word) || /\d/.test(word))) continue;
          if (WEAK_EDGE.has(phrase[0] as string) || WEAK_EDGE.has(phrase[size - 1] as string)) continue;
          if (phrase.every((word) => asked.has(word))) continue;
          const key = phrase.join(" ");
          const seen = passagesWith.get(key) ?? new Set<number>();
          seen.add(index);
          passagesWith.set(key, seen);
        }
      }
    }
  });
  return [...passagesWith.entries()]
    .filter(([, seen]) => seen.size >= 2)
    .sort((a, b) => b[1].size - a[1].size || b[0].split(" ").length - a[0].split(" ").length || a[0].localeCompare(b[0]))
    .map(([phrase]) => phrase);
}

/**
 * Up to three questions to ask next, each naming a real topic of the answer: a section the
 * answer drew on, or a phrase that recurs across its passages. None rather than a filler.
 */
export function followUpQuestions(question: string, grounding: Grounding): string[] {
  const asked = queryTerms(question);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const grounded of grounding.passages) {
    const title = grounded.sectionTitle ?? grounded.passage.heading;
    if (!title) continue;
    const clean = shorten(title.replace(/[:.]+$/, ""), 70);
    const key = clean.toLowerCase();
    if (seen.has(key) || [...queryTerms(clean)].every((term) => asked.has(term))) continue;
    seen.add(key);
    out.push(`What does the section “${clean}” say?`);
    if (out.length >= 2) break;
  }
  const topic = topicPhrases(grounding, asked).find((phrase) => ![...seen].some((title) => title.includes(phrase)));
  if (topic) out.push(`What else do the documents say about ${topic}?`);
  return out.slice(0, 3);
}

/** The answer as small deltas (about three words each), whitespace kept so they concatenate back exactly. */
export function deltasOf(answer: string, wordsPerDelta = 3): string[] {
  const tokens = answer.match(/\S+\s*|\s+/g) ?? [];
  const deltas: string[] = [];
  for (let i = 0; i < tokens.length; i += wordsPerDelta) deltas.push(tokens.slice(i, i + wordsPerDelta).join(""));
  return deltas;
}
