// Reading a stored .docx into paragraphs (and writing a generated one), off the main thread: a small pool of worker threads
// (workers/docx-worker.cjs), started on first use and ended after WORKER_IDLE_MS with nothing to
// do (a long document's parse leaves a large heap behind), each reading one file at a time;
// requests wait in order when all are busy. With 0 workers (SIDECAR_DOCX_WORKERS=0) files are read in-process,
// as before. A worker that dies fails the read it was doing (the caller sees the error) and is
// replaced for the next one.
import path from "node:path";
import { Worker } from "node:worker_threads";
import { DocxRejectedError, inspectDocx, type DocxLimits, type DocxProblem } from "../docx/inspect-docx";
import { readDocxParagraphs, type DocxParagraph } from "../docx/paragraphs";
import { writeGeneratedDocx, type DocxToWrite } from "../docx/write-docx";
import type { NewPassage, PassageStore } from "../storage/passage-store";
import type { TermStore } from "../storage/term-store";
import { corpusTerms, textOfPassages } from "./batch/keywords";
import { splitIntoPassages } from "./generation/passages";
import { uploadedOutlineParts, type OutlineParts } from "./sections/outline-cache";

/** What one reading of a document gives for the database: its outline, passages and distinct terms. */
export interface Ingested {
  outline: OutlineParts;
  passages: NewPassage[];
  /** Its distinct terms, for the tagging corpus. */
  terms: string[];
}

/** Cuts a document's paragraphs into what `ingest` gives (where it was read: a worker, or here). */
export function ingestedOf(paragraphs: DocxParagraph[]): Ingested {
  const passages = splitIntoPassages(paragraphs);
  return { outline: uploadedOutlineParts(paragraphs), passages, terms: [...corpusTerms(textOfPassages(passages))] };
}

/** Stores what one reading of a document gave: its passages (and their index) and its terms for the tagging corpus. */
export async function saveIngested(
  stores: { passages: PassageStore; terms: TermStore },
  document: { documentId: string; organizationId: string },
  ingested: Ingested,
): Promise<void> {
  await stores.passages.save(document.documentId, ingested.passages);
  await stores.terms.count(document.documentId, document.organizationId, ingested.terms);
}

export interface DocxReader {
  /** Checks that the file is a safe, readable .docx (DocxRejectedError with the reason when not). */
  check(filePath: string, limits: DocxLimits): Promise<void>;
  /** The file's paragraphs. */
  read(filePath: string, limits: DocxLimits): Promise<DocxParagraph[]>;
  /** The file's outline (sections and their text index), built where the file is read. */
  outline(filePath: string, limits: DocxLimits): Promise<OutlineParts>;
  /** The file's outline, passages and terms: one reading for all (saveIngested stores them). */
  ingest(filePath: string, limits: DocxLimits): Promise<Ingested>;
  /** A generated document's .docx file. */
  write(input: DocxToWrite): Promise<Buffer>;
  close(): Promise<void>;
}

/** Reads in the calling thread (tests; SIDECAR_DOCX_WORKERS=0). */
export const inProcessReader: DocxReader = {
  check: async (filePath, limits) => {
    await inspectDocx(filePath, limits);
  },
  read: (filePath, limits) => readDocxParagraphs(filePath, limits),
  outline: async (filePath, limits) => uploadedOutlineParts(await readDocxParagraphs(filePath, limits)),
  ingest: async (filePath, limits) => ingestedOf(await readDocxParagraphs(filePath, limits)),
  write: (input) => writeGeneratedDocx(input),
  close: async () => undefined,
};

interface Job {
  id: number;
  task: "check" | "read" | "outline" | "ingest" | "write";
  filePath?: string;
  limits?: DocxLimits;
  /** "write": the document to write. */
  input?: DocxToWrite;
  resolve: (result: never) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** Ends the worker when it has had nothing to do for a while (its memory goes with it). */
  idleTimer: NodeJS.Timeout | null;
}

/** A worker with nothing to do for this long ends; the next read starts a new one (~0.2 s). */
export const WORKER_IDLE_MS = 2000;

interface WorkerError {
  name: string;
  message: string;
  code?: string;
  problem?: DocxProblem;
}

/** The error a worker reported, as the error the in-process reader would have thrown. */
function revive(error: WorkerError): Error {
  if (error.name === "DocxRejectedError" && error.problem) return new DocxRejectedError(error.problem, error.message);
  const revived = new Error(error.message) as NodeJS.ErrnoException;
  revived.name = error.name;
  if (error.code) revived.code = error.code;
  return revived;
}

const WORKER_FILE = path.join(__dirname, "..", "workers", "docx-worker.cjs");

export class DocxWorkerPool implements DocxReader {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly idleMs = WORKER_IDLE_MS,
  ) {}

  check(filePath: string, limits: DocxLimits): Promise<void> {
    return this.submit<void>({ task: "check", filePath, limits });
  }

  read(filePath: string, limits: DocxLimits): Promise<DocxParagraph[]> {
    return this.submit<DocxParagraph[]>({ task: "read", filePath, limits });
  }

  outline(filePath: string, limits: DocxLimits): Promise<OutlineParts> {
    return this.submit<OutlineParts>({ task: "outline", filePath, limits });
  }

  ingest(filePath: string, limits: DocxLimits): Promise<Ingested> {
    return this.submit<Ingested>({ task: "ingest", filePath, limits });
  }

  async write(input: DocxToWrite): Promise<Buffer> {
    const bytes = await this.submit<Uint8Array>({ task: "write", input });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private submit<T>(work: Omit<Job, "id" | "resolve" | "reject">): Promise<T> {
    if (this.closed) return Promise.reject(new Error("The document reader has stopped (the server is shutting down)."));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ ...work, id: this.nextId++, resolve: resolve as (result: never) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) if (slot.idleTimer) clearTimeout(slot.idleTimer);
    for (const job of this.waiting.splice(0)) job.reject(new Error("The document reader has stopped (the server is shutting down)."));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((candidate) => candidate.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.waiting.shift() as Job;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.job = job;
      slot.worker.postMessage({
        id: job.id,
        task: job.task,
        filePath: job.filePath,
        limits: job.limits,
        input: job.input,
      });
    }
  }

  /** A worker that just finished: it waits for the next job, and ends if none comes soon. */
  private idle(slot: Slot): void {
    if (slot.job || slot.idleTimer) return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = null;
      if (slot.job || this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      slot.worker.removeAllListeners("exit");
      void slot.worker.terminate();
    }, this.idleMs);
    slot.idleTimer.unref();
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_FILE), job: null, idleTimer: null };
    slot.worker.unref();
    slot.worker.on("message", (message: { id: number; result?: unknown; error?: WorkerError }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = null;
      if (message.error) job.reject(revive(message.error));
      else job.resolve(message.result as never);
      this.dispatch();
      this.idle(slot);
    });
    const fail = (error: unknown) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      const job = slot.job;
      slot.job = null;
      job?.reject(error instanceof Error ? error : new Error(`The document reader stopped unexpectedly (${String(error)}).`));
      if (!this.closed) this.dispatch();
    };
    slot.worker.on("error", fail);
    slot.worker.on("exit", (code) => {
      if (!this.closed) fail(new Error(`The document reader stopped unexpectedly (exit code ${code}).`));
    });
    this.slots.push(slot);
    return slot;
  }
}

export function docxReader(workers: number): DocxReader {
  return workers > 0 ? new DocxWorkerPool(workers) : inProcessReader;
}
