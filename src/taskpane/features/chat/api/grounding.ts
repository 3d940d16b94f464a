// "Ground in this document", the Ejento way (docs/api.md "Grounding in the open document";
// docs/vendors.md, Ejento A6): the open document goes into a corpus of its own through the
// indexing service, the pane waits until it is indexed, links the corpus to the conversation's
// thread and asks with `overrides.corpus_ids`. The corpus and document ids are kept, with a hash
// of the file's bytes, in the document's settings: an unchanged document is not uploaded again;
// a changed one goes into a new corpus (so answers never cite an older version).
import { isApiError } from "../../../api/api-error";
import { t } from "../../../i18n";
import { ejentoData, requireFields, type HttpClient } from "../../../api/http-client";
import { getMe } from "../../connection/api/get-me";
import type { DocumentHost } from "../../../office/document-host";
import { DOCX_MIME_TYPE } from "../../../office/docx-bytes";
import { CORPUS_UPLOAD_FILE_FIELD } from "../../../../shared/contract/endpoints";
import type { CreateCorpusRequest } from "../../../../shared/wire/chat";

/** Where the document remembers its corpus (per Ejento address). */
export const GROUNDING_SETTING = "sidecar.grounding";

export interface GroundingRecord {
  /** The Ejento address the corpus lives at. */
  server: string;
  corpusId: string;
  documentId: string;
  /** SHA-256 of the file's bytes when it was uploaded. */
  hash: string;
}

export type GroundingPhase = "reading" | "uploading" | "indexing" | "linking";
export interface GroundingProgress {
  phase: GroundingPhase;
  /** 0..1 while uploading; undefined otherwise. */
  fraction?: number;
}

export interface GroundingOptions {
  /** The thread the corpus is linked to. */
  threadId: string;
  signal?: AbortSignal;
  onProgress?: (progress: GroundingProgress) => void;
  /** How often to ask whether indexing finished, and for how long at most. */
  pollMs?: number;
  maxWaitMs?: number;
}

export class GroundingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GroundingError";
  }
}

async function sha256(blob: Blob): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return "";
  const digest = await subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason ?? new DOMException("Aborted", "AbortError"));
      },
      { once: true },
    );
  });

interface IndexingState {
  step: string;
  failed: boolean;
  error?: string;
}

async function indexingState(client: HttpClient, documentId: string, signal?: AbortSignal): Promise<IndexingState> {
  const data = requireFields<{ step: unknown; is_failed?: unknown; error?: unknown }>(
    ejentoData(await client.request("getCorpusDocument", { params: { document_id: documentId }, signal }), "getCorpusDocument"),
    ["step"],
    "getCorpusDocument",
  );
  return { step: String(data.step), failed: data.is_failed === true, error: typeof data.error === "string" ? data.error : undefined };
}

/** Waits until the document is indexed (`step: completed`); a failure or a timeout is a GroundingError. */
async function waitForIndexing(client: HttpClient, documentId: string, options: GroundingOptions): Promise<void> {
  const pollMs = options.pollMs ?? 1000;
  const deadline = Date.now() + (options.maxWaitMs ?? 180_000);
  for (;;) {
    const state = await indexingState(client, documentId, options.signal);
    if (state.failed) throw new GroundingError(state.error ? t("chat.indexingFailedBecause", { reason: state.error }) : t("chat.indexingFailed"));
    if (state.step === "completed") return;
    if (Date.now() >= deadline) throw new GroundingError(t("chat.indexingTooLong"));
    await sleep(pollMs, options.signal);
  }
}

/** The saved corpus, if it still holds this very file, indexed (or being indexed) for this person. */
async function reusable(client: HttpClient, saved: GroundingRecord | undefined, server: string, hash: string, options: GroundingOptions): Promise<GroundingRecord | undefined> {
  if (!saved || saved.server !== server || !hash || saved.hash !== hash) return undefined;
  try {
    const state = await indexingState(client, saved.documentId, options.signal);
    return state.failed ? undefined : saved;
  } catch (error) {
    // Gone, or someone else's (a shared document): index it anew for this person.
    if (isApiError(error) && (error.kind === "not_found" || error.kind === "forbidden")) return undefined;
    throw error;
  }
}

/**
 * Makes sure the open document is indexed in a corpus linked to `threadId`; the corpus id to
 * send in `overrides.corpus_ids`. Throws (ApiError, GroundingError, or an Office error) with words
 * a person can act on; an abort rejects with the signal's reason.
 */
export async function groundOpenDocument(host: DocumentHost, client: HttpClient, options: GroundingOptions): Promise<string> {
  const { signal, onProgress } = options;
  onProgress?.({ phase: "reading" });
  const name = await host.getDocumentName();
  const read = await host.readDocument({ signal });
  const file = read.type === DOCX_MIME_TYPE ? read : new Blob([read], { type: DOCX_MIME_TYPE });
  const hash = await sha256(file);
  const server = client.serverLabel("ejento");
  const saved = await host.getSetting<GroundingRecord>(GROUNDING_SETTING).catch(() => undefined);

  let record = await reusable(client, saved, server, hash, options);
  if (!record) {
    const corpusRequest: CreateCorpusRequest = {
      name: `Sidecar — ${name}`.slice(0, 200),
      description: "The document open in Word, indexed by Sidecar to ground answers in it.",
      indexing_mode_id: 3,
      corpus_type: "attachment",
    };
    const corpus = requireFields<{ id: unknown }>(
      ejentoData(await client.request("createCorpus", { body: corpusRequest, signal }), "createCorpus"),
      ["id"],
      "createCorpus",
    );
    const me = await getMe(client);
    onProgress?.({ phase: "uploading", fraction: 0 });
    const form = new FormData();
    form.append("user_id", me.id);
    form.append("content_type", "file");
    form.append("upload_from", "web");
    form.append("attachment", "true");
    form.append(CORPUS_UPLOAD_FILE_FIELD, file, name);
    const uploaded = requireFields<{ id: unknown }>(
      ejentoData(
        await client.request("uploadCorpusDocument", {
          params: { corpus_id: String(corpus.id) },
          body: form,
          signal,
          onUploadProgress: (sent, total) => onProgress?.({ phase: "uploading", fraction: total ? sent / total : undefined }),
        }),
        "uploadCorpusDocument",
      ),
      ["id"],
      "uploadCorpusDocument",
    );
    record = { server, corpusId: String(corpus.id), documentId: String(uploaded.id), hash };
  }
  onProgress?.({ phase: "indexing" });
  await waitForIndexing(client, record.documentId, options);
  if (record !== saved) {
    // Remembering it only saves a later upload; failing to is not worth stopping the question for.
    await host.setSetting(GROUNDING_SETTING, record).catch(() => undefined);
  }
  onProgress?.({ phase: "linking" });
  ejentoData(
    await client.request("linkThreadCorpus", { params: { thread_id: options.threadId, corpus_id: record.corpusId }, signal }),
    "linkThreadCorpus",
  );
  return record.corpusId;
}

/** What the pane says while a phase runs. */
export function groundingPhaseLabel(phase: GroundingPhase): string {
  switch (phase) {
    case "reading":
      return t("chat.phaseReading");
    case "uploading":
      return t("chat.phaseUploading");
    case "linking":
      return t("chat.phaseLinking");
    default:
      return t("chat.phaseIndexing");
  }
}
