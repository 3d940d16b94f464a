// Local documents over real HTTP: every fixture uploads and lists; re-uploads; names;
// organization isolation.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { UploadedDocument as Uploaded } from "../../src/shared/wire/documents";
import {
  bearer,
  fixtureNames,
  listDocuments,
  readFixture,
  signIn,
  startServer,
  storedFileOf,
  storedFiles,
  upload,
  type TestServer,
} from "./helpers";

let server: TestServer;
let token: string;
let organizationId: string;

beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  const me = await fetch(server.url + endpoints.me.path, { headers: bearer(token) });
  organizationId = ((await me.json()) as { data: { organization: { id: string } } }).data.organization.id;
});
afterAll(() => server.close());

describe("uploading the fixture documents", () => {
  const uploaded = new Map<string, Uploaded>();

  test.each(fixtureNames())("%s is accepted (201) as a Ready local document", async (name) => {
    const bytes = readFixture(name);
    const response = await upload(server.url, token, bytes, name);
    expect(response.status).toBe(201);
    const body = (await response.json()) as Uploaded;
    expect(body).toEqual({
      document_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      document_name: name,
      s3_key: `${organizationId}/documents/${body.document_id}.docx`,
      status: "Ready",
    });
    uploaded.set(name, body);
    // The stored file is the uploaded bytes, under a name the server chose.
    const stored = (await storedFileOf(server, body.document_id)) as Buffer;
    expect(createHash("sha256").update(stored).digest("hex")).toBe(createHash("sha256").update(bytes).digest("hex"));
  });

  test("the list shows every upload with its name, newest first, in the Artos shape", async () => {
    const documents = await listDocuments(server.url, token);
    expect(documents.map((d) => d.document_name)).toEqual([...fixtureNames()].reverse());
    for (const document of documents) {
      expect(document.document_id).toBe(uploaded.get(document.document_name)?.document_id);
      expect(document.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
      expect(document.updated_at).toBe(document.created_at);
      expect(document.workspace_id).toBeNull();
      expect(document.template).toBeNull();
      expect(document.kind).toBe("local");
      expect(document.tags).toEqual([]);
      expect(document.size_bytes).toBe(readFixture(document.document_name).length);
    }
    expect((await storedFiles(server))).toEqual({ files: expect.any(Array), tmp: [] });
    expect((await storedFiles(server)).files).toHaveLength(documents.length);
  });

  test("re-uploading the same bytes under the same name returns the existing record (200)", async () => {
    const name = "openxml-sdk-nutrition-report.docx";
    const before = await listDocuments(server.url, token);
    const response = await upload(server.url, token, readFixture(name), name);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(uploaded.get(name));
    expect(await listDocuments(server.url, token)).toHaveLength(before.length);
    expect((await storedFiles(server))).toEqual({ files: expect.any(Array), tmp: [] });
    expect((await storedFiles(server)).files).toHaveLength(before.length);
  });

  test("the same bytes under another name are a new document", async () => {
    const name = "openxml-sdk-nutrition-report.docx";
    const response = await upload(server.url, token, readFixture(name), "Nutrition (copy).docx");
    expect(response.status).toBe(201);
    const body = (await response.json()) as Uploaded;
    expect(body.document_id).not.toBe(uploaded.get(name)?.document_id);
    expect(body.document_name).toBe("Nutrition (copy).docx");
    expect((await listDocuments(server.url, token))[0]?.document_id).toBe(body.document_id);
  });
});

describe("document names", () => {
  test.each([
    ["Überblick – Bericht ß.docx", "Überblick – Bericht ß.docx"],
    ["notes", "notes.docx"],
    ["Report.DOCX", "Report.DOCX"],
    ["  spaced out  .docx", "spaced out.docx"],
    ["evil\u202Excod.docx", "evilxcod.docx"],
    ["tab\tand\u0007bell.docx", "tabandbell.docx"],
    [".docx", "document.docx"],
    [`${"a".repeat(300)}.docx`, `${"a".repeat(195)}.docx`],
  ])("%j is listed as %j", async (sent, expected) => {
    // Same bytes each time; the names differ, so each is a new document.
    const response = await upload(server.url, token, readFixture("mammoth-empty.docx"), sent);
    expect(response.status).toBe(201);
    const body = (await response.json()) as Uploaded;
    expect(body.document_name).toBe(expected);
    expect(body.document_name.length).toBeLessThanOrEqual(200);
    // Never a path from the name: the stored file is <document_id>.docx.
    expect((await server.app.sidecar.storage.documents.get(body.document_id))?.stored_file_name).toBe(`${body.document_id}.docx`);
    expect(await storedFileOf(server, body.document_id)).not.toBeNull();
  });

  test("a path in the file name is reduced to its last part and stays out of the data dir", async () => {
    // A hand-written multipart body, so the "../" reaches the server as sent.
    const raw = [
      "--b",
      'Content-Disposition: form-data; name="file"; filename="../../etc/evil.docx"',
      "Content-Type: application/octet-stream",
      "",
      "",
    ].join("\r\n");
    const body = Buffer.concat([Buffer.from(raw), readFixture("mammoth-tables.docx"), Buffer.from("\r\n--b--\r\n")]);
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "multipart/form-data; boundary=b" },
      body,
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Uploaded).document_name).toBe("evil.docx");
    expect(fs.existsSync(path.join(server.root, "etc"))).toBe(false);
  });
});

describe("organizations", () => {
  test("a user of another organization sees none of these documents and gets their own records", async () => {
    await addUser(server.app.sidecar.storage, {
      organizationName: "Other Org",
      email: "someone@other.example",
      password: "other-password",
    });
    const other = (await signIn(server.url, "someone@other.example", "other-password")).ejento_access_token;
    const mine = await listDocuments(server.url, token);
    expect(mine.length).toBeGreaterThan(0);
    expect(await listDocuments(server.url, other)).toEqual([]);

    // The same bytes and name as one of org A's documents: a new record in org B, not A's.
    const name = "mammoth-comments.docx";
    const response = await upload(server.url, other, readFixture(name), name);
    expect(response.status).toBe(201);
    const body = (await response.json()) as Uploaded;
    expect(mine.map((d) => d.document_id)).not.toContain(body.document_id);
    expect(body.s3_key.startsWith(`${organizationId}/`)).toBe(false);
    expect((await listDocuments(server.url, other)).map((d) => d.document_id)).toEqual([body.document_id]);
    expect((await listDocuments(server.url, token)).map((d) => d.document_id)).not.toContain(body.document_id);
  });

  test("the documents list needs a sign-in", async () => {
    const response = await fetch(server.url + endpoints.listDocuments.path);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "Not authenticated" });
  });
});
