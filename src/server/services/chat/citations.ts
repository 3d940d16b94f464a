// A cited file by its storage name (docs/api.md "Citations"; Ejento A5.6, A7 "Get Citation File
// Content"): a reference's `url` that is not an http(s) link is the s3_key of the document the
// passage comes from; GET /api/v2/citation/{name} answers that document's bytes to anyone of its
// organization. Anything else — unknown, another organization's, not stored — is 404.
import fs from "node:fs";
import { HttpError } from "../../errors";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";

export interface CitedFile {
  filePath: string;
  documentName: string;
  sizeBytes: number;
}

export class CitationService {
  constructor(private readonly storage: Storage) {}

  open(caller: Caller, name: string): CitedFile {
    const document = name ? this.storage.documents.findByS3Key(name) : undefined;
    const filePath = document && document.organization_id === caller.organizationId ? this.storage.files.pathOf(document) : null;
    let sizeBytes: number | null = null;
    if (filePath) {
      try {
        sizeBytes = fs.statSync(filePath).size;
      } catch {
        sizeBytes = null;
      }
    }
    if (!document || !filePath || sizeBytes === null) {
      throw new HttpError(404, `There is no cited file ${JSON.stringify(name)} that your organization can read.`);
    }
    return { filePath, documentName: document.document_name, sizeBytes };
  }
}
