// Indexing documents uploaded into a corpus (docs/api.md "Grounding", Ejento A6), in the
// background: after an optional pause (SIDECAR_INDEXING_DELAY_MS, so tests and demos can watch
// the step) a document goes `uploaded` → `processing`, its passages are extracted the way chat
// grounding extracts them, and it ends `completed`, or failed (`is_failed`, with the reason in
// `error`) when its file can't be read. A document not finished when the server stops is indexed
// again at the next start: never stuck.
//
// On PostgreSQL (`shared`) the documents to index are jobs of the queue every server process
// shares (pg-boss, services/shared-jobs.ts): any process indexes any upload, at most one waiting
// job per document; a process that dies while indexing loses the job when its lease
// (SIDECAR_JOB_LEASE_SECONDS) runs out and another indexes the document again. After
// SIDECAR_GENERATION_MAX_ATTEMPTS such losses the document is marked failed with words.
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Storage } from "../../storage/storage";
import type { SharedJobs, Workers } from "../shared-jobs";
import type { GroundingService } from "./grounding";

export interface IndexerOptions {
  delayMs: number;
  /** PostgreSQL: the job queue the processes share. */
  shared?: SharedIndexingOptions;
}

export interface SharedIndexingOptions {
  jobs: SharedJobs;
  leaseSeconds: number;
  maxAttempts: number;
  pollingSeconds: number;
}

export const INDEXING_QUEUE = "sidecar-indexing";
const INDEXING_DEAD_LETTER_QUEUE = "sidecar-indexing-dead";
/** Documents indexed at once by one process (shared queue). */
const SHARED_CONCURRENCY = 2;

interface IndexingData {
  corpusDocumentId: number;
}

const indexingLost = (attempts: number) =>
  `Indexing this document was interrupted ${attempts} times (the server process doing it stopped). Upload it again; if it keeps happening, check the server log.`;

export class CorpusIndexer {
  private readonly running = new Map<number, Promise<void>>();
  /** Documents enqueued again while being indexed: looked at again when that run ends. */
  private readonly again = new Set<number>();
  private controller = new AbortController();
  private started = false;

  constructor(
    private readonly storage: Storage,
    private readonly grounding: Pick<GroundingService, "indexDocument">,
    private readonly options: IndexerOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    options.shared?.jobs.onStop(() => this.controller.abort());
  }

  /** PostgreSQL: this process's workers on the shared indexing queue. */
  private queueWorkers: Workers | null = null;

  /** Starts indexing every document left unfinished by an earlier run; later uploads are indexed as they come. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.controller = new AbortController();
    if (this.options.shared) await this.startShared(this.options.shared);
    const unfinished = await this.storage.corpora.listUnfinishedDocuments();
    if (unfinished.length > 0) this.log.info({ documents: unfinished.length }, "indexing corpus documents left unfinished by the last run");
    // enqueue does nothing once stop() was called meanwhile.
    for (const row of unfinished) this.enqueue(row.id);
  }

  /**
   * Indexes a corpus document in the background (once: a document already being indexed is left
   * to that run, which looks at it again when it ends — it may have been set back to "uploaded"
   * meanwhile, a failed document uploaded again).
   */
  enqueue(corpusDocumentId: number): void {
    if (!this.started) return;
    if (this.options.shared) {
      this.send(this.options.shared, corpusDocumentId).catch((error: unknown) => {
        // Picked up at the next start of any process (it lists the unfinished documents).
        if (!this.controller.signal.aborted) this.log.error({ err: error, corpus_document_id: corpusDocumentId }, "queueing a document for indexing failed");
      });
      return;
    }
    if (this.running.has(corpusDocumentId)) {
      this.again.add(corpusDocumentId);
      return;
    }
    const job = this.index(corpusDocumentId, this.controller.signal)
      .catch((error: unknown) => {
        // A write cut short by the storage closing (after stop) is picked up at the next start.
        if (this.storage.isOpen) this.log.error({ err: error, corpus_document_id: corpusDocumentId }, "indexing failed unexpectedly");
      })
      .finally(() => {
        this.running.delete(corpusDocumentId);
        if (this.again.delete(corpusDocumentId)) this.enqueue(corpusDocumentId);
      });
    this.running.set(corpusDocumentId, job);
  }

  /** Stops: pauses end at once, work in progress finishes; what is unfinished is picked up at the next start. */
  async stop(): Promise<void> {
    this.started = false;
    this.again.clear();
    this.controller.abort();
    if (this.options.shared) await this.options.shared.jobs.stop();
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Resolves when nothing is being indexed (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private async startShared(shared: SharedIndexingOptions): Promise<void> {
    this.queueWorkers = await shared.jobs.serve<IndexingData>(
      {
        name: INDEXING_QUEUE,
        deadLetter: INDEXING_DEAD_LETTER_QUEUE,
        // At most one waiting job per document (singletonKey): enqueueing again while one waits is a no-op.
        policy: "short",
        retryLimit: Math.max(0, shared.maxAttempts - 1),
        leaseSeconds: shared.leaseSeconds,
        concurrency: SHARED_CONCURRENCY,
        pollingSeconds: shared.pollingSeconds,
      },
      async (job) => {
        if (this.controller.signal.aborted) throw new Error("the server is stopping; the document is indexed again");
        await this.index(job.data.corpusDocumentId, this.controller.signal);
        // Stopped during the pause before indexing: offered again (the document is not indexed yet).
        if (this.controller.signal.aborted) throw new Error("the server stopped; the document is indexed again");
      },
      async ({ corpusDocumentId: id }) => {
        const entry = await this.storage.corpora.getDocument(id);
        if (!entry || entry.is_failed || entry.step === "completed") return;
        this.log.warn({ corpus_document_id: id }, "indexing a corpus document was interrupted too often; marking it failed");
        await this.storage.corpora.setFailed(id, indexingLost(shared.maxAttempts));
      },
    );
  }

  private async send(shared: SharedIndexingOptions, corpusDocumentId: number): Promise<void> {
    await shared.jobs.boss.send(INDEXING_QUEUE, { corpusDocumentId } satisfies IndexingData, { singletonKey: String(corpusDocumentId) });
    this.queueWorkers?.wake();
  }

  private async index(id: number, signal: AbortSignal): Promise<void> {
    if (this.options.delayMs > 0) {
      const slept = await sleep(this.options.delayMs, true, { signal }).catch(() => false);
      if (!slept) return;
    }
    if (signal.aborted) return;
    const entry = await this.storage.corpora.getDocument(id);
    if (!entry || entry.is_failed || entry.step === "completed") return;
    await this.storage.corpora.setStep(id, "processing");
    const document = await this.storage.documents.get(entry.document_id);
    if (!document) {
      await this.storage.corpora.setFailed(id, "The document's file is no longer stored on the server. Upload it again.");
      return;
    }
    try {
      await this.grounding.indexDocument(document);
    } catch (error) {
      const reason = (error as Error).message || "The file could not be read.";
      this.log.warn({ corpus_document_id: id, reason }, "a corpus document could not be indexed");
      await this.storage.corpora.setFailed(id, reason);
      return;
    }
    // Finished work is recorded even when the server is stopping (stop() waits for it).
    await this.storage.corpora.setStep(id, "completed");
  }
}
