// Schema migrations for PostgreSQL (the storage engine chosen when SIDECAR_DATABASE_URL is a
// postgres:// address), applied in order by postgres-migrate.ts; the table schema_migrations
// records each version applied. As with migrations.ts: never edit a migration that has shipped,
// append a new one.
//
// Migration 1 is the schema SQLite reaches after all of migrations.ts (1–10), written for
// PostgreSQL, so that the stores' SQL means the same on both engines:
// - the same tables and columns with the same meanings (see migrations.ts for what each holds);
//   TEXT is text, INTEGER is bigint (parsed to JS numbers by the pg layer), REAL is double
//   precision. Flags stay 0/1 numbers, not boolean: the stores compare them with 0 and 1;
// - ids are text (uuid), moments people see are ISO-8601 UTC text, expiry moments are bigint epoch
//   milliseconds, as in migrations.ts;
// - COLLATE NOCASE columns are citext (compared and kept unique without regard to case); the
//   case-blind unique index on document set names is on lower(document_set_name);
// - INTEGER PRIMARY KEY AUTOINCREMENT is an identity column (never reused, as AUTOINCREMENT);
// - the tables whose rows the stores order by SQLite's implicit rowid (documents, document_sets,
//   templates, generation_jobs, batch_jobs, thread_corpora, passages) have an explicit `rowid`
//   identity column: insertion order, as SQLite's. Indexes SQLite used for such orders (where
//   rowid is implicitly the last key) name it as their last column. Note that `SELECT *` returns it;
//   SQLite's does not;
// - the FTS5 index of the passages (migrations.ts 7 and 10) is passages.search_vector, computed by
//   the application in its INSERT (no trigger) with the text search configuration `sidecar`
//   below, and a GIN index on it;
// - the tagging corpus's counts (organization_terms, migrations.ts 8) are kept by plpgsql
//   triggers with the same effect as SQLite's.
//
// PostgreSQL only: several server processes share one database, so what SQLite's server keeps
// in its data directory or in memory lives in tables here: stored document files (stored_files,
// stored_file_chunks) and sign-in throttling (sign_in_attempts). Server secrets were already in
// the database (server_secrets).
//
// The extensions used (citext, unaccent) are trusted: the database's owner can create them.

export const postgresMigrations: readonly string[] = [
  // 1: everything of migrations.ts 1–10, and the PostgreSQL-only tables.
  `
  CREATE EXTENSION IF NOT EXISTS citext;
  CREATE EXTENSION IF NOT EXISTS unaccent;

  -- Full-text search like FTS5's 'porter unicode61 remove_diacritics 2': words are lower-cased,
  -- stripped of diacritics ("café" = "cafe") and stemmed ("nutritional" finds "nutrition"). A copy
  -- of 'english' whose word mappings go through unaccent and then an English Snowball stemmer
  -- with no stop-word list (FTS5 drops no words; english_stem would drop "the", "not", …).
  -- Words with digits are unaccented and lower-cased, not stemmed. CREATE TEXT SEARCH has no
  -- IF NOT EXISTS: each is made only when missing from the schema it would be made in.
  DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'sidecar_stem' AND dictnamespace = current_schema()::regnamespace) THEN
      CREATE TEXT SEARCH DICTIONARY sidecar_stem (TEMPLATE = snowball, LANGUAGE = english);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'sidecar' AND cfgnamespace = current_schema()::regnamespace) THEN
      CREATE TEXT SEARCH CONFIGURATION sidecar (COPY = english);
      ALTER TEXT SEARCH CONFIGURATION sidecar
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, sidecar_stem;
      ALTER TEXT SEARCH CONFIGURATION sidecar
        ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple;
    END IF;
  END
  $$;

  CREATE TABLE organizations (
    id          text PRIMARY KEY,
    name        citext NOT NULL UNIQUE,
    created_at  text NOT NULL
  );

  CREATE TABLE users (
    id               text PRIMARY KEY,
    organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    email            citext NOT NULL UNIQUE,
    password_hash    text NOT NULL,
    created_at       text NOT NULL
  );
  CREATE INDEX users_organization ON users(organization_id);

  -- One row per sign-in (face: which services accept its tokens, see migrations.ts 5).
  CREATE TABLE sign_ins (
    id          text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  text NOT NULL,
    expires_at  bigint NOT NULL,
    revoked_at  text,
    face        text NOT NULL DEFAULT 'sidecar'
  );
  CREATE INDEX sign_ins_user ON sign_ins(user_id);
  CREATE INDEX sign_ins_expiry ON sign_ins(expires_at);

  -- Only SHA-256 hashes of tokens are stored.
  CREATE TABLE auth_tokens (
    token_hash  text PRIMARY KEY,
    sign_in_id  text NOT NULL REFERENCES sign_ins(id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('refresh', 'api')),
    expires_at  bigint NOT NULL,
    revoked     bigint NOT NULL DEFAULT 0,
    created_at  text NOT NULL
  );
  CREATE INDEX auth_tokens_sign_in ON auth_tokens(sign_in_id);
  CREATE INDEX auth_tokens_expiry ON auth_tokens(expires_at);

  -- Passwordless sign-in codes: only an HMAC of the code is kept; user_id NULL = no such account.
  CREATE TABLE otp_sessions (
    id            text PRIMARY KEY,
    email         citext NOT NULL,
    user_id       text REFERENCES users(id) ON DELETE CASCADE,
    code_hash     text NOT NULL,
    expires_at    bigint NOT NULL,
    attempts      bigint NOT NULL DEFAULT 0,
    codes_issued  bigint NOT NULL DEFAULT 1,
    issued_at     bigint NOT NULL,
    used_at       text,
    created_at    text NOT NULL
  );
  CREATE INDEX otp_sessions_email ON otp_sessions(email, issued_at);
  CREATE INDEX otp_sessions_expiry ON otp_sessions(expires_at);

  -- Failed sign-ins, counted for every server process (src/server/services/sign-in-throttle.ts
  -- keeps the same in memory per process): one row per account (scope 'account', key the
  -- normalized e-mail) or client address (scope 'address', key the address). failures within
  -- the window, the last failure and the end of the current lock are epoch milliseconds
  -- (locked_until 0 = not locked). A row is stale, and may be deleted, once its lock is over and
  -- its last failure is older than the window; a successful sign-in deletes the account's row.
  CREATE TABLE sign_in_attempts (
    scope           text NOT NULL CHECK (scope IN ('account', 'address')),
    key             text NOT NULL,
    failures        bigint NOT NULL,
    last_failed_at  bigint NOT NULL,
    locked_until    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, key)
  );
  CREATE INDEX sign_in_attempts_last_failed ON sign_in_attempts(last_failed_at);

  -- Stored document files (SQLite's server keeps them under files/ in its data directory): a
  -- file's bytes as ordered chunks of at most 1 MiB, written with their stored_files row in one
  -- transaction. documents.stored_file_name names the stored_files row.
  CREATE TABLE stored_files (
    name        text PRIMARY KEY,
    size_bytes  bigint NOT NULL,
    sha256      text NOT NULL,
    created_at  text NOT NULL
  );
  CREATE TABLE stored_file_chunks (
    name         text NOT NULL REFERENCES stored_files(name) ON DELETE CASCADE,
    chunk_index  integer NOT NULL CHECK (chunk_index >= 0),
    bytes        bytea NOT NULL CHECK (octet_length(bytes) <= 1048576),
    PRIMARY KEY (name, chunk_index)
  );

  -- Every document the server knows: kind 'local' (uploaded) or 'generated'.
  CREATE TABLE documents (
    rowid                  bigint GENERATED ALWAYS AS IDENTITY,
    document_id            text PRIMARY KEY,
    organization_id        text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind                   text NOT NULL,
    document_name          text NOT NULL,
    s3_key                 text NOT NULL UNIQUE,
    stored_file_name       text UNIQUE,
    sha256                 text,
    size_bytes             bigint,
    status                 text NOT NULL,
    workspace_id           text,
    template_json          text,
    uploaded_by            text REFERENCES users(id) ON DELETE SET NULL,
    created_at             text NOT NULL,
    updated_at             text NOT NULL,
    passages_extracted_at  text,
    tags_json              text,
    tagged_at              text,
    terms_counted_at       text
  );
  CREATE INDEX documents_organization_created ON documents(organization_id, created_at, rowid);
  -- Re-uploading the same bytes under the same name finds the existing record.
  CREATE UNIQUE INDEX documents_local_identity ON documents(organization_id, document_name, sha256)
    WHERE kind = 'local';
  CREATE INDEX documents_terms_counted ON documents(organization_id, terms_counted_at);

  -- organization_id NULL = built in (visible to every organization; rewritten at each start).
  CREATE TABLE templates (
    rowid             bigint GENERATED ALWAYS AS IDENTITY,
    template_id       text PRIMARY KEY,
    organization_id   text REFERENCES organizations(id) ON DELETE CASCADE,
    template_name     text NOT NULL,
    document_type     text NOT NULL,
    source_file_name  text,
    built_in_order    bigint,
    created_at        text NOT NULL,
    updated_at        text NOT NULL
  );
  CREATE INDEX templates_organization ON templates(organization_id, created_at, rowid);

  CREATE TABLE template_sections (
    section_id    text PRIMARY KEY,
    template_id   text NOT NULL REFERENCES templates(template_id) ON DELETE CASCADE,
    section_name  text NOT NULL,
    order_index   bigint NOT NULL,
    level         bigint NOT NULL,
    instructions  text NOT NULL
  );
  CREATE INDEX template_sections_template ON template_sections(template_id, order_index);

  CREATE TABLE document_sets (
    rowid              bigint GENERATED ALWAYS AS IDENTITY,
    document_set_id    text PRIMARY KEY,
    organization_id    text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    document_set_name  text NOT NULL,
    details            text,
    version            bigint NOT NULL DEFAULT 1,
    created_by         text REFERENCES users(id) ON DELETE SET NULL,
    created_at         text NOT NULL
  );
  CREATE UNIQUE INDEX document_sets_name ON document_sets(organization_id, lower(document_set_name));

  -- search_vector: the passage's text, heading and document name as the FTS5 index had them
  -- (each read through searchText, src/shared/words.ts), made with the 'sidecar' configuration
  -- by the INSERT that adds the passage.
  CREATE TABLE passages (
    rowid            bigint GENERATED ALWAYS AS IDENTITY,
    passage_id       text PRIMARY KEY,
    document_id      text NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    passage_index    bigint NOT NULL,
    heading          text,
    text             text NOT NULL,
    first_paragraph  bigint NOT NULL,
    last_paragraph   bigint NOT NULL,
    search_vector    tsvector NOT NULL,
    UNIQUE (document_id, passage_index)
  );
  CREATE INDEX passages_search ON passages USING gin (search_vector);

  -- One row per generation request; the document row (kind 'generated') carries the status.
  CREATE TABLE generation_jobs (
    rowid            bigint GENERATED ALWAYS AS IDENTITY,
    document_id      text PRIMARY KEY REFERENCES documents(document_id) ON DELETE CASCADE,
    organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    output_name      text NOT NULL,
    request_json     text NOT NULL,
    stage            text,
    progress         bigint NOT NULL DEFAULT 0,
    attempts         bigint NOT NULL DEFAULT 0,
    error            text,
    queued_at        text NOT NULL,
    started_at       text,
    finished_at      text
  );
  CREATE UNIQUE INDEX generation_jobs_output_name ON generation_jobs(organization_id, output_name);

  CREATE TABLE document_sections (
    document_id    text NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    section_id     text NOT NULL,
    section_title  text NOT NULL,
    section_order  bigint NOT NULL,
    level          bigint NOT NULL,
    text           text NOT NULL,
    PRIMARY KEY (document_id, section_id)
  );

  CREATE TABLE section_sources (
    document_id           text NOT NULL,
    section_id            text NOT NULL,
    source_order          bigint NOT NULL,
    document_source_id    text NOT NULL,
    document_source_name  text NOT NULL,
    referenced_text       text NOT NULL,
    s3_key                text NOT NULL,
    passage_id            text NOT NULL,
    passage_index         bigint NOT NULL,
    score                 double precision NOT NULL,
    PRIMARY KEY (document_id, section_id, source_order),
    FOREIGN KEY (document_id, section_id) REFERENCES document_sections(document_id, section_id) ON DELETE CASCADE
  );
  CREATE INDEX section_sources_source ON section_sources(document_source_id);

  -- Which passages each sentence of a generated section comes from. passage_ids: a JSON array.
  CREATE TABLE section_sentences (
    document_id     text NOT NULL,
    section_id      text NOT NULL,
    sentence_order  bigint NOT NULL,
    text            text NOT NULL,
    passage_ids     text NOT NULL,
    PRIMARY KEY (document_id, section_id, sentence_order),
    FOREIGN KEY (document_id, section_id) REFERENCES document_sections(document_id, section_id) ON DELETE CASCADE
  );

  CREATE TABLE server_secrets (
    name        text PRIMARY KEY,
    value       text NOT NULL,
    created_at  text NOT NULL
  );

  -- Chat threads and their turns (integer ids, as Ejento's).
  CREATE TABLE chat_threads (
    id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    organization_id  text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id          text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    agent_id         bigint NOT NULL,
    name             text NOT NULL,
    created_at       text NOT NULL,
    updated_at       text NOT NULL,
    query_source     text,
    modified_by      text
  );
  CREATE INDEX chat_threads_user_agent ON chat_threads(user_id, agent_id, updated_at);
  CREATE INDEX chat_threads_user_agent_source ON chat_threads(user_id, agent_id, query_source);

  CREATE TABLE agent_responses (
    id                   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    thread_id            bigint NOT NULL REFERENCES chat_threads(id) ON DELETE CASCADE,
    user_id              text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_query           text NOT NULL,
    answer               text NOT NULL,
    references_json      text NOT NULL,
    followups_json       text NOT NULL,
    vote                 text,
    voted_at             text,
    created_at           text NOT NULL,
    query_source         text,
    success              bigint NOT NULL DEFAULT 1,
    message              text NOT NULL DEFAULT '',
    guardrail_triggered  bigint NOT NULL DEFAULT 0,
    blocked              bigint NOT NULL DEFAULT 0
  );
  CREATE INDEX agent_responses_thread ON agent_responses(thread_id, id);

  -- Corpora (one person's) and their documents, each a documents row with its indexing step.
  CREATE TABLE corpora (
    id                bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    organization_id   text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id           text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name              text NOT NULL,
    description       text NOT NULL DEFAULT '',
    corpus_type       text NOT NULL,
    indexing_mode_id  bigint,
    created_on        text NOT NULL,
    modified_on       text NOT NULL
  );
  CREATE INDEX corpora_user ON corpora(user_id, id);

  CREATE TABLE corpus_documents (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    corpus_id    bigint NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    document_id  text NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    source       text NOT NULL,
    upload_from  text NOT NULL,
    step         text NOT NULL CHECK (step IN ('uploaded', 'processing', 'completed')),
    is_failed    bigint NOT NULL DEFAULT 0,
    error        text,
    created_on   text NOT NULL,
    modified_on  text NOT NULL
  );
  CREATE INDEX corpus_documents_corpus ON corpus_documents(corpus_id, id);
  CREATE INDEX corpus_documents_step ON corpus_documents(step, is_failed);

  CREATE TABLE thread_corpora (
    rowid       bigint GENERATED ALWAYS AS IDENTITY,
    thread_id   bigint NOT NULL REFERENCES chat_threads(id) ON DELETE CASCADE,
    corpus_id   bigint NOT NULL REFERENCES corpora(id) ON DELETE CASCADE,
    linked_on   text NOT NULL,
    PRIMARY KEY (thread_id, corpus_id)
  );
  CREATE INDEX thread_corpora_corpus ON thread_corpora(corpus_id);

  -- Batch tagging: a job per start request and one result per document of the job.
  CREATE TABLE batch_jobs (
    rowid                 bigint GENERATED ALWAYS AS IDENTITY,
    job_id                text PRIMARY KEY,
    organization_id       text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    user_id               text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status                text NOT NULL CHECK (status IN ('pending', 'processing', 'paused', 'completed', 'failed', 'cancelled')),
    num_tags              bigint NOT NULL,
    num_pages             bigint NOT NULL,
    exclusion_words_json  text NOT NULL,
    model_name            text,
    column_mapping_json   text,
    error                 text,
    created_at            text NOT NULL,
    updated_at            text NOT NULL,
    started_at            text,
    finished_at           text
  );
  CREATE INDEX batch_jobs_user ON batch_jobs(user_id, created_at, rowid);
  CREATE INDEX batch_jobs_status ON batch_jobs(status, created_at, rowid);

  CREATE TABLE batch_results (
    job_id            text NOT NULL REFERENCES batch_jobs(job_id) ON DELETE CASCADE,
    row_id            bigint NOT NULL,
    title             text NOT NULL,
    file_path         text NOT NULL,
    file_source_type  text NOT NULL,
    description       text,
    document_id       text,
    status            text NOT NULL CHECK (status IN ('pending', 'processing', 'success', 'failed')),
    tags_json         text NOT NULL DEFAULT '[]',
    error             text,
    started_at        text,
    finished_at       text,
    PRIMARY KEY (job_id, row_id)
  );
  CREATE INDEX batch_results_status ON batch_results(status);

  -- The tagging corpus: each document's distinct terms, and per organization how many documents
  -- use each term, kept by the triggers below (an insert the ON CONFLICT of the store's INSERT
  -- skips fires nothing; rows deleted with their document fire the delete trigger).
  CREATE TABLE document_terms (
    document_id      text NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
    organization_id  text NOT NULL,
    term             text NOT NULL,
    PRIMARY KEY (document_id, term)
  );
  CREATE TABLE organization_terms (
    organization_id  text NOT NULL,
    term             text NOT NULL,
    documents        bigint NOT NULL,
    PRIMARY KEY (organization_id, term)
  );

  CREATE FUNCTION document_terms_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO organization_terms (organization_id, term, documents) VALUES (NEW.organization_id, NEW.term, 1)
      ON CONFLICT (organization_id, term) DO UPDATE SET documents = organization_terms.documents + 1;
    RETURN NULL;
  END
  $$;
  CREATE FUNCTION document_terms_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE organization_terms SET documents = documents - 1 WHERE organization_id = OLD.organization_id AND term = OLD.term;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER document_terms_insert AFTER INSERT ON document_terms FOR EACH ROW EXECUTE FUNCTION document_terms_insert();
  CREATE TRIGGER document_terms_delete AFTER DELETE ON document_terms FOR EACH ROW EXECUTE FUNCTION document_terms_delete();
  `,
  // 2: batch jobs shared by several processes (services/batch/runner.ts): `ticket` is the id of the
  // job-queue job that may work on the batch job (NULL: none wanted or sent yet), `working` whether
  // a process holds it now (a cancel is then reported by that process, after its current document).
  `
  ALTER TABLE batch_jobs ADD COLUMN ticket text, ADD COLUMN working smallint NOT NULL DEFAULT 0;
  `,
  // 3: every update and delete of a Ready documents row is announced on the channel
  // "sidecar_documents" (storage/document-store.ts: each server process forgets the row it kept in
  // memory; only Ready rows are kept, so a generation's steps before Ready notify nobody). The
  // payload is the envelope services/shared-channel.ts reads, from the origin "database".
  `
  CREATE FUNCTION documents_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('sidecar_documents', json_build_object('origin', 'database', 'body', OLD.document_id)::text);
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER documents_announce_change AFTER UPDATE OR DELETE ON documents
    FOR EACH ROW WHEN (OLD.status = 'Ready') EXECUTE FUNCTION documents_announce_change();
  `,
];
