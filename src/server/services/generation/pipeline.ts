// The generation pipeline for one job, as the contract's named stages:
//
//   Extract (Ingesting)         each source's paragraphs → passages, stored once per document
//   Ingest (Ingesting)          the passages of all sources, in the database's full-text index
//   Create Outline (Generating) the template's (selected) sections, in template order
//   Orchestrate (Generating)    per section, the best few passages for its title, its instructions
//                               and the person's, with every source that has a relevant passage
//   Generate (Generating)       per section, prose from its passages (extracts, or the model's
//                               when one is configured; section-writer.ts), footnoted → a real
//                               .docx, stored with the sections and their sources → Ready
//
// Every step can run again from the start with the same result (passages are reused once
// extracted; completing replaces the file, sections and sources), which is how a job interrupted
// by a server stop resumes. The stage and progress are stored as the job goes.
import { setImmediate as turn, setTimeout as sleep } from "node:timers/promises";
import { DocxRejectedError, type DocxLimits } from "../../docx/inspect-docx";
import type { GenerationJobRow } from "../../storage/generation-store";
import type { Storage } from "../../storage/storage";
import type { FastifyBaseLogger } from "fastify";
import type { LlmConfig } from "../chat/llm";
import { inProcessReader, saveIngested, type DocxReader } from "../docx-reader";
import { PassageIndex, sameStem, type RankedPassage } from "./retrieval";
import { queryTerms } from "./text";
import { extractiveSection, modelSection, type WriteContext, type WrittenSection } from "./section-writer";

/** What a job was asked to do, as stored with it (resolved and checked when it was requested). */
export interface GenerationRequestRecord {
  document_type: string;
  file_paths: string[];
  /** The documents behind file_paths, in the same order. */
  source_document_ids: string[];
  document_set_id: string;
  workspace_name: string;
  template: { template_id: string; template_name: string };
  /** The template's sections at request time (only the selected ones), in template order. */
  outline: Array<{ section_id: string; section_name: string; order_index: number; level: number; instructions: string }>;
  selected_section_ids: string[] | null;
  document_instructions: string | null;
}

/** A failure the person who asked can act on; its message is the job's error. */
export class PipelineError extends Error {
  override name = "PipelineError";
}

export type StageName = "extract" | "ingest" | "outline" | "orchestrate" | "generate";

export const STAGES: Record<StageName, { label: string; status: "Ingesting" | "Generating"; progress: [number, number] }> = {
  extract: { label: "Extract", status: "Ingesting", progress: [5, 25] },
  ingest: { label: "Ingest", status: "Ingesting", progress: [30, 40] },
  outline: { label: "Create Outline", status: "Generating", progress: [45, 50] },
  orchestrate: { label: "Orchestrate", status: "Generating", progress: [55, 75] },
  generate: { label: "Generate", status: "Generating", progress: [80, 95] },
};

export interface PipelineOptions {
  limits: DocxLimits;
  /** Reads the sources (in worker threads) and stores their passages. */
  reader?: DocxReader;
  /** Pause at the start of every stage (demos; tests that need a slow job). */
  stepDelayMs: number;
  /** A model to write sections with (SIDECAR_LLM_*); null = extractive sections. */
  llm?: LlmConfig | null;
  /** How long one section waits for the model before it is composed from extracts. */
  llmTimeoutMs?: number;
}

interface OutlineSection {
  sectionId: string;
  title: string;
  level: number;
  instructions: string;
}

export class GenerationPipeline {
  constructor(
    private readonly storage: Storage,
    private readonly options: PipelineOptions,
    private readonly log?: FastifyBaseLogger,
  ) {}

  async run(job: GenerationJobRow, signal: AbortSignal): Promise<void> {
    const request = JSON.parse(job.request_json) as GenerationRequestRecord;

    await this.enter(job, "extract", signal);
    const sources = await this.extract(job, request, signal);

    await this.enter(job, "ingest", signal);
    // The passages are in the database's full-text index since they were extracted: nothing to build.
    const index = new PassageIndex(
      this.storage.passages,
      sources.map((source) => source.document_id),
    );

    await this.enter(job, "outline", signal);
    const outline: OutlineSection[] = [...request.outline]
      .sort((a, b) => a.order_index - b.order_index)
      .map((section) => ({ sectionId: section.section_id, title: section.section_name, level: section.level, instructions: section.instructions }));
    if (outline.length === 0) throw new PipelineError("The template has no sections to generate. Choose a template with sections.");

    await this.enter(job, "orchestrate", signal);
    const used = new Set<string>();
    const belongsTo = sectionsNamedBy(outline);
    const plan: Array<{ section: OutlineSection; hits: RankedPassage[] }> = [];
    for (const section of outline) {
      // One section's search at a time, then other requests get their turn: a long source's
      // searches for every section at once would hold everyone else up.
      await turn();
      signal.throwIfAborted();
      plan.push(await planSection(section));
    }
    async function planSection(section: OutlineSection): Promise<{ section: OutlineSection; hits: RankedPassage[] }> {
      const hits = await index.query({ title: section.title, instructions: section.instructions, documentInstructions: request.document_instructions }, used);
      for (const hit of hits) used.add(hit.passage.passageId);
      const owners = new Map(hits.map((hit) => [hit, belongsTo(hit.passage.heading)]));
      // A passage under a heading that names another section of this template ("Recommendations")
      // belongs to that section: another takes it only when it has nothing else.
      const ownedElsewhere = (hit: RankedPassage) => {
        const of = owners.get(hit) as OutlineSection[];
        return of.length > 0 && !of.includes(section);
      };
      const own = hits.filter((hit) => !ownedElsewhere(hit));
      const candidates = own.length > 0 ? own : hits;
      // A source with a section of this name ("Recommendations") gives that section's passages, not
      // others that merely use the word ("its Recommendation D.50"); other sources still give theirs.
      const named = candidates.filter((hit) => (owners.get(hit) as OutlineSection[]).includes(section));
      if (named.length === 0) return { section, hits: candidates };
      const namedDocuments = new Set(named.map((hit) => hit.passage.documentId));
      return { section, hits: [...named, ...candidates.filter((hit) => !namedDocuments.has(hit.passage.documentId))] };
    }

    await this.enter(job, "generate", signal);
    const context: WriteContext = {
      documentTitle: job.output_name,
      documentInstructions: request.document_instructions,
      sources: new Map(sources.map((source) => [source.document_id, source.document_name])),
      usedSentences: new Set<string>(),
    };
    const written: WrittenSection[] = [];
    const [start, end] = STAGES.generate.progress;
    for (const [position, { section, hits }] of plan.entries()) {
      await turn();
      signal.throwIfAborted();
      const llm = this.options.llm;
      written.push(llm ? await modelSection(llm, section, hits, context, this.options.llmTimeoutMs ?? 60_000, signal) : extractiveSection(section, hits, context));
      if (llm) await this.storage.generation.setStage(job.document_id, STAGES.generate.status, "generate", Math.round(start + ((end - start) * (position + 1)) / plan.length));
    }
    const fellBack = written.filter((section) => section.writtenBy === "extracts after a model failure").length;
    if (fellBack > 0) this.log?.warn({ documentId: job.document_id, sections: fellBack }, "the language model failed; sections were composed from extracts");
    // In the document reader's worker (with SIDECAR_DOCX_WORKERS=0, here).
    const file = await (this.options.reader ?? inProcessReader).write({
      documentId: job.document_id,
      title: job.output_name,
      description: `Generated by Sidecar with the template "${request.template.template_name}" from ${sources.length} source document${sources.length === 1 ? "" : "s"}.`,
      sections: written.map((section) => ({ title: section.stored.sectionTitle, paragraphs: section.paragraphs })),
    });
    signal.throwIfAborted();
    await this.storage.generation.complete(
      job.document_id,
      file,
      written.map((section) => section.stored),
    );
  }

  /** Records the stage, then pauses (the step delay) and yields to requests waiting to be served. */
  private async enter(job: GenerationJobRow, stage: StageName, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const { status, progress } = STAGES[stage];
    await this.storage.generation.setStage(job.document_id, status, stage, progress[0]);
    await sleep(this.options.stepDelayMs, undefined, { signal });
  }

  /** Extract: passages of every source, from the database when extracted before. */
  private async extract(job: GenerationJobRow, request: GenerationRequestRecord, signal: AbortSignal) {
    const [start, end] = STAGES.extract.progress;
    const sources = [];
    for (const [position, documentId] of request.source_document_ids.entries()) {
      const source = await this.storage.documents.get(documentId);
      const key = request.file_paths[position] ?? documentId;
      const missing = () =>
        new PipelineError(
          `The source document ${source ? `"${source.document_name}"` : key} is no longer stored on the server. Upload it again, then generate under a new output name.`,
        );
      if (!source) throw missing();
      if (!(await this.storage.passages.isExtracted(documentId))) {
        try {
          const ingested = await this.storage.files.withLocalFile(source, (filePath) =>
            (this.options.reader ?? inProcessReader).ingest(filePath, this.options.limits),
          );
          if (!ingested) throw missing();
          await saveIngested(this.storage, { documentId, organizationId: source.organization_id }, ingested);
        } catch (error) {
          if (error instanceof DocxRejectedError) {
            throw new PipelineError(`The source document "${source.document_name}" cannot be read: ${error.message}`);
          }
          throw error;
        }
        signal.throwIfAborted();
      } else if (!(await this.storage.files.exists(source))) {
        throw missing();
      }
      sources.push(source);
      const progress = Math.round(start + ((end - start) * (position + 1)) / request.source_document_ids.length);
      await this.storage.generation.setStage(job.document_id, STAGES.extract.status, "extract", progress);
    }
    return sources;
  }
}

/** For a passage's heading, the template's sections whose title shares a word with it (title words taken once). */
function sectionsNamedBy(outline: readonly OutlineSection[]): (heading: string | null) => OutlineSection[] {
  const titleTerms = outline.map((section) => ({ section, terms: [...queryTerms(section.title)] }));
  return (heading) => {
    if (!heading) return [];
    const headingTerms = [...queryTerms(heading)];
    return titleTerms.filter(({ terms }) => terms.some((term) => headingTerms.some((word) => sameStem(word, term)))).map(({ section }) => section);
  };
}
