// Schema migrations, applied in order; `PRAGMA user_version` records how many have run.
// Never edit a migration that has shipped: append a new one (later issues add generated
// documents, sections, sources, templates and jobs this way).
//
// Conventions: ids are TEXT (uuid); `*_at` columns holding moments people see are ISO-8601 UTC
// text (sortable); expiry moments compared on every request are INTEGER epoch milliseconds.

export const migrations: readonly string[] = [
  // 1: organizations, users, sign-ins and their tokens, local documents.
  `
  CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL
  );

  CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash    TEXT NOT NULL,
    created_at       TEXT NOT NULL
  );
  CREATE INDEX users_organization ON users(organization_id);

  -- One row per password sign-in. Its tokens die with it (logout revokes the sign-in).
  CREATE TABLE sign_ins (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  TEXT
  );
  CREATE INDEX sign_ins_user ON sign_ins(user_id);
  CREATE INDEX sign_ins_expiry ON sign_ins(expires_at);

  -- Only SHA-256 hashes of tokens are stored. kind 'refresh' = the auth-service access_token
  -- (used to refresh), kind 'api' = the ejento_access_token (carried by every API call).
  CREATE TABLE auth_tokens (
    token_hash  TEXT PRIMARY KEY,
    sign_in_id  TEXT NOT NULL REFERENCES sign_ins(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('refresh', 'api')),
    expires_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
  );
  CREATE INDEX auth_tokens_sign_in ON auth_tokens(sign_in_id);
  CREATE INDEX auth_tokens_expiry ON auth_tokens(expires_at);

  -- Every document the server knows. kind 'local' = uploaded from the pane; later migrations add
  -- generated documents (kind 'generated') with their sections and sources in their own tables.
  CREATE TABLE documents (
    document_id       TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    document_name     TEXT NOT NULL,
    s3_key            TEXT NOT NULL UNIQUE,
    stored_file_name  TEXT UNIQUE,
    sha256            TEXT,
    size_bytes        INTEGER,
    status            TEXT NOT NULL,
    workspace_id      TEXT,
    template_json     TEXT,
    uploaded_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
  );
  CREATE INDEX documents_organization_created ON documents(organization_id, created_at);
  -- Re-uploading the same bytes under the same name finds the existing record.
  CREATE UNIQUE INDEX documents_local_identity ON documents(organization_id, document_name, sha256)
    WHERE kind = 'local';
  `,
];
