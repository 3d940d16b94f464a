// Reading a stored .docx into paragraphs, off the main thread: a small pool of worker threads
// (workers/docx-worker.cjs), started on first use, each reading one file at a time; requests wait
// in order when all are busy. With 0 workers (SIDECAR_DOCX_WORKERS=0) files are read in-process,
// as before. A worker that dies fails the read it was doing (the caller sees the error) and is
// replaced for the next one.
import path from "node:path";
import { Worker } from "node:worker_threads";
import { DocxRejectedError, type DocxLimits, type DocxProblem } from "../docx/inspect-docx";
import { readDocxParagraphs, type DocxParagraph } from "../docx/paragraphs";
import type { PassageStore } from "../storage/passage-store";
import { splitIntoPassages } from "./generation/passages";

export interface DocxReader {
  /** The file's paragraphs. */
  read(filePath: string, limits: DocxLimits): Promise<DocxParagraph[]>;
  /** The file's paragraphs, its passages stored (and indexed) for the document on the way. */
  ingest(filePath: string, limits: DocxLimits, target: { dbPath: string; documentId: string; passages: PassageStore }): Promise<DocxParagraph[]>;
  close(): Promise<void>;
}

/** Reads in the calling thread (tests; SIDECAR_DOCX_WORKERS=0). */
export const inProcessReader: DocxReader = {
  read: (filePath, limits) => readDocxParagraphs(filePath, limits),
  ingest: async (filePath, limits, target) => {
    const paragraphs = await readDocxParagraphs(filePath, limits);
    target.passages.save(target.documentId, splitIntoPassages(paragraphs));
    return paragraphs;
  },
  close: async () => undefined,
};

interface Job {
  id: number;
  task: "read" | "ingest";
  filePath: string;
  limits: DocxLimits;
  dbPath?: string;
  documentId?: string;
  resolve: (paragraphs: DocxParagraph[]) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

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

  constructor(private readonly size: number) {}

  read(filePath: string, limits: DocxLimits): Promise<DocxParagraph[]> {
    return this.submit({ task: "read", filePath, limits });
  }

  ingest(filePath: string, limits: DocxLimits, target: { dbPath: string; documentId: string }): Promise<DocxParagraph[]> {
    return this.submit({ task: "ingest", filePath, limits, dbPath: target.dbPath, documentId: target.documentId });
  }

  private submit(work: Omit<Job, "id" | "resolve" | "reject">): Promise<DocxParagraph[]> {
    if (this.closed) return Promise.reject(new Error("The document reader has stopped (the server is shutting down)."));
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...work, id: this.nextId++, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error("The document reader has stopped (the server is shutting down)."));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((candidate) => candidate.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.waiting.shift() as Job;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, task: job.task, filePath: job.filePath, limits: job.limits, dbPath: job.dbPath, documentId: job.documentId });
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_FILE), job: null };
    slot.worker.unref();
    slot.worker.on("message", (message: { id: number; paragraphs?: DocxParagraph[]; error?: WorkerError }) => {
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      slot.job = null;
      if (message.error) job.reject(revive(message.error));
      else job.resolve(message.paragraphs ?? []);
      this.dispatch();
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
