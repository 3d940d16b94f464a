// Indexing documents uploaded into a corpus (docs/api.md "Grounding", Ejento A6), in the
// background: after an optional pause (SIDECAR_INDEXING_DELAY_MS, so tests and demos can watch
// the step) a document goes `uploaded` → `processing`, its passages are extracted the way chat
// grounding extracts them, and it ends `completed`, or failed (`is_failed`, with the reason in
// `error`) when its file can't be read. A document not finished when the server stops is indexed
// again at the next start: never stuck.
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { Storage } from "../../storage/storage";
import type { GroundingService } from "./grounding";

export interface IndexerOptions {
  delayMs: number;
}

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
  ) {}

  /** Starts indexing every document left unfinished by an earlier run; later uploads are indexed as they come. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.controller = new AbortController();
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
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Resolves when nothing is being indexed (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
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
