// Shared helpers for the server tests: a real server on an ephemeral port with its own data
// directory, sign-in and upload over real HTTP, and builders for (bad) .docx/ZIP files.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { XMLParser } from "fast-xml-parser";
import pg from "pg";
import type { FastifyInstance } from "fastify";
import { strFromU8, unzipSync } from "fflate";
import yauzl from "yauzl";
import yazl from "yazl";
import { buildApp, type BuildOptions } from "../../src/server/app";
import { loadConfig, type Config } from "../../src/server/config";
import { Storage } from "../../src/server/storage/storage";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/postgres";
import type { DocumentListItem } from "../../src/server/services/documents";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { EjentoTokenPair, ErrorBody } from "../../src/shared/wire/auth";
import type { GenerationStatusResponse } from "../../src/shared/wire/documents";

export const FIXTURE_DIR = path.resolve(__dirname, "../../../shared/fixtures/docx");
export const REPO_ROOT = path.resolve(__dirname, "../..");
export const DEMO = { email: "demo@sidecar.local", password: "sidecar-demo" };

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith(".docx"))
    .sort();
}

export function readFixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURE_DIR, name));
}

export function makeTempDir(prefix = "sidecar-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  app: FastifyInstance;
  config: Config;
  url: string;
  dataDir: string;
  root: string;
  close(): Promise<void>;
}

/**
 * Builds the app from environment-style settings (a temp data dir and static dir unless given),
 * lets the caller add to it (`beforeListen`), and listens on 127.0.0.1 on a free port.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: BuildOptions & { beforeListen?: (app: FastifyInstance) => void | Promise<void> } = {},
): Promise<TestServer> {
  const root = makeTempDir();
  // SIDECAR_TEST_ENGINE=postgres: each server gets a database of its own (unless the test names
  // one); a server started again on the same SIDECAR_DATA_DIR (a restart) finds the same database.
  const database = testEngine === "postgres" && !("SIDECAR_DATABASE_URL" in env) ? await databaseFor(env.SIDECAR_DATA_DIR) : null;
  const config = loadConfig(
    {
      SIDECAR_DATA_DIR: path.join(root, "data"),
      SIDECAR_STATIC_DIR: path.join(root, "dist"),
      LOG_LEVEL: "silent",
      ...(database ? { SIDECAR_DATABASE_URL: database.url } : {}),
      ...env,
    },
    root,
  );
  if (database) serverDatabases.set(config.dataDir, database.url);
  let app: FastifyInstance;
  try {
    app = await buildApp(config, options);
  } catch (error) {
    await database?.drop();
    throw error;
  }
  await options.beforeListen?.(app);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address !== "object") throw new Error("server has no address");
  return {
    app,
    config,
    url: `http://127.0.0.1:${address.port}`,
    dataDir: config.dataDir,
    root,
    close: async () => {
      const closing = app.close();
      // Don't wait for clients' idle keep-alive sockets (an aborted upload can leave one).
      app.server.closeAllConnections();
      await closing;
      await database?.drop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The database of each server's data directory (PostgreSQL), for loseStoredFile. */
const serverDatabases = new Map<string, string>();

/** Databases of data directories named by the tests (restarts): kept until the test file ends. */
const keptDatabases = new Map<string, Promise<TestDatabase>>();

/** A new database for a server of its own (dropped when it closes), or the one of a named data directory. */
async function databaseFor(dataDir: string | undefined): Promise<{ url: string; drop(): Promise<void> }> {
  if (!dataDir) return createTestDatabase({ migrated: true });
  let database = keptDatabases.get(dataDir);
  if (!database) {
    database = createTestDatabase({ migrated: true });
    keptDatabases.set(dataDir, database);
  }
  return { url: (await database).url, drop: async () => undefined };
}

/** Drops the databases kept for named data directories (test/setup-server.ts, after each file). */
export async function dropKeptDatabases(): Promise<void> {
  const databases = [...keptDatabases.values()];
  keptDatabases.clear();
  for (const database of databases) await (await database).drop();
}

/** Removes a document's stored file behind the server's back (a disk that lost it), on either engine. */
export async function loseStoredFile(dataDir: string, row: { stored_file_name: string | null }): Promise<void> {
  const name = row.stored_file_name as string;
  if (testEngine !== "postgres") {
    fs.rmSync(path.join(dataDir, "files", name));
    return;
  }
  const client = new pg.Client({ connectionString: serverDatabases.get(dataDir) ?? (await databaseFor(dataDir)).url });
  await client.connect();
  try {
    const { rowCount } = await client.query("DELETE FROM stored_files WHERE name = $1", [name]);
    if (rowCount !== 1) throw new Error(`no stored file ${name}`);
  } finally {
    await client.end();
  }
}

/** A stored document's file as the server keeps it (files/ or PostgreSQL rows); null when there is none. */
export async function storedFileOf(server: TestServer, documentId: string): Promise<Buffer | null> {
  const storage = server.app.sidecar.storage;
  const row = await storage.documents.get(documentId);
  return row ? storage.files.read(row) : null;
}

/** Everything the database holds, as bytes to search: SQLite's files, or every PostgreSQL row as text. */
export async function databaseBytes(server: TestServer): Promise<Buffer> {
  const storage = server.app.sidecar.storage;
  if (storage.engine === "sqlite") {
    const names = fs.readdirSync(server.dataDir).filter((name) => name.startsWith("sidecar.db"));
    if (names.length === 0) throw new Error("no database files");
    return Buffer.concat(names.map((name) => fs.readFileSync(path.join(server.dataDir, name))));
  }
  const tables = await storage.sql.all<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  );
  if (tables.length === 0) throw new Error("no tables");
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await storage.sql.all<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
    parts.push(...rows.map((row) => row.row));
  }
  return Buffer.from(parts.join("\n"));
}

/**
 * Opens storage the way the server would, on the engine under test: SQLite in `dataDir`, or
 * (SIDECAR_TEST_ENGINE=postgres) a database: the one of `dataDir` when given (what a server
 * started on that data directory uses), else a new one, dropped by `close()`.
 */
export async function openTestStorage(dataDir?: string): Promise<Storage> {
  const dir = dataDir ?? path.join(makeTempDir(), "data");
  if (testEngine !== "postgres") return Storage.open(dir);
  const database = await databaseFor(dataDir);
  const storage = await Storage.open({ databaseUrl: database.url, dataDir: dir });
  const close = storage.close.bind(storage);
  storage.close = async () => {
    await close();
    await database.drop();
  };
  return storage;
}

export type TokenPair = EjentoTokenPair;

export async function signIn(url: string, email = DEMO.email, password = DEMO.password, headers: Record<string, string> = {}): Promise<TokenPair> {
  const response = await fetch(url + endpoints.login.path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username: email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as TokenPair;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function upload(
  url: string,
  token: string,
  bytes: Uint8Array,
  filename = "document.docx",
  field = "file",
): Promise<Response> {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }), filename);
  return fetch(url + endpoints.uploadLocalDocument.path, { method: "POST", headers: bearer(token), body: form });
}

/** An entry of the local server's documents list: every field, its own additions too. */
export type ListedDocument = DocumentListItem;

export async function listDocuments(url: string, token: string): Promise<ListedDocument[]> {
  const response = await fetch(url + endpoints.listDocuments.path, { headers: bearer(token) });
  if (response.status !== 200) throw new Error(`list failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { documents: ListedDocument[] }).documents;
}

/** Files under the data dir's files/ and tmp/ folders. */
export async function storedFiles(server: Pick<TestServer, "app" | "dataDir">): Promise<{ files: string[]; tmp: string[] }> {
  const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  const storage = server.app.sidecar.storage;
  const files =
    storage.engine === "postgres"
      ? (await storage.sql.all<{ name: string }>("SELECT name FROM stored_files ORDER BY name")).map((row) => row.name)
      : list(path.join(server.dataDir, "files"));
  return { files, tmp: list(path.join(server.dataDir, "tmp")) };
}

// ---- ZIP builders ---------------------------------------------------------------------------

export interface ZipEntrySpec {
  name: string;
  data: Buffer | (() => Readable);
  compressionLevel?: number;
}

export function buildZip(entries: ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const options = entry.compressionLevel === undefined ? {} : { compressionLevel: entry.compressionLevel };
    if (Buffer.isBuffer(entry.data)) zip.addBuffer(entry.data, entry.name, options);
    else zip.addReadStream(entry.data(), entry.name, options);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}

/** A stream of `totalBytes` zero bytes. */
export function zeros(totalBytes: number): () => Readable {
  return () => {
    const chunk = Buffer.alloc(1024 * 1024);
    let left = totalBytes;
    return new Readable({
      read() {
        if (left <= 0) return void this.push(null);
        const size = Math.min(left, chunk.length);
        left -= size;
        this.push(size === chunk.length ? chunk : chunk.subarray(0, size));
      },
    });
  };
}

/** The entries of a ZIP file, inflated. */
export async function readZipEntries(bytes: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const out: Array<{ name: string; data: Buffer }> = [];
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  zip.close();
  return out;
}

/** Re-zips a fixture, letting `change` replace the bytes of chosen entries. */
export async function rezipFixture(name: string, change: (entryName: string, data: Buffer) => Buffer): Promise<Buffer> {
  const entries = await readZipEntries(readFixture(name));
  return buildZip(entries.map((entry) => ({ name: entry.name, data: change(entry.name, entry.data) })));
}

/**
 * Rewrites the uncompressed size an entry declares, in both its local header and its central
 * directory record, so the header lies about what the entry inflates to.
 */
export function patchDeclaredSize(zip: Buffer, entryName: string, declared: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entryName, "utf8");
  let patched = 0;
  for (let offset = 0; offset < out.length - 46; offset++) {
    const signature = out.readUInt32LE(offset);
    if (signature === 0x04034b50) {
      const nameLength = out.readUInt16LE(offset + 26);
      if (out.subarray(offset + 30, offset + 30 + nameLength).equals(name)) {
        out.writeUInt32LE(declared, offset + 22);
        patched++;
      }
    } else if (signature === 0x02014b50) {
      const nameLength = out.readUInt16LE(offset + 28);
      if (out.subarray(offset + 46, offset + 46 + nameLength).equals(name)) {
        out.writeUInt32LE(declared, offset + 24);
        patched++;
      }
    }
  }
  if (patched < 2) throw new Error(`could not patch ${entryName} (${patched} headers found)`);
  return out;
}

// ---- generation ----------------------------------------------------------------------------

export async function postJson(url: string, path: string, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? bearer(token) : {}), ...headers },
    body: JSON.stringify(body),
  });
}

export async function getJson<T>(url: string, path: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url + path, { headers: bearer(token) });
  return { status: response.status, body: (await response.json()) as T };
}

export type StatusBody = GenerationStatusResponse;

/** The fields a 422 names: each problem's `loc` after "body" (or "params", "querystring"), joined with dots. */
export function namedFields(body: unknown): string[] {
  const detail = (body as Partial<ErrorBody> | null)?.detail;
  return Array.isArray(detail) ? detail.map((problem) => problem.loc.slice(1).join(".")) : [];
}

/** Waits until `check` holds, looking every 20 ms; throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Two servers on one new PostgreSQL database (tests of what processes share), started before the file's tests. */
export interface TwoServers {
  database: TestDatabase;
  a: TestServer;
  b: TestServer;
  /** Everything B has logged. */
  logOfB: string;
}

export function useTwoServersOnOneDatabase(): TwoServers {
  const two = { logOfB: "" } as TwoServers;
  beforeAll(async () => {
    two.database = await createTestDatabase({ migrated: true });
    const env = { SIDECAR_DATABASE_URL: two.database.url, SIDECAR_DEMO_ACCOUNT: "yes", LOG_LEVEL: "warn" };
    two.a = await startServer(env);
    two.b = await startServer(env, { logStream: { write: (line: string) => (two.logOfB += line) } });
  }, 30_000);
  afterAll(async () => {
    await two.a?.close();
    await two.b?.close();
    await two.database?.drop();
  });
  return two;
}

/** Runs `use` on a connection of its own to the database at `url` (as an operator or another program would). */
export async function onDatabase<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * The connections to the connected database named $1 that are listening (LISTEN). Only that
 * database's: other test files' servers, on other databases of the same cluster, use the same names.
 */
const LISTENING = "FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND query LIKE 'LISTEN%'";

/** Cuts every listening connection named `applicationName` to the database at `url`, as a network or database hiccup would. */
export async function cutListeners(url: string, applicationName: string): Promise<void> {
  await onDatabase(url, (client) => client.query(`SELECT pg_terminate_backend(pid) ${LISTENING}`, [applicationName]));
}

/** How many connections to the database at `url` named `applicationName` are listening (LISTEN) now. */
export async function listeners(url: string, applicationName: string): Promise<number> {
  const { rows } = await onDatabase(url, (client) => client.query<{ n: number }>(`SELECT COUNT(*)::integer AS n ${LISTENING}`, [applicationName]));
  return rows[0]?.n ?? 0;
}

/** Polls the status until Ready or Failed; returns every distinct (status, progress) seen, in order. */
export async function waitForDocument(
  url: string,
  token: string,
  documentId: string,
  { timeoutMs = 10_000, intervalMs = 20 } = {},
): Promise<{ final: StatusBody; seen: StatusBody[] }> {
  const seen: StatusBody[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await getJson<StatusBody>(url, endpoints.documentStatus.path.replace("{document_id}", documentId), token);
    if (status !== 200) throw new Error(`status ${status}: ${JSON.stringify(body)}`);
    const last = seen[seen.length - 1];
    if (!last || last.status !== body.status || last.progress !== body.progress) seen.push(body);
    if (body.status === "Ready" || body.status === "Failed") return { final: body, seen };
    if (Date.now() > deadline) throw new Error(`document ${documentId} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface ReadBackDocx {
  /** Body paragraphs in order: style id (null = Normal), text, and the texts of the footnotes it refers to (if any). */
  paragraphs: Array<{ style: string | null; text: string; footnotes?: string[] }>;
  customProperties: Record<string, string>;
}

/**
 * Reads a .docx independently of the server's own reader: unzips it with fflate and parses
 * word/document.xml, word/footnotes.xml and docProps/custom.xml with fast-xml-parser.
 */
export function readBackDocx(bytes: Uint8Array): ReadBackDocx {
  const files = unzipSync(bytes);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    parseTagValue: false,
    // xml:space="preserve" text keeps its spaces (" Two." after a footnote mark).
    trimValues: false,
    isArray: (name) => ["p", "r", "t", "property", "footnote"].includes(name),
  });
  const documentXml = files["word/document.xml"];
  if (!documentXml) throw new Error("no word/document.xml");
  type Run = { t?: Array<string | { "#text"?: string }>; footnoteReference?: { "@id"?: string } };
  type Para = { pPr?: { pStyle?: { "@val"?: string } }; r?: Run[] };
  const textOfRuns = (runs: Run[] | undefined) => (runs ?? []).flatMap((r) => (r.t ?? []).map((t) => (typeof t === "string" ? t : (t["#text"] ?? "")))).join("");
  // Footnotes by id: their text (the footnote mark itself has none).
  const footnotes = new Map<string, string>();
  const footnotesXml = files["word/footnotes.xml"];
  if (footnotesXml) {
    const parsed = parser.parse(strFromU8(footnotesXml)) as { footnotes?: { footnote?: Array<{ "@id"?: string; p?: Para[] }> } };
    for (const note of parsed.footnotes?.footnote ?? []) {
      footnotes.set(String(note["@id"]), (note.p ?? []).map((p) => textOfRuns(p.r)).join("\n").trim());
    }
  }
  const document = parser.parse(strFromU8(documentXml)) as { document: { body: { p?: Para[] } } };
  const paragraphs = (document.document.body.p ?? []).map((p) => {
    const notes = (p.r ?? []).flatMap((r) => (r.footnoteReference?.["@id"] !== undefined ? [footnotes.get(String(r.footnoteReference["@id"])) ?? ""] : []));
    return { style: p.pPr?.pStyle?.["@val"] ?? null, text: textOfRuns(p.r), ...(notes.length > 0 ? { footnotes: notes } : {}) };
  });
  const customProperties: Record<string, string> = {};
  const customXml = files["docProps/custom.xml"];
  if (customXml) {
    const custom = parser.parse(strFromU8(customXml)) as { Properties?: { property?: Array<Record<string, unknown>> } };
    for (const property of custom.Properties?.property ?? []) {
      customProperties[String(property["@name"])] = String(property.lpwstr ?? "");
    }
  }
  return { paragraphs, customProperties };
}

/** Whitespace collapsed, for comparing text across paragraph boundaries. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

// ---- each vendor's sign-in (docs/api.md "Services, addresses and credentials") --------------

/** The demo user's id (its Artos user id), read the way a client would: from users/me. */
export async function userIdOf(url: string, email = DEMO.email, password = DEMO.password): Promise<string> {
  const pair = await signIn(url, email, password);
  const response = await fetch(url + endpoints.me.path, { headers: bearer(pair.ejento_access_token) });
  if (response.status !== 200) throw new Error(`me failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: { id: string } }).data.id;
}

/** Artos' sign-in: POST /get-access-token {user_id} → the documents-only access token. */
export async function artosSignIn(url: string, userId: string): Promise<string> {
  const response = await postJson(url, endpoints.artosAccessToken.path, null, { user_id: userId });
  if (response.status !== 200) throw new Error(`get-access-token failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface BatchSignIn {
  user: { id: string; email: string; full_name: string | null; is_active: boolean; is_verified: boolean; created_at: string };
  tokens: { access_token: string; refresh_token: string; token_type: string; expires_in: number };
}

/** The tag generator's sign-in: POST /api/auth/login {email, password}. */
export async function batchSignIn(url: string, email = DEMO.email, password = DEMO.password): Promise<BatchSignIn> {
  const response = await postJson(url, endpoints.batchLogin.path, null, { email, password });
  if (response.status !== 200) throw new Error(`batch login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as BatchSignIn;
}

/** A log stream for startServer's `logStream` that keeps every line's message, to wait for one. */
export function logLines() {
  const lines: Array<{ level: number; msg: string }> = [];
  return {
    lines,
    stream: {
      write(line: string) {
        lines.push(JSON.parse(line) as { level: number; msg: string });
      },
    },
    /** The messages (pino levels: 40 warn, 30 info) that match `pattern`, in order. */
    matching(pattern: RegExp): string[] {
      return lines.map((line) => line.msg).filter((msg) => typeof msg === "string" && pattern.test(msg));
    },
  };
}
