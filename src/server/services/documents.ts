// Documents of an organization in the Artos shape (docs/api.md "Documents"): receive an upload,
// check it is a real .docx, keep it; list them (local and generated); one document with its
// sections; a generated document's status.
import type {
  DocumentDetail,
  DocumentSection,
  DocumentSummary,
  GenerationStatus,
  GenerationStatusResponse,
  UploadedDocument,
} from "../../shared/wire/documents";
import type { Config } from "../config";
import { HttpError } from "../errors";
import type { DocumentRow } from "../storage/document-row";
import type { Storage } from "../storage/storage";
import type { Caller } from "./auth";
import { tagsOf } from "./batch/wire";
import { inProcessReader, type DocxReader } from "./docx-reader";
import { receiveDocxCheckedBy, tooLargeError } from "./docx-upload";
import type { OutlineCache } from "./sections/outline-cache";

/** An entry of the documents list as this server answers it: every field, its own additions too. */
export type DocumentListItem = Required<DocumentSummary>;

/** One document as this server answers it (with its kind). */
export type FullDocumentDetail = Required<DocumentDetail>;

const MAX_NAME_LENGTH = 200;
const FALLBACK_NAME = "document.docx";

/**
 * The name a person sees for an upload, from the multipart filename: basename only, no control
 * or bidi-override characters, trimmed, at most 200 characters, ending in .docx. Only ever
 * stored and displayed; files on disk are named by the server.
 */
export function sanitizeDocumentName(filename: string | undefined): string {
  let name = (filename ?? "").normalize("NFC");
  name = name.split(/[/\\]/).pop() ?? "";
  // Control characters (C0, DEL, C1) and the bidi controls that can disguise an extension.
  name = name.replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, "");
  name = name.trim();
  const hasExtension = /\.docx$/i.test(name);
  const extension = hasExtension ? name.slice(-".docx".length) : ".docx";
  // No leading dots: a name never turns into a hidden file or "..".
  let stem = (hasExtension ? name.slice(0, -".docx".length) : name).replace(/^[.\s]+/, "").trim();
  if (!stem) return FALLBACK_NAME;
  const codePoints = Array.from(stem);
  const room = MAX_NAME_LENGTH - extension.length;
  if (codePoints.length > room) stem = codePoints.slice(0, room).join("").trimEnd();
  return `${stem}${extension}`;
}

/** Artos timestamps: "YYYY-MM-DD HH:MM:SS.ffffff", UTC, no zone. */
export function artosTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString(); // 2024-01-25T12:00:00.000Z
  return `${text.slice(0, 10)} ${text.slice(11, 23)}000`;
}

function templateOf(row: DocumentRow): DocumentListItem["template"] {
  if (!row.template_json) return null;
  try {
    const template = JSON.parse(row.template_json) as { template_id?: unknown; template_name?: unknown };
    if (typeof template.template_id === "string" && typeof template.template_name === "string") {
      return { template_id: template.template_id, template_name: template.template_name };
    }
  } catch {
    /* fall through */
  }
  return null;
}

/** A document of the caller's organization: 404 when there is none, 403 when it is another's. */
export async function readableDocument(storage: Storage, caller: Caller, documentId: string, often = false): Promise<DocumentRow> {
  // `often`: a read made on every selection change (the Sources panel), which may come from memory.
  const row = await (often ? storage.documents.getOften(documentId) : storage.documents.get(documentId));
  if (!row) {
    throw new HttpError(404, `There is no document with the id "${documentId}". Check the id, or pick the document from the documents list.`);
  }
  if (row.organization_id !== caller.organizationId) {
    throw new HttpError(403, "This document belongs to another organization; you cannot open it. Sign in with an account of that organization.");
  }
  return row;
}

export class DocumentService {
  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<Config, "maxUploadBytes" | "maxUnpackedBytes" | "maxZipEntries">,
    private readonly outlines: OutlineCache,
    private readonly reader: DocxReader = inProcessReader,
  ) {}

  /**
   * Streams an uploaded file to disk, checks it, and keeps it as a local document. `created`
   * false means the same bytes under the same name were already there (that record is returned).
   * Whatever goes wrong, no temp file and no row are left behind.
   */
  async uploadLocal(
    caller: Caller,
    upload: { filename: string | undefined; content: AsyncIterable<Buffer>; truncated: () => boolean },
  ): Promise<{ document: UploadedDocument; created: boolean }> {
    const documentName = sanitizeDocumentName(upload.filename);
    const { received } = await receiveDocxCheckedBy(this.reader, this.storage, this.config, upload);
    try {
      const { document, created } = await this.storage.documents.storeLocal({
        tempPath: received.tempPath,
        organizationId: caller.organizationId,
        uploadedBy: caller.userId,
        documentName,
        sha256: received.sha256,
        sizeBytes: received.sizeBytes,
      });
      // Read once, now (in a worker): its passages stored and indexed, its paragraphs kept for its
      // outline, so the first question or Sources request on it reads nothing. A document that
      // can't be read this way is still kept: it is read again (and the reason given) when used.
      if (created) await this.outlines.ingest(document).catch(() => undefined);
      return {
        document: {
          document_id: document.document_id,
          document_name: document.document_name,
          s3_key: document.s3_key,
          status: "Ready",
        },
        created,
      };
    } finally {
      this.storage.files.discardTemp(received.tempPath);
    }
  }

  tooLarge(): HttpError {
    return tooLargeError(this.config);
  }

  /** A page of the caller's organization's documents, newest first. */
  async list(caller: Caller, limit: number, offset: number): Promise<{ documents: DocumentListItem[]; total: number }> {
    const page = await this.storage.documents.listPage(caller.organizationId, limit, offset);
    return { documents: page.rows.map((row) => this.listItem(row)), total: page.total };
  }

  private listItem(row: DocumentRow): DocumentListItem {
    return {
      document_id: row.document_id,
      document_name: row.document_name,
      s3_key: row.s3_key,
      created_at: artosTimestamp(row.created_at),
      updated_at: artosTimestamp(row.updated_at),
      workspace_id: row.workspace_id,
      template: templateOf(row),
      size_bytes: row.size_bytes,
      kind: row.kind as DocumentListItem["kind"],
      status: row.status,
      tags: tagsOf(row.tags_json),
    };
  }

  private readable(caller: Caller, documentId: string): Promise<DocumentRow> {
    return readableDocument(this.storage, caller, documentId);
  }

  /** Generation status (docs/api.md); a local document is simply Ready. */
  async status(caller: Caller, documentId: string): Promise<GenerationStatusResponse> {
    const row = await this.readable(caller, documentId);
    const job = row.kind === "generated" ? await this.storage.generation.getJob(documentId) : undefined;
    const status = row.status as GenerationStatus;
    const answer: GenerationStatusResponse = {
      task_id: row.document_id,
      status,
      progress: job ? (status === "Ready" ? 100 : job.progress) : status === "Ready" ? 100 : null,
      error: status === "Failed" ? (job?.error ?? "Generation failed.") : null,
    };
    if (!job) return answer;
    // How long it took stays known after the fact: from the request to its end (a restart's retry included).
    const finished = status === "Ready" || status === "Failed";
    return { ...answer, queued_at: job.queued_at, finished_at: finished ? (job.finished_at ?? row.updated_at) : null };
  }

  /**
   * One document with its sections: a generated document's template sections (empty until it is
   * Ready); a local document's headings — the same sections, ids and titles as
   * get-sections-for-document (docx/outline.ts). Each section's text only when asked for
   * (`sectionText`: `?include=section_text`).
   */
  async get(caller: Caller, documentId: string, { sectionText = false }: { sectionText?: boolean } = {}): Promise<FullDocumentDetail> {
    const row = await this.readable(caller, documentId);
    let sections: DocumentSection[];
    if (row.kind === "generated") {
      sections = (await this.storage.generation.sections(documentId)).map((section) => ({
        section_id: section.section_id,
        section_title: section.section_title,
        section_order: section.section_order,
        ...(sectionText ? { text: section.text } : {}),
      }));
    } else {
      sections = await this.headingsOf(row, sectionText);
    }
    return {
      document_id: row.document_id,
      document_name: row.document_name,
      status: row.status,
      s3_key: row.s3_key,
      workspace_id: row.workspace_id,
      template: templateOf(row),
      created_at: artosTimestamp(row.created_at),
      updated_at: artosTimestamp(row.updated_at),
      kind: row.kind as FullDocumentDetail["kind"],
      sections,
    };
  }

  private async headingsOf(row: DocumentRow, sectionText: boolean): Promise<DocumentSection[]> {
    const outline = await this.outlines.outline(row);
    return outline.sections.map(({ section_id, section_title, section_order, text }) => ({ section_id, section_title, section_order, ...(sectionText ? { text } : {}) }));
  }
}
