// Grounding through a corpus, the Ejento way (docs/api.md "Grounding"; docs/vendors.md Ejento A6,
// A4.3), over real HTTP: create a corpus, upload a .docx into it through the indexing face, poll
// its step until it is indexed, link the corpus to a thread and ask with corpus_ids /
// is_file_attached — the answer cites only the corpus's document, which is the same Sidecar
// document as an Artos upload of the same bytes and name. Also: a corpus not indexed yet, indexing
// that survives a restart (or fails with its reason), uploads that are refused, the cited file by
// its storage name, and 404 for everything of another person's.
import fs from "node:fs";
import path from "node:path";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import {
  corpus as corpusSchema,
  corpusDocument,
  type ChatThreadResponse,
  type CorpusDocument,
  type CorpusDocumentListResponse,
  type CorpusDocumentResponse,
  type CorpusResponse,
  type EjentoError,
  type ThreadCorporaResponse,
  type ThreadCorpusLinkResponse,
} from "../../src/shared/wire/chat";
import { topicDocx, TOPICS } from "./batch-helpers";
import {
  EJENTO_CORPUS_DOCUMENT_FIELDS,
  EJENTO_CORPUS_FIELDS,
  ask,
  call,
  endOf,
  expectEnvelope,
  expectFailure,
  expectShape,
  path as fill,
  stream,
  thoughtsOf,
} from "./chat-helpers";
import { bearer, loseStoredFile, makeTempDir, postJson, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const NUTRITION = "openxml-sdk-nutrition-report.docx";
/** A document outside the corpus that matches the bee question better than the corpus's own. */
const MORE_BEES = [
  "Varroa mites: how beekeepers treat varroa mites. Beekeepers treat varroa mites with oxalic acid; varroa mites in the hive are treated in autumn and winter.",
  "Treating varroa mites: the beekeeper counts varroa mites on a sticky board, then treats the hive against varroa mites again.",
];
const BEE_QUESTION = "How do beekeepers treat varroa mites in the hive?";

const createCorpusPath = endpoints.createCorpus.path;
const uploadPath = (corpusId: number | string) => fill(endpoints.uploadCorpusDocument.path, { corpus_id: corpusId });
const corpusDocumentsPath = (corpusId: number | string) => fill(endpoints.listCorpusDocuments.path, { corpus_id: corpusId });
const documentPath = (documentId: number | string) => fill(endpoints.getCorpusDocument.path, { document_id: documentId });
const linkPath = (threadId: number | string, corpusId: number | string) => fill(endpoints.linkThreadCorpus.path, { thread_id: threadId, corpus_id: corpusId });
const threadCorporaPath = (threadId: number | string) => fill(endpoints.listThreadCorpora.path, { thread_id: threadId });
const citationPath = (name: string) => fill(endpoints.citationContent.path, { name });

async function createCorpus(url: string, token: string, body: Record<string, unknown> = { name: "AttachmentCorpus", corpus_type: "attachment", indexing_mode_id: 3 }) {
  const created = await call(url, "POST", createCorpusPath, token, body);
  if (created.status !== 201) throw new Error(`create corpus: ${created.status} ${JSON.stringify(created.body)}`);
  return (created.body as CorpusResponse).data;
}

/** The upload Ejento's clients send (A6): user_id, content_type, upload_from, attachment, and the file as `source`. */
async function uploadInto(url: string, token: string, corpusId: number | string, bytes: Uint8Array, filename: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  const all = { user_id: "7", content_type: "file", upload_from: "web", attachment: "true", ...fields };
  for (const [name, value] of Object.entries(all)) form.append(name, value);
  form.append("source", new Blob([new Uint8Array(bytes)], { type: DOCX_TYPE }), filename);
  const response = await fetch(url + uploadPath(corpusId), { method: "POST", headers: bearer(token), body: form });
  return { status: response.status, body: (await response.json()) as CorpusDocumentResponse | EjentoError };
}

async function uploadedDocument(url: string, token: string, corpusId: number | string, bytes: Uint8Array, filename: string): Promise<CorpusDocument> {
  const { status, body } = await uploadInto(url, token, corpusId, bytes, filename);
  if (status !== 201 && status !== 200) throw new Error(`upload into corpus: ${status} ${JSON.stringify(body)}`);
  return (body as CorpusDocumentResponse).data;
}

/** Polls Get a Document until it is completed or failed (or the deadline passes); every step seen, in order. */
async function waitIndexed(url: string, token: string, documentId: number, timeoutMs = 10_000): Promise<{ final: CorpusDocument; steps: string[] }> {
  const steps: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call(url, "GET", documentPath(documentId), token);
    if (status !== 200) throw new Error(`get document: ${status} ${JSON.stringify(body)}`);
    const document = (body as CorpusDocumentResponse).data;
    if (steps[steps.length - 1] !== document.step) steps.push(document.step);
    if (document.step === "completed" || document.is_failed) return { final: document, steps };
    if (Date.now() > deadline) throw new Error(`corpus document ${documentId} still ${document.step} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

async function newThread(url: string, token: string): Promise<number> {
  const created = await call(url, "POST", fill(endpoints.createChatThread.path, { agent_id: 1 }), token, {});
  return (created.body as ChatThreadResponse).data.id;
}

describe("a corpus on the local server", () => {
  let server: TestServer;
  let token: string;
  let otherToken: string;
  let beesBytes: Buffer;
  let corpus: CorpusResponse["data"];
  let uploaded: CorpusDocument;
  let threadId: number;
  /** The Sidecar document the corpus's file is (from an Artos upload of the same bytes and name). */
  let beesDocumentId: string;
  let beesS3Key: string;
  let moreBeesId: string;

  beforeAll(async () => {
    server = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0", SIDECAR_INDEXING_DELAY_MS: "100", SIDECAR_MAX_UPLOAD_BYTES: String(1024 * 1024) });
    token = (await signIn(server.url)).ejento_access_token;
    await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
    otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
    beesBytes = await topicDocx("bees", TOPICS.bees);
  }, 30_000);

  afterAll(async () => {
    await server?.close();
  });

  it("creates a corpus (201, Ejento's envelope and fields); 422 naming the field for a bad body", async () => {
    const created = await call(server.url, "POST", createCorpusPath, token, { name: "AttachmentCorpus-1", description: "For the open document", indexing_mode_id: 3, corpus_type: "attachment" });
    expect(created.status).toBe(201);
    expectEnvelope(created.body);
    corpus = (created.body as CorpusResponse).data;
    expectShape(corpus, corpusSchema, EJENTO_CORPUS_FIELDS);
    expect(corpus).toMatchObject({ name: "AttachmentCorpus-1", description: "For the open document", corpus_type: "attachment", indexing_mode_id: 3, created_by: "demo@sidecar.local" });
    // Only a name is needed.
    const bare = await createCorpus(server.url, token, { name: "Bare" });
    expect(bare).toMatchObject({ name: "Bare", description: "", corpus_type: "attachment", indexing_mode_id: null });
    expect(bare.id).toBeGreaterThan(corpus.id);
    for (const [body, field] of [[{}, "name"], [{ name: "  " }, "name"], [{ name: "x", indexing_mode_id: "three" }, "indexing_mode_id"]] as const) {
      const invalid = await call(server.url, "POST", createCorpusPath, token, body);
      expect(invalid.status).toBe(422);
      expectFailure(invalid.body);
      expect((invalid.body as EjentoError).message).toMatch(new RegExp(`^${field}: `));
    }
  });

  it("takes a .docx through the indexing face: 201 at step “uploaded”, then indexed until “completed”", async () => {
    const { status, body } = await uploadInto(server.url, token, corpus.id, beesBytes, "bees.docx");
    expect(status).toBe(201);
    expectEnvelope(body);
    uploaded = (body as CorpusDocumentResponse).data;
    expectShape(uploaded, corpusDocument, EJENTO_CORPUS_DOCUMENT_FIELDS);
    expect(uploaded).toMatchObject({
      corpus: corpus.id,
      type: "file",
      source: "bees.docx",
      upload_from: "web",
      step: "uploaded",
      is_failed: false,
      is_deleted: false,
      error: null,
      created_by: "demo@sidecar.local",
    });
    const { final, steps } = await waitIndexed(server.url, token, uploaded.id);
    expect(steps[0]).toBe("uploaded");
    expect(steps[steps.length - 1]).toBe("completed");
    expect(steps.every((step) => ["uploaded", "processing", "completed"].includes(step))).toBe(true);
    expectShape(final, corpusDocument, EJENTO_CORPUS_DOCUMENT_FIELDS);
    expect(final).toMatchObject({ id: uploaded.id, is_failed: false, error: null });
    // The corpus lists it.
    const listed = await call(server.url, "GET", corpusDocumentsPath(corpus.id), token);
    expect(listed.status).toBe(200);
    expectEnvelope(listed.body);
    const documents = (listed.body as CorpusDocumentListResponse).data.documents;
    expect(documents.map((document) => document.id)).toEqual([uploaded.id]);
    for (const document of documents) expectShape(document, corpusDocument, EJENTO_CORPUS_DOCUMENT_FIELDS);
    // Uploading it again into the same corpus is the same entry (200).
    const again = await uploadInto(server.url, token, corpus.id, beesBytes, "bees.docx");
    expect(again.status).toBe(200);
    expect((again.body as CorpusDocumentResponse).data).toMatchObject({ id: uploaded.id, step: "completed" });
    // The file is the organization's Sidecar document: an Artos upload of the same bytes and name finds it.
    const artos = await upload(server.url, token, beesBytes, "bees.docx");
    expect(artos.status).toBe(200);
    ({ document_id: beesDocumentId, s3_key: beesS3Key } = (await artos.json()) as { document_id: string; s3_key: string });
  });

  it("links the corpus to a thread (idempotent) and lists a thread's corpora (404 when none)", async () => {
    threadId = await newThread(server.url, token);
    const none = await call(server.url, "GET", threadCorporaPath(threadId), token);
    expect(none.status).toBe(404);
    expectFailure(none.body);
    const linked = await call(server.url, "POST", linkPath(threadId, corpus.id), token);
    expect(linked.status).toBe(201);
    expectEnvelope(linked.body);
    expect((linked.body as ThreadCorpusLinkResponse).data).toEqual({ chat_thread: threadId, corpus: corpus.id });
    const twice = await call(server.url, "POST", linkPath(threadId, corpus.id), token);
    expect(twice.status).toBe(200);
    expect((twice.body as ThreadCorpusLinkResponse).data).toEqual({ chat_thread: threadId, corpus: corpus.id });
    const list = await call(server.url, "GET", threadCorporaPath(threadId), token);
    expect(list.status).toBe(200);
    expectEnvelope(list.body);
    const corpora = (list.body as ThreadCorporaResponse).data.corpora;
    // (modified_on moved on when the document was added.)
    expect(corpora).toEqual([{ ...corpus, modified_on: expect.any(String) }]);
    expect(corpora[0]!.modified_on >= corpus.modified_on).toBe(true);
    for (const entry of corpora) expectShape(entry, corpusSchema, EJENTO_CORPUS_FIELDS);
    // The thread names its corpus.
    const threads = await call(server.url, "GET", fill(endpoints.listChatThreads.path, { agent_id: 1 }), token);
    const listed = (threads.body as { data: { chat_threads: Array<{ id: number; corpus_id: number | null }> } }).data.chat_threads.find((thread) => thread.id === threadId);
    expect(listed?.corpus_id).toBe(corpus.id);
    // Unknown thread or corpus → 404.
    expect((await call(server.url, "POST", linkPath(999999, corpus.id), token)).status).toBe(404);
    expect((await call(server.url, "POST", linkPath(threadId, 999999), token)).status).toBe(404);
  });

  it("grounds a question with corpus_ids and is_file_attached only on the corpus's document, even when another document matches better", async () => {
    // Another document of the organization, newer, that matches the question better…
    const more = await upload(server.url, token, await topicDocx("more-bees", MORE_BEES), "more-bees.docx");
    moreBeesId = ((await more.json()) as { document_id: string }).document_id;
    const ungrounded = endOf((await stream(server.url, token, ask(BEE_QUESTION))).events);
    expect(ungrounded.references.map((reference) => reference.document_id)).toContain(moreBeesId);
    // …is not cited when the question is grounded on the corpus.
    const { events } = await stream(server.url, token, ask(BEE_QUESTION, { chat_thread_id: threadId, is_file_attached: true, overrides: { corpus_ids: [corpus.id] } }));
    const output = endOf(events);
    expect(output.thread_id).toBe(threadId);
    expect(output.references.length).toBeGreaterThan(0);
    for (const reference of output.references) {
      expect(reference.document_id).toBe(beesDocumentId);
      expect(reference.url).toBe(beesS3Key);
      expect(reference.s3_key).toBe(beesS3Key);
    }
    expect(output.answer).toMatch(/\[1\]/);
    expect(thoughtsOf(events)).toMatch(/bees\.docx/);
    expect(thoughtsOf(events)).not.toMatch(/more-bees/);
    // is_file_attached alone: the thread's linked corpora.
    const attached = endOf((await stream(server.url, token, ask(BEE_QUESTION, { chat_thread_id: threadId, is_file_attached: true }))).events);
    expect(attached.references.length).toBeGreaterThan(0);
    for (const reference of attached.references) expect(reference.document_id).toBe(beesDocumentId);
    // A corpus of the caller's that is not linked to the thread may be named too; corpus_ids win over document_ids.
    const unlinked = endOf(
      (await stream(server.url, token, ask(BEE_QUESTION, { chat_thread_id: await newThread(server.url, token), overrides: { corpus_ids: [String(corpus.id)], document_ids: [moreBeesId] } }))).events,
    );
    expect(unlinked.references.length).toBeGreaterThan(0);
    for (const reference of unlinked.references) expect(reference.document_id).toBe(beesDocumentId);
    // Non-streaming too.
    const response = await postJson(server.url, fill(endpoints.createAgentResponse.path, { agent_id: 1 }), token, ask(BEE_QUESTION, { overrides: { corpus_ids: [corpus.id] } }));
    const data = ((await response.json()) as { data: { references: Array<{ document_id?: string }> } }).data;
    expect(data.references.length).toBeGreaterThan(0);
    for (const reference of data.references) expect(reference.document_id).toBe(beesDocumentId);
  });

  it("says so, and answers from nothing, when a named corpus has no indexed document; 404 before the stream for an unknown corpus", async () => {
    const empty = await createCorpus(server.url, token, { name: "Empty corpus" });
    const { events } = await stream(server.url, token, ask(BEE_QUESTION, { overrides: { corpus_ids: [empty.id] } }));
    const output = endOf(events);
    expect(output.references).toEqual([]);
    expect(output.answer).toMatch(/^I found nothing to answer from/);
    expect(thoughtsOf(events)).toMatch(/“Empty corpus” has no documents/);
    const unknown = await postJson(server.url, fill(endpoints.streamAgentResponse.path, { agent_id: 1 }), token, ask(BEE_QUESTION, { overrides: { corpus_ids: [999999] } }));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/application\/json/);
    expectFailure(await unknown.json());
    const malformed = await postJson(server.url, fill(endpoints.streamAgentResponse.path, { agent_id: 1 }), token, ask(BEE_QUESTION, { overrides: { corpus_ids: ["one"] } }));
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as EjentoError).message).toMatch(/^overrides\.corpus_ids/);
  });

  it("serves a cited file by its storage name (the reference's url): the bytes, inline, its type", async () => {
    for (const route of [citationPath(beesS3Key), `${endpoints.citationContent.path.replace("{name}", beesS3Key)}`]) {
      const response = await fetch(`${server.url}${route}?storage_container=documents&convert_to_pdf=true`, { headers: { ...bearer(token), accept: "*/*" } });
      expect([route, response.status]).toEqual([route, 200]);
      expect(response.headers.get("content-type")).toBe(DOCX_TYPE);
      expect(response.headers.get("content-disposition")).toMatch(/^inline; filename="bees\.docx"/);
      expect(Buffer.from(await response.arrayBuffer()).equals(beesBytes)).toBe(true);
    }
    const missing = await call(server.url, "GET", citationPath("no/such/file.docx"), token);
    expect(missing.status).toBe(404);
    expectFailure(missing.body);
    expect((await fetch(server.url + citationPath(beesS3Key))).status).toBe(401);
  });

  it("refuses an upload that is not a .docx (400, in words) or too large (413), and goes on serving", async () => {
    const pdf = await uploadInto(server.url, token, corpus.id, Buffer.from("%PDF-1.4 not really"), "notes.pdf");
    expect(pdf.status).toBe(400);
    expectFailure(pdf.body);
    expect((pdf.body as EjentoError).message).toMatch(/“notes\.pdf” is not a Word document.*\.docx/);
    const fake = await uploadInto(server.url, token, corpus.id, Buffer.from("just text, no zip"), "fake.docx");
    expect(fake.status).toBe(400);
    expectFailure(fake.body);
    const big = await uploadInto(server.url, token, corpus.id, Buffer.alloc(1024 * 1024 + 10, 1), "big.docx");
    expect(big.status).toBe(413);
    expectFailure(big.body);
    const noFile = new FormData();
    noFile.append("user_id", "7");
    const empty = await fetch(server.url + uploadPath(corpus.id), { method: "POST", headers: bearer(token), body: noFile });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as EjentoError).message).toMatch(/no file.*"source"/);
    const wrongField = new FormData();
    wrongField.append("file", new Blob([new Uint8Array(beesBytes)]), "bees.docx");
    const wrong = await fetch(server.url + uploadPath(corpus.id), { method: "POST", headers: bearer(token), body: wrongField });
    expect(wrong.status).toBe(400);
    const json = await postJson(server.url, uploadPath(corpus.id), token, { source: "bees.docx" });
    expect(json.status).toBe(400);
    // Nothing was added to the corpus, and the server goes on serving.
    const listed = await call(server.url, "GET", corpusDocumentsPath(corpus.id), token);
    expect((listed.body as CorpusDocumentListResponse).data.documents.map((document) => document.id)).toEqual([uploaded.id]);
    expect((await uploadInto(server.url, token, corpus.id, beesBytes, "bees.docx")).status).toBe(200);
  });

  it("answers 404 to another organization's user for the thread, answer, corpus, corpus document, link and cited file", async () => {
    const answer = endOf((await stream(server.url, token, ask(BEE_QUESTION, { chat_thread_id: threadId, is_file_attached: true }))).events);
    const theirCorpus = await createCorpus(server.url, otherToken, { name: "Theirs" });
    const theirThread = await newThread(server.url, otherToken);
    const attempts: Array<[string, Promise<{ status: number; body: unknown }>]> = [
      ["thread history", call(server.url, "GET", fill(endpoints.listThreadResponses.path, { thread_id: threadId }), otherToken)],
      ["rename thread", call(server.url, "PUT", fill(endpoints.renameChatThread.path, { thread_id: threadId }), otherToken, { title: "Mine" })],
      ["delete thread", call(server.url, "DELETE", fill(endpoints.deleteChatThread.path, { thread_id: threadId }), otherToken)],
      ["delete answer", call(server.url, "DELETE", fill(endpoints.deleteAgentResponse.path, { agent_response_id: answer.agent_response_id }), otherToken)],
      ["feedback", call(server.url, "POST", fill(endpoints.sendFeedback.path, { agent_response_id: answer.agent_response_id }), otherToken, { vote_type: "upvote" })],
      ["corpus documents", call(server.url, "GET", corpusDocumentsPath(corpus.id), otherToken)],
      ["corpus document", call(server.url, "GET", documentPath(uploaded.id), otherToken)],
      ["link their thread to my corpus", call(server.url, "POST", linkPath(theirThread, corpus.id), otherToken)],
      ["link my thread to their corpus", call(server.url, "POST", linkPath(threadId, theirCorpus.id), otherToken)],
      ["my thread's corpora", call(server.url, "GET", threadCorporaPath(threadId), otherToken)],
      ["cited file", call(server.url, "GET", citationPath(beesS3Key), otherToken)],
      ["ask with my corpus", call(server.url, "POST", fill(endpoints.createAgentResponse.path, { agent_id: 1 }), otherToken, ask(BEE_QUESTION, { overrides: { corpus_ids: [corpus.id] } }))],
      ["continue my thread", call(server.url, "POST", fill(endpoints.createAgentResponse.path, { agent_id: 1 }), otherToken, ask(BEE_QUESTION, { chat_thread_id: threadId }))],
    ];
    for (const [what, attempt] of attempts) {
      const { status, body } = await attempt;
      expect([what, status]).toEqual([what, 404]);
      expectFailure(body);
    }
    const intoMine = await uploadInto(server.url, otherToken, corpus.id, beesBytes, "bees.docx");
    expect(intoMine.status).toBe(404);
    expectFailure(intoMine.body);
    // And I can't reach theirs either; mine are untouched.
    expect((await call(server.url, "GET", corpusDocumentsPath(theirCorpus.id), token)).status).toBe(404);
    expect((await call(server.url, "GET", threadCorporaPath(threadId), token)).status).toBe(200);
    expect((await call(server.url, "GET", documentPath(uploaded.id), token)).status).toBe(200);
  });
});

describe("indexing across a restart", () => {
  const roots: string[] = [];
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it("a document not indexed yet is not searched (said so); after a restart it is indexed, or fails with its reason — never stuck", async () => {
    const root = makeTempDir("sidecar-corpus-restart-");
    roots.push(root);
    const dataDir = path.join(root, "data");
    // Indexing waits ten minutes here: the documents stay "uploaded" until the server stops.
    const first = await startServer({ SIDECAR_DATA_DIR: dataDir, SIDECAR_CHAT_DELTA_DELAY_MS: "0", SIDECAR_INDEXING_DELAY_MS: "600000" });
    servers.push(first);
    const token = (await signIn(first.url)).ejento_access_token;
    const corpus = await createCorpus(first.url, token, { name: "Waiting" });
    const bees = await uploadedDocument(first.url, token, corpus.id, await topicDocx("bees", TOPICS.bees), "bees.docx");
    const broken = await uploadedDocument(first.url, token, corpus.id, readFixture(NUTRITION), NUTRITION);
    expect([bees.step, broken.step]).toEqual(["uploaded", "uploaded"]);

    const { events } = await stream(first.url, token, ask(BEE_QUESTION, { overrides: { corpus_ids: [corpus.id] } }));
    const output = endOf(events);
    expect(output.references).toEqual([]);
    expect(output.answer).toBe("I found nothing to answer from: the documents of “Waiting” are not indexed yet. Wait until their indexing completes, then ask again.");
    expect(thoughtsOf(events)).toMatch(/“bees\.docx” in the corpus “Waiting” is not indexed yet \(uploaded\); it was not searched\./);

    // The server stops with both unfinished; one file is lost meanwhile (both were read when uploaded).
    const storage = first.app.sidecar.storage;
    const brokenRow = (await storage.documents.get((await storage.corpora.getDocument(broken.id))!.document_id))!;
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await loseStoredFile(dataDir, brokenRow);

    const second = await startServer({ SIDECAR_DATA_DIR: dataDir, SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
    servers.push(second);
    const again = (await signIn(second.url)).ejento_access_token;
    const indexed = await waitIndexed(second.url, again, bees.id);
    expect(indexed.final).toMatchObject({ step: "completed", is_failed: false, error: null });
    const failed = await waitIndexed(second.url, again, broken.id);
    expect(failed.final.is_failed).toBe(true);
    expect(failed.final.error).toEqual(expect.any(String));
    expect((failed.final.error ?? "").length).toBeGreaterThan(10);
    expectShape(failed.final, corpusDocument, EJENTO_CORPUS_DOCUMENT_FIELDS);

    // Now the corpus answers from its indexed document, and says the other failed.
    const { events: after } = await stream(second.url, again, ask(BEE_QUESTION, { overrides: { corpus_ids: [corpus.id] } }));
    const answered = endOf(after);
    expect(answered.references.length).toBeGreaterThan(0);
    expect(thoughtsOf(after)).toMatch(/Skipped “openxml-sdk-nutrition-report\.docx” in the corpus “Waiting”: its indexing failed/);
  }, 30_000);
});

describe("the indexing face", () => {
  let ejentoOnly: TestServer;
  beforeAll(async () => {
    ejentoOnly = await startServer({ SIDECAR_SERVICES: "ejento" });
  });
  afterAll(() => ejentoOnly?.close());

  it("serves the upload into a corpus; a server without it says which service the upload belongs to", async () => {
    const token = (await signIn(ejentoOnly.url)).ejento_access_token;
    const corpus = await createCorpus(ejentoOnly.url, token, { name: "Here" });
    const form = new FormData();
    form.append("source", new Blob([new Uint8Array(readFixture(NUTRITION))]), NUTRITION);
    const response = await fetch(ejentoOnly.url + uploadPath(corpus.id), { method: "POST", headers: bearer(token), body: form });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/does not serve the Ejento indexing service/);
    // The ejento face still answers the corpus's documents.
    expect((await call(ejentoOnly.url, "GET", corpusDocumentsPath(corpus.id), token)).status).toBe(200);
  });
});
