// A row of the documents table — uploaded (kind "local") and generated (kind "generated")
// documents alike — and the one way a new one is made, so the two stores that add documents
// (document-store.ts for uploads, generation-store.ts for generated ones) build it the same way.
import type { Sql } from "./sql";
import { nowIso } from "./util";

export interface DocumentRow {
  document_id: string;
  organization_id: string;
  kind: string;
  document_name: string;
  s3_key: string;
  stored_file_name: string | null;
  sha256: string | null;
  size_bytes: number | null;
  status: string;
  workspace_id: string | null;
  template_json: string | null;
  uploaded_by: string | null;
  created_at: string;
  updated_at: string;
  /** JSON array of the tags the last batch tagging saved; null = never tagged. */
  tags_json?: string | null;
  tagged_at?: string | null;
}

/** The storage key of a document's file (its `s3_key`), as Artos names them. */
export function documentS3Key(organizationId: string, documentId: string): string {
  return `${organizationId}/documents/${documentId}.docx`;
}

/** A new row: its key from its organization and id, created and updated now; the rest as given. */
export function newDocumentRow(
  fields: Pick<DocumentRow, "document_id" | "organization_id" | "kind" | "document_name" | "status" | "uploaded_by"> &
    Partial<Pick<DocumentRow, "stored_file_name" | "sha256" | "size_bytes" | "workspace_id" | "template_json">>,
): DocumentRow {
  const now = nowIso();
  return {
    stored_file_name: null,
    sha256: null,
    size_bytes: null,
    workspace_id: null,
    template_json: null,
    ...fields,
    s3_key: documentS3Key(fields.organization_id, fields.document_id),
    created_at: now,
    updated_at: now,
  };
}

/** The one INSERT of a documents row. */
export async function insertDocumentRow(sql: Sql, document: DocumentRow): Promise<void> {
  await sql.run(
    `INSERT INTO documents (document_id, organization_id, kind, document_name, s3_key, stored_file_name,
       sha256, size_bytes, status, workspace_id, template_json, uploaded_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      document.document_id,
      document.organization_id,
      document.kind,
      document.document_name,
      document.s3_key,
      document.stored_file_name,
      document.sha256,
      document.size_bytes,
      document.status,
      document.workspace_id,
      document.template_json,
      document.uploaded_by,
      document.created_at,
      document.updated_at,
    ],
  );
}
