// Presigned file URLs (docs/vendors.md Artos §5.3): POST /generate-presigned-url {key} → an absolute URL that
// serves the document's bytes with no auth header until it expires.
//
//   <base>/files/<key>?expires=<unix seconds>&signature=<base64url HMAC-SHA256(secret, key \n expires)>
//
// The secret is made once and kept in the database, so URLs stay valid across restarts. A URL
// whose key, expiry or signature was changed → 403; one past its expiry → 410.
import { createHmac } from "node:crypto";
import { endpoints } from "../../shared/contract/endpoints";
import type { PresignedUrlResponse, SignedFileQuery } from "../../shared/wire/documents";
import type { Config } from "../config";
import { HttpError } from "../errors";
import type { Storage } from "../storage/storage";
import type { Caller } from "./auth";
import { secretsEqual } from "./tokens";

const SECRET_NAME = "presigned-url-hmac";

export interface SignedFile {
  bytes: Buffer;
  documentName: string;
}

/** "/files/{key}" with the key's segments encoded (its slashes kept). */
export function filePathFor(key: string): string {
  return endpoints.signedFile.path.replace("{key}", key.split("/").map(encodeURIComponent).join("/"));
}

export class PresignService {
  /** The HMAC key, read (or made) the first time it is needed. */
  private secretValue: Promise<string> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<Config, "presignTtlSeconds">,
    /** The server's clock (epoch ms); tests set it instead of waiting for URLs to expire. */
    private readonly clock: () => number = Date.now,
  ) {}

  private secret(): Promise<string> {
    if (!this.secretValue) {
      const secret = this.storage.serverSecret(SECRET_NAME);
      // A failed read is not kept: the next call asks again.
      secret.catch(() => {
        if (this.secretValue === secret) this.secretValue = undefined;
      });
      this.secretValue = secret;
    }
    return this.secretValue;
  }

  async signature(key: string, expires: number): Promise<string> {
    return createHmac("sha256", await this.secret()).update(`${key}\n${expires}`, "utf8").digest("base64url");
  }

  /** The path and query of a signed URL for `key`, valid until `expires` (unix seconds). */
  async signedPath(key: string, expires: number): Promise<string> {
    return `${filePathFor(key)}?expires=${expires}&signature=${await this.signature(key, expires)}`;
  }

  /** POST /generate-presigned-url: the caller's organization must have a Ready document at `key`. */
  async presign(caller: Caller, key: string, baseUrl: string, now = this.clock()): Promise<Required<PresignedUrlResponse>> {
    const document = await this.storage.documents.findByS3Key(key);
    if (!document || document.organization_id !== caller.organizationId) {
      throw new HttpError(404, `Your organization has no document with the key "${key}". Use the s3_key from the documents list.`);
    }
    if (document.status !== "Ready" || !document.stored_file_name) {
      throw new HttpError(409, `The document "${document.document_name}" is not ready yet (status ${document.status}); ask for its URL once it is Ready.`);
    }
    const expires = Math.floor(now / 1000) + this.config.presignTtlSeconds;
    return { url: `${baseUrl}${await this.signedPath(key, expires)}`, expires_at: new Date(expires * 1000).toISOString() };
  }

  /** GET /files/{key}: checks the signature, then the expiry, and reads the file. */
  async open(key: string, query: SignedFileQuery, now = this.clock()): Promise<SignedFile> {
    const expiresText = query.expires ?? "";
    const signature = query.signature ?? "";
    if (!/^\d{1,12}$/.test(expiresText) || !signature) {
      throw new HttpError(403, "This file link is incomplete: it needs its expires and signature parameters. Ask Sidecar for a new link.");
    }
    const expires = Number(expiresText);
    if (!secretsEqual(signature, await this.signature(key, expires))) {
      throw new HttpError(403, "This file link is not valid: it was changed or was not made by this server. Ask Sidecar for a new link.");
    }
    if (expires * 1000 <= now) {
      throw new HttpError(410, "This file link has expired. Ask Sidecar for a new link (links last an hour).");
    }
    const document = await this.storage.documents.findByS3Key(key);
    const bytes = document ? await this.storage.files.read(document) : null;
    if (!document || !bytes) {
      throw new HttpError(404, "The file behind this link is no longer stored on the server.");
    }
    return { bytes, documentName: document.document_name };
  }
}
