// Document sets (workspaces, artos.md §7), per organization. Creating a name the organization
// already has (compared without case) returns that set instead of a second one.
import { HttpError } from "../errors";
import type { DocumentSetWithDocuments } from "../storage/document-set-store";
import type { Storage } from "../storage/storage";
import type { Caller } from "./auth";
import { DEMO_ORGANIZATION } from "./users";

export const DEMO_WORKSPACE = "Demo workspace";
const MAX_NAME_CHARS = 200;

export interface DocumentSetResponse {
  document_set_id: string;
  document_set_name: string;
  organization_id: string;
  details: string | null;
  documents: string[];
  version: number;
  created_at: string;
}

function response(set: DocumentSetWithDocuments): DocumentSetResponse {
  return {
    document_set_id: set.document_set_id,
    document_set_name: set.document_set_name,
    organization_id: set.organization_id,
    details: set.details,
    documents: set.documents,
    version: set.version,
    created_at: set.created_at,
  };
}

export class DocumentSetService {
  constructor(private readonly storage: Storage) {}

  /** The demo organization starts with one set, so generation works without any setup. */
  ensureDemoWorkspace(): void {
    const demo = this.storage.findOrganizationByName(DEMO_ORGANIZATION);
    if (demo && this.storage.documentSets.count(demo.id) === 0) {
      this.storage.documentSets.create(demo.id, DEMO_WORKSPACE, null);
    }
  }

  list(caller: Caller): DocumentSetResponse[] {
    return this.storage.documentSets.list(caller.organizationId).map(response);
  }

  create(caller: Caller, body: unknown): { set: DocumentSetResponse; created: boolean } {
    const name = (body as { document_set_name?: unknown } | null | undefined)?.document_set_name;
    if (typeof name !== "string" || name.trim() === "") {
      throw new HttpError(400, 'Give the document set a name: send JSON {"document_set_name": "..."} with a name that is not blank.');
    }
    const trimmed = name.trim().replace(/\s+/g, " ");
    if (Array.from(trimmed).length > MAX_NAME_CHARS) {
      throw new HttpError(400, `The document set name is too long: use at most ${MAX_NAME_CHARS} characters.`);
    }
    const { set, created } = this.storage.documentSets.create(caller.organizationId, trimmed, caller.userId);
    return { set: response(set), created };
  }
}
