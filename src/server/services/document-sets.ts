// Document sets (workspaces, docs/vendors.md Artos §7), per organization. Creating a name the organization
// already has (compared without case) returns that set instead of a second one.
import type { CreateDocumentSetRequest, DocumentSet } from "../../shared/wire/document-sets";
import type { DocumentSetWithDocuments } from "../storage/document-set-store";
import type { Storage } from "../storage/storage";
import type { Caller } from "./auth";
import { DEMO_ORGANIZATION } from "./users";

export const DEMO_WORKSPACE = "Demo workspace";

function response(set: DocumentSetWithDocuments): DocumentSet {
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
  async ensureDemoWorkspace(): Promise<void> {
    const demo = await this.storage.users.findOrganizationByName(DEMO_ORGANIZATION);
    // Two processes starting at once may both get here: create() returns the set the other made.
    if (demo && (await this.storage.documentSets.count(demo.id)) === 0) {
      await this.storage.documentSets.create(demo.id, DEMO_WORKSPACE, null);
    }
  }

  async list(caller: Caller): Promise<DocumentSet[]> {
    return (await this.storage.documentSets.list(caller.organizationId)).map(response);
  }

  /** The name comes trimmed, its runs of spaces made one (src/shared/wire/document-sets.ts). */
  async create(caller: Caller, request: CreateDocumentSetRequest): Promise<{ set: DocumentSet; created: boolean }> {
    const { set, created } = await this.storage.documentSets.create(caller.organizationId, request.document_set_name, caller.userId);
    return { set: response(set), created };
  }
}
