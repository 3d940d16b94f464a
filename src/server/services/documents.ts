// Local documents: receive an upload, check it is a real .docx, keep it; list an organization's
// documents in the Artos shape (CONTRACT.md "Documents").
import type { Config } from "../config";
import { formatMegabytes } from "../config";
import { inspectDocx, DocxRejectedError } from "../docx/inspect-docx";
import { HttpError } from "../errors";
import type { DocumentRow, Storage } from "../storage/storage";
import type { Caller } from "./auth";

export interface UploadedDocument {
  document_id: string;
  document_name: string;
  s3_key: string;
  status: "Ready";
}

export interface DocumentListItem {
  document_id: string;
  document_name: string;
  created_at: string;
  updated_at: string;
  workspace_id: string | null;
  template: { template_id: string; template_name: string } | null;
  size_bytes: number | null;
  kind: string;
  tags: string[];
}

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

export class DocumentService {
  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<Config, "maxUploadBytes" | "maxUnpackedBytes" | "maxZipEntries">,
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
    const received = await this.storage.receiveUpload(upload.content);
    try {
      if (upload.truncated()) throw this.tooLarge();
      if (received.sizeBytes === 0) throw new HttpError(400, "The file is empty.");
      try {
        await inspectDocx(received.tempPath, {
          maxUnpackedBytes: this.config.maxUnpackedBytes,
          maxEntries: this.config.maxZipEntries,
        });
      } catch (error) {
        if (error instanceof DocxRejectedError) {
          throw new HttpError(error.problem === "too-large-unpacked" ? 413 : 400, error.message);
        }
        throw error;
      }
      const { document, created } = this.storage.storeLocalDocument({
        tempPath: received.tempPath,
        organizationId: caller.organizationId,
        uploadedBy: caller.userId,
        documentName,
        sha256: received.sha256,
        sizeBytes: received.sizeBytes,
      });
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
      this.storage.discardTempFile(received.tempPath);
    }
  }

  tooLarge(): HttpError {
    return new HttpError(
      413,
      `The file is too large: the limit is ${formatMegabytes(this.config.maxUploadBytes)}. Make the document smaller (for example, compress its pictures) and upload it again.`,
    );
  }

  list(caller: Caller): DocumentListItem[] {
    return this.storage.listDocuments(caller.organizationId).map((row) => ({
      document_id: row.document_id,
      document_name: row.document_name,
      created_at: artosTimestamp(row.created_at),
      updated_at: artosTimestamp(row.updated_at),
      workspace_id: row.workspace_id,
      template: templateOf(row),
      size_bytes: row.size_bytes,
      kind: row.kind,
      tags: [],
    }));
  }
}
