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

  // 2: templates, document sets, passages (extracted once per document, reused by every feature
  // that retrieves from documents), generated documents' sections and sources, generation jobs,
  // and server secrets.
  `
  -- organization_id NULL = built in (visible to every organization; rewritten at each start).
  CREATE TABLE templates (
    template_id       TEXT PRIMARY KEY,
    organization_id   TEXT REFERENCES organizations(id) ON DELETE CASCADE,
    template_name     TEXT NOT NULL,
    document_type     TEXT NOT NULL,
    source_file_name  TEXT,
    built_in_order    INTEGER,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
  );
  CREATE INDEX templates_organization ON templates(organization_id, created_at);

  CREATE TABLE template_sections (
    section_id    TEXT PRIMARY KEY,
    template_id   TEXT NOT NULL REFERENCES templates(template_id) ON DELETE CASCADE,
    section_name  TEXT NOT NULL,
    order_index   INTEGER NOT NULL,
    level         INTEGER NOT NULL,
    instructions  TEXT NOT NULL
  );
  CREATE INDEX template_sections_template ON template_sections(template_id, order_index);

  CREATE TABLE document_sets (
    document_set_id    TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    document_set_name  TEXT NOT NULL,
    details            TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_by         TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL
  );
  CREATE UNIQUE INDEX document_sets_name ON document_sets(organization_id, document_set_name COLLATE NOCASE);

  -- Set when a document's passages have been extracted (even when it has none).
  ALTER TABLE documents ADD COLUMN passages_extracted_at TEXT;

  CREATE TABLE passages (
    passage_id       TEXT PRIMARY KEY,
    document_id      TEXT NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    passage_index    INTEGER NOT NULL,
    heading          TEXT,
    text             TEXT NOT NULL,
    first_paragraph  INTEGER NOT NULL,
    last_paragraph   INTEGER NOT NULL,
    UNIQUE (document_id, passage_index)
  );

  -- One row per generation request; the document row (kind 'generated') carries the status.
  -- stage/progress/attempts let a job interrupted by a server stop be resumed or failed.
  CREATE TABLE generation_jobs (
    document_id      TEXT PRIMARY KEY REFERENCES documents(document_id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    output_name      TEXT NOT NULL,
    request_json     TEXT NOT NULL,
    stage            TEXT,
    progress         INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    queued_at        TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT
  );
  CREATE UNIQUE INDEX generation_jobs_output_name ON generation_jobs(organization_id, output_name);

  CREATE TABLE document_sections (
    document_id    TEXT NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    section_id     TEXT NOT NULL,
    section_title  TEXT NOT NULL,
    section_order  INTEGER NOT NULL,
    level          INTEGER NOT NULL,
    text           TEXT NOT NULL,
    PRIMARY KEY (document_id, section_id)
  );

  CREATE TABLE section_sources (
    document_id           TEXT NOT NULL,
    section_id            TEXT NOT NULL,
    source_order          INTEGER NOT NULL,
    document_source_id    TEXT NOT NULL,
    document_source_name  TEXT NOT NULL,
    referenced_text       TEXT NOT NULL,
    s3_key                TEXT NOT NULL,
    passage_id            TEXT NOT NULL,
    passage_index         INTEGER NOT NULL,
    score                 REAL NOT NULL,
    PRIMARY KEY (document_id, section_id, source_order),
    FOREIGN KEY (document_id, section_id) REFERENCES document_sections(document_id, section_id) ON DELETE CASCADE
  );
  CREATE INDEX section_sources_source ON section_sources(document_source_id);

  CREATE TABLE server_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  `,

  // 3: chat threads (one person's conversation with an agent) and their turns (agent responses).
  // Integer ids, as Ejento's. A turn is stored once its answer is complete (a stream the client
  // left before the end stores nothing).
  `
  CREATE TABLE chat_threads (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id  TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    agent_id         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  );
  CREATE INDEX chat_threads_user_agent ON chat_threads(user_id, agent_id, updated_at);

  CREATE TABLE agent_responses (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id            INTEGER NOT NULL REFERENCES chat_threads(id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_query           TEXT NOT NULL,
    answer               TEXT NOT NULL,
    references_json      TEXT NOT NULL,
    followups_json       TEXT NOT NULL,
    vote                 TEXT,
    voted_at             TEXT,
    created_at           TEXT NOT NULL
  );
  CREATE INDEX agent_responses_thread ON agent_responses(thread_id, id);
  `,

  // 4: batch tagging (docs/api.md "Batch tagging"): a job per start request, owned by the person
  // who started it, and one result per document of the job in job order (row_id from 0). Tags
  // land on the document (tags_json, a JSON array of strings; NULL = never tagged). A job's
  // status is one of the spec's six; a result is pending → processing → success | failed.
  `
  ALTER TABLE documents ADD COLUMN tags_json TEXT;
  ALTER TABLE documents ADD COLUMN tagged_at TEXT;

  CREATE TABLE batch_jobs (
    job_id               TEXT PRIMARY KEY,
    organization_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status               TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'paused', 'completed', 'failed', 'cancelled')),
    num_tags             INTEGER NOT NULL,
    num_pages            INTEGER NOT NULL,
    exclusion_words_json TEXT NOT NULL,
    model_name           TEXT,
    column_mapping_json  TEXT,
    error                TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    started_at           TEXT,
    finished_at          TEXT
  );
  CREATE INDEX batch_jobs_user ON batch_jobs(user_id, created_at);
  CREATE INDEX batch_jobs_status ON batch_jobs(status, created_at);

  CREATE TABLE batch_results (
    job_id            TEXT NOT NULL REFERENCES batch_jobs(job_id) ON DELETE CASCADE,
    row_id            INTEGER NOT NULL,
    title             TEXT NOT NULL,
    file_path         TEXT NOT NULL,
    file_source_type  TEXT NOT NULL,
    description       TEXT,
    document_id       TEXT,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'success', 'failed')),
    tags_json         TEXT NOT NULL DEFAULT '[]',
    error             TEXT,
    started_at        TEXT,
    finished_at       TEXT,
    PRIMARY KEY (job_id, row_id)
  );
  CREATE INDEX batch_results_status ON batch_results(status);
  `,

  // 5: each vendor's sign-in (docs/api.md "Services, addresses and credentials"). A sign-in's face
  // says which services accept its tokens: 'sidecar' (the Ejento sign-ins: password, e-mail code,
  // SSO) every face, 'documents' (POST /get-access-token) only the documents service, 'batch'
  // (POST /api/auth/login) only the tag generator. Passwordless sign-in codes (docs/vendors.md Ejento A2.4):
  // one row per otp_session_id; only an HMAC of the code is kept. user_id NULL = the e-mail has no
  // account (the session exists so that the answer is the same; its code never verifies).
  `
  ALTER TABLE sign_ins ADD COLUMN face TEXT NOT NULL DEFAULT 'sidecar';

  CREATE TABLE otp_sessions (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL COLLATE NOCASE,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    code_hash     TEXT NOT NULL,
    expires_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    codes_issued  INTEGER NOT NULL DEFAULT 1,
    issued_at     INTEGER NOT NULL,
    used_at       TEXT,
    created_at    TEXT NOT NULL
  );
  CREATE INDEX otp_sessions_email ON otp_sessions(email, issued_at);
  CREATE INDEX otp_sessions_expiry ON otp_sessions(expires_at);
  `,

  // 6: chat in Ejento's shapes (docs/api.md "Chat (Ejento shape)"). A thread remembers the client
  // that started it (query_source: set at creation, or by its first question) and who changed it
  // last; a turn remembers its client and the guardrail's outcome. Corpora (integer ids, as
  // Ejento's) are one person's; each corpus document is a Sidecar document row (the file and its
  // passages; an upload of the same bytes and name is the same row) with its indexing step:
  // uploaded → processing → completed, or is_failed with the reason. A thread may be linked to
  // corpora (thread_corpora) to ground its questions on them.
  `
  ALTER TABLE chat_threads ADD COLUMN query_source TEXT;
  ALTER TABLE chat_threads ADD COLUMN modified_by TEXT;
  CREATE INDEX chat_threads_user_agent_source ON chat_threads(user_id, agent_id, query_source);

  ALTER TABLE agent_responses ADD COLUMN query_source TEXT;
  ALTER TABLE agent_responses ADD COLUMN success INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE agent_responses ADD COLUMN message TEXT NOT NULL DEFAULT '';
  ALTER TABLE agent_responses ADD COLUMN guardrail_triggered INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE agent_responses ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE corpora (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id   TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    corpus_type       TEXT NOT NULL,
    indexing_mode_id  INTEGER,
    created_on        TEXT NOT NULL,
    modified_on       TEXT NOT NULL
  );
  CREATE INDEX corpora_user ON corpora(user_id, id);

  CREATE TABLE corpus_documents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    corpus_id    INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    document_id  TEXT NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    upload_from  TEXT NOT NULL,
    step         TEXT NOT NULL CHECK (step IN ('uploaded', 'processing', 'completed')),
    is_failed    INTEGER NOT NULL DEFAULT 0,
    error        TEXT,
    created_on   TEXT NOT NULL,
    modified_on  TEXT NOT NULL
  );
  CREATE INDEX corpus_documents_corpus ON corpus_documents(corpus_id, id);
  CREATE INDEX corpus_documents_step ON corpus_documents(step, is_failed);

  CREATE TABLE thread_corpora (
    thread_id   INTEGER NOT NULL REFERENCES chat_threads(id) ON DELETE CASCADE,
    corpus_id   INTEGER NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    linked_on   TEXT NOT NULL,
    PRIMARY KEY (thread_id, corpus_id)
  );
  CREATE INDEX thread_corpora_corpus ON thread_corpora(corpus_id);
  `,
  // 7: a persistent full-text index of the passages (SQLite FTS5, BM25; the porter stemmer so
  // "nutritional" finds "nutrition"), kept in step with the passages table by triggers and filled
  // from the passages already extracted.
  `
  CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, document_name, tokenize = 'porter unicode61 remove_diacritics 2');
  INSERT INTO passages_fts (rowid, text, heading, document_name)
    SELECT p.rowid, p.text, COALESCE(p.heading, ''), d.document_name FROM passages p JOIN documents d ON d.document_id = p.document_id;
  CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts (rowid, text, heading, document_name)
      VALUES (new.rowid, new.text, COALESCE(new.heading, ''), (SELECT document_name FROM documents WHERE document_id = new.document_id));
  END;
  CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
    DELETE FROM passages_fts WHERE rowid = old.rowid;
  END;
  `,
  // 8: the tagging corpus kept up to date (issue 17): each document's distinct terms, counted once
  // when its text is first read, and per organization how many documents use each term, kept by
  // triggers. Tagging one document reads its own terms' counts, not the whole organization.
  `
  CREATE TABLE document_terms (
    document_id      TEXT NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL,
    term             TEXT NOT NULL,
    PRIMARY KEY (document_id, term)
  ) WITHOUT ROWID;
  CREATE TABLE organization_terms (
    organization_id  TEXT NOT NULL,
    term             TEXT NOT NULL,
    documents        INTEGER NOT NULL,
    PRIMARY KEY (organization_id, term)
  ) WITHOUT ROWID;
  ALTER TABLE documents ADD COLUMN terms_counted_at TEXT;
  CREATE INDEX documents_terms_counted ON documents(organization_id, terms_counted_at);
  CREATE TRIGGER document_terms_insert AFTER INSERT ON document_terms BEGIN
    INSERT INTO organization_terms (organization_id, term, documents) VALUES (new.organization_id, new.term, 1)
      ON CONFLICT (organization_id, term) DO UPDATE SET documents = documents + 1;
  END;
  CREATE TRIGGER document_terms_delete AFTER DELETE ON document_terms BEGIN
    UPDATE organization_terms SET documents = documents - 1 WHERE organization_id = old.organization_id AND term = old.term;
  END;
  `,
  // 9: which passages each sentence of a generated section comes from (issue 18), so the Sources
  // panel can show the passage behind a selected sentence. passage_ids: a JSON array.
  `
  CREATE TABLE section_sentences (
    document_id     TEXT NOT NULL,
    section_id      TEXT NOT NULL,
    sentence_order  INTEGER NOT NULL,
    text            TEXT NOT NULL,
    passage_ids     TEXT NOT NULL,
    PRIMARY KEY (document_id, section_id, sentence_order),
    FOREIGN KEY (document_id, section_id) REFERENCES document_sections(document_id, section_id) ON DELETE CASCADE
  );
  `,
  // 10: words of scripts written without spaces (issue 19). unicode61 took a run of Chinese or
  // Japanese characters for one token, so no word inside a sentence could be found. The index now
  // reads each passage through sidecar_search_text() (src/shared/words.ts searchText: every
  // Chinese and Japanese character a token, Thai and the like cut into words; other text as it
  // is), which every connection registers before use (storage/passage-store.ts
  // registerSearchFunctions); queries are phrases of those tokens. Rebuilt for the passages kept.
  //
  // The old splitting also dropped Chinese and Japanese paragraphs as "too few words" and counted
  // a clause as one tagging term: documents with such text in their passages, and documents read
  // to no passages at all, are read again on their next use (passages and terms).
  `
  DROP TRIGGER passages_fts_insert;
  DROP TRIGGER passages_fts_delete;
  DROP TABLE passages_fts;
  CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, document_name, tokenize = 'porter unicode61 remove_diacritics 2');
  INSERT INTO passages_fts (rowid, text, heading, document_name)
    SELECT p.rowid, sidecar_search_text(p.text), sidecar_search_text(COALESCE(p.heading, '')), sidecar_search_text(d.document_name)
      FROM passages p JOIN documents d ON d.document_id = p.document_id;
  CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts (rowid, text, heading, document_name)
      VALUES (new.rowid, sidecar_search_text(new.text), sidecar_search_text(COALESCE(new.heading, '')),
              sidecar_search_text((SELECT document_name FROM documents WHERE document_id = new.document_id)));
  END;
  CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
    DELETE FROM passages_fts WHERE rowid = old.rowid;
  END;

  UPDATE documents SET passages_extracted_at = NULL
    WHERE passages_extracted_at IS NOT NULL
      AND (NOT EXISTS (SELECT 1 FROM passages p WHERE p.document_id = documents.document_id)
           OR EXISTS (SELECT 1 FROM passages p WHERE p.document_id = documents.document_id
                        AND sidecar_unspaced(p.text || ' ' || COALESCE(p.heading, ''))));
  DELETE FROM document_terms WHERE document_id IN (SELECT document_id FROM documents WHERE passages_extracted_at IS NULL);
  UPDATE documents SET terms_counted_at = NULL WHERE passages_extracted_at IS NULL AND terms_counted_at IS NOT NULL;
  `,
  // 11: failed sign-ins counted in the database (issue 20), not in the server's memory: every
  // process sharing a PostgreSQL database must see the same counts, and both engines keep them the
  // same way (storage/sign-in-attempt-store.ts). Epoch milliseconds; locked_until 0 = not locked.
  `
  CREATE TABLE sign_in_attempts (
    scope           TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    key             TEXT NOT NULL,
    failures        INTEGER NOT NULL,
    last_failed_at  INTEGER NOT NULL,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX sign_in_attempts_last_failed ON sign_in_attempts(last_failed_at);
  `,
];
