/**
 * @jest-environment node
 */
// Every pane API function against the real local server over HTTP: first as one Sidecar server
// (one address, one sign-in), then as three separately started servers with their own users —
// the Ejento faces, the documents service and the tag generator — signed in to each the vendor's
// way, each call carrying only its own service's credentials.
import { ConnectionSettingsStore } from "../../src/taskpane/api/connection-settings";
import { downloadByKey, presignedUrl } from "../../src/taskpane/api/download";
import { getDocuments } from "../../src/taskpane/api/get-documents";
import { HttpClient } from "../../src/taskpane/api/http-client";
import { SessionStore } from "../../src/taskpane/api/session-store";
import type { StreamEvent } from "../../src/taskpane/api/sse";
import { uploadDocument } from "../../src/taskpane/api/upload-document";
import { controlBatch } from "../../src/taskpane/features/batch/api/control-batch";
import { getActiveBatches } from "../../src/taskpane/features/batch/api/get-active-batches";
import { getBatchStatus } from "../../src/taskpane/features/batch/api/get-batch-status";
import { startBatch } from "../../src/taskpane/features/batch/api/start-batch";
import { getAgents } from "../../src/taskpane/features/chat/api/get-agents";
import { sendFeedback } from "../../src/taskpane/features/chat/api/send-feedback";
import { streamAnswer } from "../../src/taskpane/features/chat/api/stream-answer";
import { getThreadTurns, getThreads } from "../../src/taskpane/features/chat/api/threads";
import { getMe } from "../../src/taskpane/features/connection/api/get-me";
import { getLoginMethods } from "../../src/taskpane/features/connection/api/login-methods";
import { signIn } from "../../src/taskpane/features/connection/api/sign-in";
import { signOut } from "../../src/taskpane/features/connection/api/sign-out";
import { testConnection } from "../../src/taskpane/features/connection/api/test-connection";
import { createDocumentSet } from "../../src/taskpane/features/generate/api/create-document-set";
import { generateDocument } from "../../src/taskpane/features/generate/api/generate-document";
import { getDocument } from "../../src/taskpane/features/generate/api/get-document";
import { getDocumentSets } from "../../src/taskpane/features/generate/api/get-document-sets";
import { getGenerationStatus } from "../../src/taskpane/features/generate/api/get-generation-status";
import { getTemplates } from "../../src/taskpane/features/generate/api/get-templates";
import { getSections } from "../../src/taskpane/features/sources/api/get-sections";
import { getSourceContext } from "../../src/taskpane/features/sources/api/get-source-context";
import { getSources } from "../../src/taskpane/features/sources/api/get-sources";
import { DEMO, readFixture, startServer, type TestServer } from "../server/helpers";

const fixture = "openxml-sdk-nutrition-report.docx";

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not done after ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("one Sidecar server", () => {
  let server: TestServer;
  let client: HttpClient;
  beforeAll(async () => {
    server = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
    client = new HttpClient({ settings: new ConnectionSettingsStore(), session: new SessionStore(), origin: "http://pane.invalid" });
    client.settings.update({ serverUrl: server.url });
  });
  afterAll(async () => server?.close());

  test("sign in, who am I, and the sign-in methods", async () => {
    await signIn(client, DEMO);
    expect(client.session.credentials("sidecar")).toMatchObject({ kind: "ejento", who: DEMO.email });
    const me = await getMe(client);
    expect(me).toMatchObject({ email: DEMO.email, organization: { name: "demo" } });
    expect((await getLoginMethods(client)).password).toBe(true);
    expect((await testConnection(client, "documents")).ok).toBe(true);
  });

  test("documents: upload, list, templates, document sets, generate to Ready, the result, a presigned download", async () => {
    const uploaded = await uploadDocument(client, { name: fixture, file: new Blob([new Uint8Array(readFixture(fixture))]) });
    expect((await getDocuments(client)).map((d) => d.document_id)).toContain(uploaded.document_id);
    const templates = await getTemplates(client);
    expect(templates.length).toBeGreaterThan(0);
    const set = await createDocumentSet(client, "Contract set");
    expect((await getDocumentSets(client)).map((s) => s.document_set_id)).toContain(set.document_set_id);
    const template = templates[0]!;
    const { task_id } = await generateDocument(client, {
      document_type: template.document_type,
      file_paths: [uploaded.s3_key],
      connector_data_id: set.document_set_id,
      workspace_name: set.document_set_name,
      template_id: template.template_id,
      output_name: "Contract result",
    });
    const final = await until(() => getGenerationStatus(client, task_id), (s) => s.status === "Ready" || s.status === "Failed");
    expect(final.status).toBe("Ready");
    // The pane reads when it was asked for and when it ended (a local server extension).
    expect(Date.parse(final.finished_at ?? "") - Date.parse(final.queued_at ?? "")).toBeGreaterThanOrEqual(0);
    const generated = await getDocument(client, task_id);
    expect(generated.sections?.length).toBe(template.sections.length);
    const bytes = await downloadByKey(client, generated.s3_key);
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]);
    expect(await presignedUrl(client, generated.s3_key)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);

    const sections = await getSections(client, task_id);
    expect(sections.map((s) => s.section_title)).toEqual(template.sections.map((s) => s.section_name));
    const sources = await getSources(client, { documentId: task_id, sectionId: sections[0]!.section_id });
    expect(sources.sources.length).toBeGreaterThan(0);
    const source = sources.sources[0]!;
    const context = await getSourceContext(client, source.document_source_id, String(source.passage_id));
    expect(context.passage.length).toBeGreaterThan(0);
  });

  test("chat: agents, a streamed answer that ends, the thread and its turn, feedback", async () => {
    const agents = await getAgents(client);
    expect(agents.length).toBeGreaterThan(0);
    const events: StreamEvent[] = [];
    const outcome = await streamAnswer(client, {
      agentId: agents[0]!.id,
      request: {
        user_query: "What does the report say about nutrition?",
        chat_thread_id: null,
        query_source: "word-addin",
        caching_enabled: false,
        is_file_attached: false,
        history: [],
        overrides: { suggest_followup_questions: true, log_intermediate_response: true, retrieve_data_points: true },
      },
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
    });
    expect(outcome).toBe("end");
    const end = events.find((e) => e.step === "end")!;
    const threadId = String(end.output?.thread_id);
    expect((await getThreads(client, agents[0]!.id)).map((t) => t.id)).toContain(threadId);
    const turns = await getThreadTurns(client, threadId);
    expect(turns[0]?.question).toBe("What does the report say about nutrition?");
    await sendFeedback(client, String(end.output?.agent_response_id), "upvote");
  });

  test("batch: start with s3 keys, status to the end, nothing left active", async () => {
    const docs = await getDocuments(client);
    const started = await startBatch(client, { documents: docs.slice(0, 1).map((d) => ({ title: d.document_name, s3_key: d.s3_key })), config: { num_tags: 5, exclusion_words: [] } });
    const done = await until(() => getBatchStatus(client, started.job_id), (s) => ["completed", "failed", "cancelled"].includes(String(s.status)));
    expect(done.status).toBe("completed");
    expect(await getActiveBatches(client)).toEqual([]);
    await expect(controlBatch(client, "pause", started.job_id)).rejects.toMatchObject({ kind: "conflict" });
  });

  test("sign out ends the sign-in on the server too", async () => {
    const token = client.bearerFor("documents");
    await signOut(client, "sidecar");
    expect(client.session.slot("sidecar").status).toBe("signed-out");
    await expect(getDocuments(client)).rejects.toMatchObject({ kind: "unauthorized" });
    const response = await fetch(`${server.url}/api/v1/documents/`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
  });
});
