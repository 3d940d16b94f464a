/**
 * @jest-environment node
 */
// The pane's API functions against the vendors' own shapes (test/contract/vendor-shapes/*.json,
// each saying where its shape comes from), served by msw at three separate hosts the way a
// customer's deployment is: Ejento, Artos and the tag generator, each with its own credentials.
import fs from "node:fs";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { ConnectionSettingsStore } from "../../src/taskpane/api/connection-settings";
import { getDocuments } from "../../src/taskpane/api/get-documents";
import { HttpClient } from "../../src/taskpane/api/http-client";
import { SessionStore } from "../../src/taskpane/api/session-store";
import { controlBatch } from "../../src/taskpane/features/batch/api/control-batch";
import { getActiveBatches } from "../../src/taskpane/features/batch/api/get-active-batches";
import { getBatchStatus } from "../../src/taskpane/features/batch/api/get-batch-status";
import { startBatch } from "../../src/taskpane/features/batch/api/start-batch";
import { getAgents } from "../../src/taskpane/features/chat/api/get-agents";
import { GROUNDING_SETTING, groundOpenDocument } from "../../src/taskpane/features/chat/api/grounding";
import { createThread, deleteAgentResponse, deleteThread, getThreadTurns, getThreads, renameThread } from "../../src/taskpane/features/chat/api/threads";
import { FakeHost } from "../support/fake-host";
import { getMe } from "../../src/taskpane/features/connection/api/get-me";
import { getLoginMethods } from "../../src/taskpane/features/connection/api/login-methods";
import { signIn } from "../../src/taskpane/features/connection/api/sign-in";
import { signInToArtos } from "../../src/taskpane/features/connection/api/sign-in-artos";
import { signInToBatch } from "../../src/taskpane/features/connection/api/sign-in-batch";
import { requestSignInCode, verifySignInCode } from "../../src/taskpane/features/connection/api/sign-in-code";
import { getGenerationStatus } from "../../src/taskpane/features/generate/api/get-generation-status";
import { getSections } from "../../src/taskpane/features/sources/api/get-sections";
import { mswPath, shape, shapesDir } from "../support/vendor-shapes";

const hosts = { ejento: "http://ejento.test", indexing: "http://indexing.test", artos: "http://artos.test", tagger: "http://tagger.test" };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Serves a recorded shape at a host; returns the requests it saw. */
function serve(host: string, name: string): Request[] {
  const { method, path: route, status, body } = shape(name);
  const seen: Request[] = [];
  const handler = { GET: http.get, POST: http.post, PUT: http.put, DELETE: http.delete }[method];
  server.use(
    handler(host + mswPath(route), ({ request }) => {
      seen.push(request.clone());
      return HttpResponse.json(body as Record<string, unknown>, { status });
    }),
  );
  return seen;
}

function separateClient() {
  const client = new HttpClient({ settings: new ConnectionSettingsStore(), session: new SessionStore(), origin: "http://pane.test" });
  client.settings.update({
    mode: "separate",
    ejento: { url: hosts.ejento, apiKey: "apim-key" },
    indexing: { url: hosts.indexing, keyHeader: "X-Indexing-Key", keyValue: "idx-secret" },
    documents: { url: hosts.artos },
    batch: { url: hosts.tagger, taggingApiKey: "sk-or-1", modelName: "openai/gpt-4o-mini" },
  });
  return client;
}

test("every recorded shape names where it comes from", () => {
  const files = fs.readdirSync(shapesDir).filter((f) => f.endsWith(".json"));
  expect(files.length).toBeGreaterThan(15);
  for (const file of files) expect(shape(file.replace(/\.json$/, "")).source).toMatch(/docs\/vendors\.md|Quickstart-Template|Meta-Data-Tag-Generator/);
});

describe("Ejento", () => {
  test("password sign-in in the envelope keeps both tokens; the next call carries the API key and the Ejento token", async () => {
    const login = serve(hosts.ejento, "ejento-login");
    const me = serve(hosts.ejento, "ejento-users-me");
    const client = separateClient();
    await signIn(client, { email: "writer@customer.example", password: "pw" });
    expect(login[0]!.headers.get("ocp-apim-subscription-key")).toBe("apim-key");
    expect(client.session.credentials("ejento")).toMatchObject({ accessToken: "auth-1", ejentoToken: "ej-1" });
    expect(await getMe(client)).toEqual({ id: "42", email: "writer@customer.example", name: "Ada Writer", organization: undefined });
    expect(me[0]!.headers.get("authorization")).toBe("Bearer ej-1");
    expect(me[0]!.headers.get("ocp-apim-subscription-key")).toBe("apim-key");
  });

  test("a 401 renews through refresh-access-token (data.access_token, data.ejento_access_token) and replays", async () => {
    serve(hosts.ejento, "ejento-refresh");
    const tokens: Array<string | null> = [];
    server.use(
      http.get(`${hosts.ejento}/api/v2/users/me`, ({ request }) => {
        tokens.push(request.headers.get("authorization"));
        return request.headers.get("authorization") === "Bearer ej-2"
          ? HttpResponse.json(shape("ejento-users-me").body as Record<string, unknown>)
          : HttpResponse.json({ success: false, message: "Token expired", data: null }, { status: 401 });
      }),
    );
    const client = separateClient();
    client.session.signIn("ejento", { kind: "ejento", accessToken: "auth-1", ejentoToken: "ej-1", who: "w", method: "password" });
    expect((await getMe(client)).email).toBe("writer@customer.example");
    expect(tokens).toEqual(["Bearer ej-1", "Bearer ej-2"]);
    expect(client.session.credentials("ejento")).toMatchObject({ accessToken: "auth-2", ejentoToken: "ej-2" });
  });

  test("feature flags decide the methods: code and the active SSO providers", async () => {
    serve(hosts.ejento, "ejento-feature-flags");
    expect(await getLoginMethods(separateClient())).toEqual({ password: true, code: true, sso: ["microsoft", "okta"] });
  });

  test("e-mail code: the session id comes back in data, a wrong code shows the server's words, the right one signs in", async () => {
    const asked = serve(hosts.ejento, "ejento-passwordless");
    const client = separateClient();
    const session = await requestSignInCode(client, "writer@customer.example");
    expect(session).toBe("otp-abc");
    expect(await asked[0]!.json()).toMatchObject({ email: "writer@customer.example", next: expect.stringMatching(/auth-dialog\.html$/) });
    serve(hosts.ejento, "ejento-verify-otp-wrong");
    await expect(verifySignInCode(client, { email: "writer@customer.example", otpSessionId: session, code: "000000" })).rejects.toMatchObject({ message: "Invalid code" });
    server.resetHandlers();
    serve(hosts.ejento, "ejento-verify-otp");
    await verifySignInCode(client, { email: "writer@customer.example", otpSessionId: session, code: "123456" });
    expect(client.session.credentials("ejento")).toMatchObject({ accessToken: "auth-otp", ejentoToken: "ej-otp", method: "code" });
  });

  test("agents listed under data.items, starters from sample_q*", async () => {
    serve(hosts.ejento, "ejento-agents-items");
    const client = separateClient();
    client.session.signIn("ejento", { kind: "ejento", ejentoToken: "ej-1", who: "w", method: "token" });
    expect(await getAgents(client)).toEqual([{ id: "7", agent_name: "Policy helper", description: undefined, conversation_starter_enabled: true, starters: ["What changed?"] }]);
  });

  test("a core-service refusal shows its message", async () => {
    serve(hosts.ejento, "ejento-core-error");
    const client = separateClient();
    client.session.signIn("ejento", { kind: "ejento", ejentoToken: "ej-1", who: "w", method: "token" });
    await expect(getAgents(client)).rejects.toMatchObject({ kind: "forbidden", message: "You do not have permission to access this agent" });
  });
});

describe("Ejento chat", () => {
  function chatClient() {
    const client = separateClient();
    client.session.signIn("ejento", { kind: "ejento", ejentoToken: "ej-1", who: "w", method: "token" });
    return client;
  }

  test("threads come from data.chat_threads (title, modified_on), asked for with this add-in's query_source", async () => {
    const asked = serve(hosts.ejento, "ejento-chat-threads");
    const threads = await getThreads(chatClient(), "45");
    expect(threads).toEqual([
      { id: "123", title: "Clause 4 liability", modifiedOn: "2026-12-01T16:40:00Z", createdOn: "2026-11-30T09:12:00Z" },
      { id: "98", title: "New Chat", modifiedOn: "2026-11-02T08:05:00Z", createdOn: "2026-11-02T08:00:00Z" },
    ]);
    expect(new URL(asked[0]!.url).searchParams.get("query_source")).toBe("word-addin");
    expect(asked[0]!.headers.get("ocp-apim-subscription-key")).toBe("apim-key");
  });

  test("history from data.agent_responses: question, response.answer, references, the vote, a blocked turn, a failed one", async () => {
    serve(hosts.ejento, "ejento-agent-responses");
    const turns = await getThreadTurns(chatClient(), "123");
    expect(turns).toEqual([
      {
        agentResponseId: "991",
        question: "What does clause 4 limit?",
        answer: "Clause 4 limits liability to the fees paid [1].",
        references: [expect.objectContaining({ number: 1, order: 1, url: "https://contoso.sharepoint.com/msa.pdf" })],
        followups: ["Are there carve-outs?"],
        vote: "upvote",
        blocked: undefined,
        error: undefined,
      },
      expect.objectContaining({ agentResponseId: "992", answer: "I can't help with that request.", blocked: true, error: undefined, vote: undefined }),
      expect.objectContaining({ agentResponseId: "993", question: "And clause 5?", error: "The model deployment is not available." }),
    ]);
  });

  test("create (data.id), rename (PUT {title}), delete a thread and delete an answer", async () => {
    const created = serve(hosts.ejento, "ejento-create-thread");
    const renamed = serve(hosts.ejento, "ejento-rename-thread");
    const deleted = serve(hosts.ejento, "ejento-delete-thread");
    const removed = serve(hosts.ejento, "ejento-delete-response");
    const client = chatClient();
    expect(await createThread(client, "45")).toBe("124");
    expect(await created[0]!.json()).toMatchObject({ agent: 45 });
    await renameThread(client, "123", "Liability caps");
    expect(renamed[0]!.method).toBe("PUT");
    expect(await renamed[0]!.json()).toEqual({ title: "Liability caps" });
    await deleteThread(client, "123");
    expect(new URL(deleted[0]!.url).pathname).toBe("/api/v2/chat-threads/123");
    await deleteAgentResponse(client, "991");
    expect(new URL(removed[0]!.url).pathname).toBe("/api/v2/agent-responses/991");
  });

  test("grounding: a corpus, the upload through the indexing host with its own key header, the step polled, the corpus linked", async () => {
    const corpora = serve(hosts.ejento, "ejento-create-corpus");
    const me = serve(hosts.ejento, "ejento-users-me");
    const uploads = serve(hosts.indexing, "ejento-upload-corpus-document");
    const steps: string[] = [];
    const completed = shape("ejento-document-step").body as { data: Record<string, unknown> };
    server.use(
      http.get(`${hosts.ejento}/api/v2/documents/:id`, ({ params }) => {
        steps.push(String(params.id));
        // Still indexing the first time it is asked.
        const data = steps.length === 1 ? { ...completed.data, step: "uploaded" } : completed.data;
        return HttpResponse.json({ ...completed, data });
      }),
    );
    const links = serve(hosts.ejento, "ejento-link-thread-corpus");
    const host = new FakeHost();
    const client = chatClient();
    const phases: string[] = [];
    const corpusId = await groundOpenDocument(host, client, { threadId: "124", pollMs: 5, onProgress: (p) => phases.push(p.phase) });
    expect(corpusId).toBe("310");
    expect(await corpora[0]!.json()).toMatchObject({ corpus_type: "attachment", indexing_mode_id: 3 });
    expect(me).toHaveLength(1);
    const upload = uploads[0]!;
    expect(new URL(upload.url).pathname).toBe("/api/v2/corpora/310/documents");
    expect(upload.headers.get("x-indexing-key")).toBe("idx-secret");
    expect(upload.headers.get("authorization")).toBe("Bearer ej-1");
    // The Ejento API key stays with Ejento's core host.
    expect(upload.headers.get("ocp-apim-subscription-key")).toBeNull();
    const form = await upload.formData();
    expect(form.get("user_id")).toBe("42");
    expect(form.get("content_type")).toBe("file");
    expect(form.get("upload_from")).toBe("web");
    expect(form.get("attachment")).toBe("true");
    expect((form.get("source") as File).name).toBe(await host.getDocumentName());
    expect(steps).toEqual(["19297", "19297"]);
    expect(new URL(links[0]!.url).pathname).toBe("/api/v2/chat-threads/124/corpora/310");
    expect(phases).toEqual(["reading", "uploading", "indexing", "linking"]);
    expect(host.settings.get(GROUNDING_SETTING)).toMatchObject({ corpusId: "310", documentId: "19297", server: hosts.ejento });

    // The same bytes again: no new corpus, no upload; the step is checked and the corpus linked to the new thread.
    const again = await groundOpenDocument(host, client, { threadId: "125", pollMs: 5 });
    expect(again).toBe("310");
    expect(corpora).toHaveLength(1);
    expect(uploads).toHaveLength(1);
    expect(new URL(links[1]!.url).pathname).toBe("/api/v2/chat-threads/125/corpora/310");
  });

  test("grounding: indexing that fails says why", async () => {
    serve(hosts.ejento, "ejento-create-corpus");
    serve(hosts.ejento, "ejento-users-me");
    serve(hosts.indexing, "ejento-upload-corpus-document");
    const step = shape("ejento-document-step").body as { data: Record<string, unknown> };
    server.use(http.get(`${hosts.ejento}/api/v2/documents/:id`, () => HttpResponse.json({ ...step, data: { ...step.data, step: "uploaded", is_failed: true } })));
    await expect(groundOpenDocument(new FakeHost(), chatClient(), { threadId: "124", pollMs: 5 })).rejects.toThrow(/Indexing this document failed/);
  });
});

describe("Artos", () => {
  test("sign in with the user id; documents, sections and status read as Artos answers them, with only the Artos token", async () => {
    const tokenRequests = serve(hosts.artos, "artos-access-token");
    const lists = serve(hosts.artos, "artos-documents");
    serve(hosts.artos, "artos-sections");
    serve(hosts.artos, "artos-status");
    const client = separateClient();
    await signInToArtos(client, { userId: "artos-user-1" });
    expect(await tokenRequests[0]!.json()).toEqual({ user_id: "artos-user-1" });
    expect(tokenRequests[0]!.headers.get("ocp-apim-subscription-key")).toBeNull();

    const documents = await getDocuments(client);
    expect(documents.map((d) => d.document_name)).toEqual(["CSR_Final.docx", "Protocol_v2.docx"]);
    expect(lists[0]!.headers.get("authorization")).toBe("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig");
    expect(lists[0]!.headers.get("ocp-apim-subscription-key")).toBeNull();

    const sections = await getSections(client, "a1b2c3d4");
    expect(sections.map((s) => s.section_id)).toEqual(["1.1 Title of Study:", "1.2 Investigators and Study Sites:", "2. Synopsis"]);
    const status = await getGenerationStatus(client, "document-uuid-456");
    expect(status).toMatchObject({ status: "Generating" });
  });

  test("a 400 'Authentication failed' obtains a new token from the user id and replays", async () => {
    let tokenCalls = 0;
    server.use(
      http.post(`${hosts.artos}/get-access-token`, () => {
        tokenCalls += 1;
        return HttpResponse.json({ access_token: `artos-${tokenCalls + 1}` });
      }),
      http.post(`${hosts.artos}/get-sections-for-document`, ({ request }) =>
        request.headers.get("authorization") === "Bearer artos-2"
          ? HttpResponse.json(shape("artos-sections").body as Record<string, unknown>)
          : HttpResponse.json(shape("artos-auth-failed-400").body as Record<string, unknown>, { status: 400 }),
      ),
    );
    const client = separateClient();
    client.session.signIn("documents", { kind: "artos", token: "artos-1", userId: "u", who: "user u" });
    expect(await getSections(client, "d")).toHaveLength(3);
    expect(tokenCalls).toBe(1);
  });
});

describe("tag generator", () => {
  test("sign in with e-mail and password; start, status, active and pause read as the tagger answers them", async () => {
    const logins = serve(hosts.tagger, "tagger-login");
    const starts = serve(hosts.tagger, "tagger-start");
    serve(hosts.tagger, "tagger-status");
    serve(hosts.tagger, "tagger-active");
    serve(hosts.tagger, "tagger-control");
    server.use(http.post(`${hosts.artos}/generate-presigned-url`, () => HttpResponse.json({ url: "https://files.artos.test/a.docx?sig=1" })));
    const client = separateClient();
    client.session.signIn("documents", { kind: "artos", token: "artos-1", userId: "u", who: "user u" });
    await signInToBatch(client, { email: "tagger@customer.example", password: "pw" });
    expect(await logins[0]!.json()).toEqual({ email: "tagger@customer.example", password: "pw" });
    expect(client.session.credentials("batch")).toMatchObject({ accessToken: "tag-access-1", refreshToken: "tag-refresh-1", who: "tagger@customer.example" });

    const started = await startBatch(client, { documents: [{ title: "A.docx", s3_key: "k/a.docx" }, { title: "B.docx", s3_key: "k/b.docx" }], config: { num_tags: 8, exclusion_words: [] } });
    expect(started).toMatchObject({ job_id: "0b7c1f5e-6d0a-4a7e-9a3c-1f2e3d4c5b6a", total_documents: 2 });
    const startBody = (await starts[0]!.json()) as { documents: Array<{ file_source_type: string; file_path: string }>; config: Record<string, unknown> };
    expect(startBody.documents.every((d) => d.file_source_type === "url" && d.file_path.startsWith("https://files.artos.test/"))).toBe(true);
    expect(startBody.config).toMatchObject({ api_key: "sk-or-1", model_name: "openai/gpt-4o-mini" });
    expect(starts[0]!.headers.get("authorization")).toBe("Bearer tag-access-1");

    expect(await getBatchStatus(client, "job-1")).toMatchObject({ status: "processing", total: 2 });
    expect(await getActiveBatches(client)).toEqual([{ job_id: "job-1", status: "processing", progress: 0.5, processed_count: 1, failed_count: 0, total: 2, created_at: null }]);
    expect(await controlBatch(client, "pause", "job-1")).toEqual({ message: "Pause command sent to job job-1" });
  });

  test("a wrong password shows the tagger's words; a 401 renews with the refresh token", async () => {
    serve(hosts.tagger, "tagger-login-wrong");
    const client = separateClient();
    await expect(signInToBatch(client, { email: "t@x.y", password: "bad" })).rejects.toMatchObject({ kind: "unauthorized", message: "Invalid email or password" });
    server.resetHandlers();
    serve(hosts.tagger, "tagger-refresh");
    server.use(
      http.get(`${hosts.tagger}/api/batch/active`, ({ request }) =>
        request.headers.get("authorization") === "Bearer tag-access-2"
          ? HttpResponse.json(shape("tagger-active").body as Record<string, unknown>)
          : HttpResponse.json({ detail: "Invalid or expired token" }, { status: 401 }),
      ),
    );
    client.session.signIn("batch", { kind: "batch", accessToken: "tag-access-1", refreshToken: "tag-refresh-1", expiresAt: 0, who: "t@x.y" });
    expect(await getActiveBatches(client)).toHaveLength(1);
    expect(client.session.credentials("batch")).toMatchObject({ accessToken: "tag-access-2", refreshToken: "tag-refresh-2" });
  });
});
