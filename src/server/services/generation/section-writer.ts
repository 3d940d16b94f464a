// Generate (text): one section of a generated document from the passages retrieval chose for it.
//
//   - Without a model: extractive prose (compose.ts), each sentence footnoted with the document
//     and section of the passage it comes from.
//   - With a model (SIDECAR_LLM_*): the model writes the section from the numbered passages, told
//     to cite them by number after each sentence and to say when they do not cover something
//     instead of inventing it; its citations become footnotes and the section's recorded sources.
//     A model error, an empty answer or a timeout falls back to the extractive section with a
//     sentence saying so: the job never fails for want of a model.
//
// When a document is generated from several sources, a section says which chosen sources had
// nothing for it.
import { splitSentences, squeeze } from "../../../shared/text";
import type { DocxParagraph, FootnotedSentence } from "../../docx/write-docx";
import type { NewDocumentSection, NewSectionSource } from "../../storage/generation-store";
import { completeChat, ModelCallError, type LlmConfig } from "../chat/llm";
import { composeSection, nothingFoundText } from "./compose";
import type { IndexedPassage, RankedPassage } from "./retrieval";

export interface SectionToWrite {
  sectionId: string;
  title: string;
  level: number;
  instructions: string;
}

export interface WrittenSection {
  /** As stored: plain text (paragraphs separated by a blank line) and its sources. */
  stored: NewDocumentSection;
  /** As written into the .docx, with footnotes. */
  paragraphs: DocxParagraph[];
  /** How the section was written (for the log). */
  writtenBy: "extracts" | "model" | "extracts after a model failure";
}

export interface WriteContext {
  documentTitle: string;
  documentInstructions: string | null;
  /** The chosen sources (id → name), to say which had nothing for a section. */
  sources: ReadonlyMap<string, string>;
  /** Sentences already used by earlier sections (no sentence twice in a document). */
  usedSentences: Set<string>;
}

/** "Internet governance report.docx, “A working definition”." */
export function footnoteFor(passage: Pick<IndexedPassage, "documentName" | "heading">): string {
  return `${passage.documentName}${passage.heading ? `, “${passage.heading}”` : ""}.`;
}

function sourceOf(hit: RankedPassage): NewSectionSource {
  const { passage, score } = hit;
  return {
    documentSourceId: passage.documentId,
    documentSourceName: passage.documentName,
    referencedText: passage.text,
    s3Key: passage.s3Key,
    passageId: passage.passageId,
    passageIndex: passage.passageIndex,
    score,
  };
}

/** "Nothing in “Bees.docx” matched this section." when a chosen source gave this section nothing. */
function missingSourcesNote(used: readonly RankedPassage[], context: WriteContext): string | null {
  if (context.sources.size < 2 || used.length === 0) return null;
  const usedIds = new Set(used.map((hit) => hit.passage.documentId));
  const missing = [...context.sources.entries()].filter(([id]) => !usedIds.has(id)).map(([, name]) => `“${name}”`);
  if (missing.length === 0) return null;
  return `Nothing in ${missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} or ${missing[missing.length - 1]}`} matched this section.`;
}

function assemble(section: SectionToWrite, paragraphs: FootnotedSentence[][], sources: NewSectionSource[], notes: string[]): Omit<WrittenSection, "writtenBy"> {
  const docx: DocxParagraph[] = paragraphs.map((sentences) => ({ sentences }));
  for (const note of notes) docx.push(note);
  const text = [...paragraphs.map((sentences) => sentences.map((sentence) => sentence.text).join(" ")), ...notes].join("\n\n");
  const sentences = paragraphs.flat().map((sentence) => ({ text: sentence.text, passageIds: sentence.passageIds ?? [] }));
  return { stored: { sectionId: section.sectionId, sectionTitle: section.title, level: section.level, text, sources, sentences }, paragraphs: docx };
}

/** The section from extracts of its passages, each sentence footnoted. */
export function extractiveSection(section: SectionToWrite, hits: readonly RankedPassage[], context: WriteContext, extraNotes: string[] = []): WrittenSection {
  const passages = hits.map((hit) => hit.passage);
  // The title counts twice; the section's and the person's instructions steer the sentences too.
  const query = `${section.title} ${section.title} ${section.instructions} ${context.documentInstructions ?? ""}`;
  const composed = composeSection(passages, query, context.usedSentences);
  if (composed.length === 0) {
    const text = nothingFoundText(section.title);
    return { stored: { sectionId: section.sectionId, sectionTitle: section.title, level: section.level, text, sources: [] }, paragraphs: [text], writtenBy: "extracts" };
  }
  const contributors = [...new Set(composed.map((paragraph) => paragraph.from))].map((from) => hits[from] as RankedPassage);
  const paragraphs = composed.map((paragraph) => {
    const passage = (hits[paragraph.from] as RankedPassage).passage;
    const footnote = footnoteFor(passage);
    return paragraph.sentences.map((text) => ({ text, footnote, passageIds: [passage.passageId] }));
  });
  const note = missingSourcesNote(contributors, context);
  return { ...assemble(section, paragraphs, contributors.map(sourceOf), [...(note ? [note] : []), ...extraNotes]), writtenBy: "extracts" };
}

const MODEL_INSTRUCTIONS = [
  "You write one section of a Word document from numbered source passages.",
  "Use only what the passages say. After each sentence, cite the passage or passages it draws on with their numbers in square brackets, like [1] or [1][3].",
  "If the passages do not cover something the section or the instructions ask for, say so in a sentence (for example: “The sources do not cover …”) instead of inventing it.",
  "Write plain prose paragraphs separated by a blank line: no heading, no lists, no markdown.",
].join(" ");

export function sectionPrompt(section: SectionToWrite, hits: readonly RankedPassage[], context: WriteContext): Array<{ role: "system" | "user"; content: string }> {
  const passages = hits
    .map((hit, i) => `[${i + 1}] ${hit.passage.documentName}${hit.passage.heading ? ` — ${hit.passage.heading}` : ""}\n${hit.passage.text}`)
    .join("\n\n");
  const request = [
    `Document: ${context.documentTitle}`,
    `Section to write: ${section.title}`,
    section.instructions.trim() ? `Instructions for this section: ${section.instructions.trim()}` : "",
    context.documentInstructions ? `Instructions for the whole document: ${context.documentInstructions}` : "",
    `Passages:\n\n${passages}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return [
    { role: "system", content: MODEL_INSTRUCTIONS },
    { role: "user", content: request },
  ];
}

/** The model's text as paragraphs of sentences, each with the passages it cites (markers removed). */
export function parseModelSection(content: string, passageCount: number): Array<Array<{ text: string; cites: number[] }>> {
  return content
    .replace(/\r/g, "")
    .split(/\n\s*\n/)
    .map((block) => block.replace(/^\s*(?:#+\s+|[-*•]\s+|\d+[.)]\s+)/gm, "").replace(/\*\*|__/g, ""))
    .map((block) =>
      splitSentences(squeeze(block))
        .map((sentence) => {
          const cites = [...sentence.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])).filter((n) => n >= 1 && n <= passageCount);
          const text = sentence
            .replace(/\s*\[\d+\]/g, "")
            .replace(/\s+([.,;:!?])/g, "$1")
            .trim();
          return { text, cites: [...new Set(cites)] };
        })
        .filter((sentence) => /\p{L}/u.test(sentence.text)),
    )
    .filter((paragraph) => paragraph.length > 0);
}

/** The section written by the model, or from extracts (with a note) when the model fails. */
export async function modelSection(
  llm: LlmConfig,
  section: SectionToWrite,
  hits: readonly RankedPassage[],
  context: WriteContext,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<WrittenSection> {
  if (hits.length === 0) return extractiveSection(section, hits, context);
  let content: string;
  try {
    content = await completeChat(llm, sectionPrompt(section, hits, context), AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
  } catch (error) {
    signal.throwIfAborted();
    const reason =
      error instanceof ModelCallError
        ? error.message
        : (error as Error).name === "TimeoutError"
          ? `The language model did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}.`
          : "The language model could not be asked.";
    const fallback = extractiveSection(section, hits, context, [`This section is made of extracts from the sources: ${reason}`]);
    return { ...fallback, writtenBy: "extracts after a model failure" };
  }
  const parsed = parseModelSection(content, hits.length);
  if (parsed.length === 0) {
    const fallback = extractiveSection(section, hits, context, ["This section is made of extracts from the sources: the language model's answer had no text."]);
    return { ...fallback, writtenBy: "extracts after a model failure" };
  }
  const citedNumbers = [...new Set(parsed.flat().flatMap((sentence) => sentence.cites))].sort((a, b) => a - b);
  const cited = citedNumbers.map((n) => hits[n - 1] as RankedPassage);
  const paragraphs = parsed.map((sentences) =>
    sentences.map((sentence) => ({
      text: sentence.text,
      footnote: sentence.cites.length > 0 ? sentence.cites.map((n) => footnoteFor((hits[n - 1] as RankedPassage).passage)).join(" ") : null,
      passageIds: sentence.cites.map((n) => (hits[n - 1] as RankedPassage).passage.passageId),
    })),
  );
  const note = missingSourcesNote(cited, context);
  return { ...assemble(section, paragraphs, cited.map(sourceOf), note ? [note] : []), writtenBy: "model" };
}
