// A cited file by its storage name (docs/api.md "Citations"; Ejento A5.6, A7 "Get Citation File
// Content"): a reference's `url` that is not an http(s) link is the s3_key of the document the
// passage comes from; GET /api/v2/citation/{name} answers that document's bytes to anyone of its
// organization. Anything else — unknown, another organization's, not stored — is 404.
import { HttpError } from "../../errors";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";

export interface CitedFile {
  /** The document's file, whole (read from the file store: a directory, or the database). */
  bytes: Buffer;
  documentName: string;
  sizeBytes: number;
}

export class CitationService {
  constructor(private readonly storage: Storage) {}

  async open(caller: Caller, name: string): Promise<CitedFile> {
    const document = name ? await this.storage.documents.findByS3Key(name) : undefined;
    const bytes = document && document.organization_id === caller.organizationId ? await this.storage.files.read(document) : null;
    if (!document || !bytes) {
      throw new HttpError(404, `There is no cited file ${JSON.stringify(name)} that your organization can read.`);
    }
    return { bytes, documentName: document.document_name, sizeBytes: bytes.length };
  }
}
