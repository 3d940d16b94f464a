import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { ConnectionSettingsStore } from "../../src/taskpane/api/connection-settings";
import { HttpClient } from "../../src/taskpane/api/http-client";
import { SessionStore } from "../../src/taskpane/api/session-store";
import { batchRequest, startBatch } from "../../src/taskpane/features/batch/api/start-batch";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  localStorage.clear();
});
afterAll(() => server.close());

const config = { num_tags: 5, exclusion_words: ["draft"] };
const chosen = [
  { title: "A.docx", s3_key: "o/documents/a.docx" },
  { title: "B.docx", s3_key: "o/documents/b.docx" },
];

function client(mode: "sidecar" | "separate") {
  const c = new HttpClient({ settings: new ConnectionSettingsStore(), session: new SessionStore(), origin: "http://pane.test" });
  if (mode === "separate") {
    c.settings.update({
      mode: "separate",
      documents: { url: "http://artos.test" },
      batch: { url: "http://tagger.test", taggingApiKey: " or-key ", modelName: "openai/gpt-4o-mini" },
    });
    c.session.signIn("documents", { kind: "artos", token: "artos-1", userId: "u", who: "u" });
    c.session.signIn("batch", { kind: "batch", accessToken: "tag-1", refreshToken: "r", expiresAt: Date.now() + 60_000, who: "t@x.y" });
  } else {
    c.session.signIn("sidecar", { kind: "ejento", accessToken: "r", ejentoToken: "e", who: "d@x.y", method: "password" });
  }
  return c;
}

test("one Sidecar server: documents travel as their s3 keys, and no vendor tagging settings are added", async () => {
  expect(await batchRequest(client("sidecar"), { documents: chosen, config })).toEqual({
    documents: [
      { title: "A.docx", file_path: "o/documents/a.docx", file_source_type: "s3" },
      { title: "B.docx", file_path: "o/documents/b.docx", file_source_type: "s3" },
    ],
    config,
  });
});

test("a separate tagger gets a presigned URL of each document from the documents service, and the tagging settings", async () => {
  const presignAuth: Array<string | null> = [];
  let startBody: unknown;
  let startAuth: string | null = null;
  server.use(
    http.post("http://artos.test/generate-presigned-url", async ({ request }) => {
      presignAuth.push(request.headers.get("authorization"));
      const { key } = (await request.json()) as { key: string };
      return HttpResponse.json({ url: `http://artos.test/files/${key}?expires=1&signature=s` });
    }),
    http.post("http://tagger.test/api/batch/start", async ({ request }) => {
      startAuth = request.headers.get("authorization");
      startBody = await request.json();
      return HttpResponse.json({ job_id: "job-1", total_documents: 2, message: "started" });
    }),
  );
  const started = await startBatch(client("separate"), { documents: chosen, config });
  expect(started.job_id).toBe("job-1");
  expect(presignAuth).toEqual(["Bearer artos-1", "Bearer artos-1"]);
  expect(startAuth).toBe("Bearer tag-1");
  expect(startBody).toEqual({
    documents: [
      { title: "A.docx", file_path: "http://artos.test/files/o/documents/a.docx?expires=1&signature=s", file_source_type: "url" },
      { title: "B.docx", file_path: "http://artos.test/files/o/documents/b.docx?expires=1&signature=s", file_source_type: "url" },
    ],
    config: { ...config, api_key: "or-key", model_name: "openai/gpt-4o-mini" },
  });
});

test("a document without a readable path stops the start, naming it, before anything is sent", async () => {
  await expect(batchRequest(client("separate"), { documents: [...chosen, { title: "Draft.docx", s3_key: null }], config })).rejects.toMatchObject({
    kind: "invalid",
    message: expect.stringContaining("“Draft.docx”"),
  });
});

test("a document the documents service can't sign a link for is named", async () => {
  server.use(
    http.post("http://artos.test/generate-presigned-url", async ({ request }) => {
      const { key } = (await request.json()) as { key: string };
      return key.endsWith("b.docx") ? HttpResponse.json({ detail: "File not found" }, { status: 404 }) : HttpResponse.json({ url: "http://artos.test/x" });
    }),
  );
  await expect(batchRequest(client("separate"), { documents: chosen, config })).rejects.toMatchObject({
    message: expect.stringMatching(/“B\.docx”.*File not found/),
  });
});
