import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import { ApiError } from "../../../src/taskpane/api/api-error";
import { ConnectionSettingsStore } from "../../../src/taskpane/api/connection-settings";
import { HttpClient } from "../../../src/taskpane/api/http-client";
import { SessionStore } from "../../../src/taskpane/api/session-store";
import { getDocuments } from "../../../src/taskpane/api/get-documents";
import { uploadDocument } from "../../../src/taskpane/api/upload-document";
import { signIn } from "../../../src/taskpane/features/connection/api/sign-in";

const origin = "http://pane.test";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  localStorage.clear();
});
afterAll(() => server.close());

function makeClient() {
  const settings = new ConnectionSettingsStore();
  const session = new SessionStore();
  return new HttpClient({ settings, session, origin });
}

function signedInClient(tokens = { access: "refresh-1", ejento: "api-1" }) {
  const client = makeClient();
  client.session.signIn("sidecar", { kind: "ejento", accessToken: tokens.access, ejentoToken: tokens.ejento, expiresAt: Date.now() + 1000, who: "a@b.c", method: "password" });
  return client;
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("sign-in", () => {
  test("sends the form the auth service expects and keeps both tokens", async () => {
    let received: URLSearchParams | undefined;
    server.use(
      http.post(`${origin}/auth-service/api/v2/login/access-token`, async ({ request }) => {
        received = new URLSearchParams(await request.text());
        return HttpResponse.json({ access_token: "r", ejento_access_token: "e", token_type: "bearer", expires_in: 60 });
      }),
    );
    const client = makeClient();
    await signIn(client, { email: " demo@sidecar.local ", password: "pw" });
    expect(received?.get("username")).toBe("demo@sidecar.local");
    expect(received?.get("password")).toBe("pw");
    expect(client.session.credentials("sidecar")).toMatchObject({ accessToken: "r", ejentoToken: "e", who: "demo@sidecar.local" });
    // a new pane (new store) is still signed in
    expect(new SessionStore().credentials("sidecar")).toMatchObject({ ejentoToken: "e" });
  });

  test("accepts the Ejento envelope {success, data}", async () => {
    server.use(
      http.post(`${origin}/auth-service/api/v2/login/access-token`, () =>
        HttpResponse.json({ success: true, data: { access_token: "r2", ejento_access_token: "e2" } }),
      ),
    );
    const client = makeClient();
    await signIn(client, { email: "x@y.z", password: "pw" });
    expect(client.session.credentials("sidecar")).toMatchObject({ ejentoToken: "e2" });
  });

  test("wrong password shows the server's words and does not sign in", async () => {
    server.use(
      http.post(`${origin}/auth-service/api/v2/login/access-token`, () =>
        HttpResponse.json({ detail: "Incorrect e-mail or password." }, { status: 401 }),
      ),
    );
    const client = makeClient();
    const error = await caught(signIn(client, { email: "x@y.z", password: "bad" }));
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toBe("Incorrect e-mail or password.");
    expect(client.session.slot("sidecar").status).toBe("signed-out");
  });
});

describe("token refresh", () => {
  test("concurrent 401s share one refresh and every request is replayed with the new token", async () => {
    let refreshCalls = 0;
    const seenTokens: string[] = [];
    server.use(
      http.get(`${origin}/api/v1/documents/`, ({ request }) => {
        const token = request.headers.get("authorization");
        seenTokens.push(token ?? "");
        if (token !== "Bearer api-2") return HttpResponse.json({ detail: "expired" }, { status: 401 });
        return HttpResponse.json({ documents: [] });
      }),
      http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, async ({ request }) => {
        refreshCalls += 1;
        expect(request.headers.get("authorization")).toBe("Bearer refresh-1");
        await delay(20);
        return HttpResponse.json({ access_token: "refresh-2", ejento_access_token: "api-2", token_type: "bearer", expires_in: 3600 });
      }),
    );
    const client = signedInClient();
    const results = await Promise.all([getDocuments(client), getDocuments(client), getDocuments(client)]);
    expect(results).toEqual([[], [], []]);
    expect(refreshCalls).toBe(1);
    expect(seenTokens.filter((t) => t === "Bearer api-2")).toHaveLength(3);
    expect(client.session.credentials("sidecar")).toMatchObject({ accessToken: "refresh-2", ejentoToken: "api-2", who: "a@b.c" });
  });

  test("when the refresh is refused the session is marked expired and the caller gets words to act on", async () => {
    server.use(
      http.get(`${origin}/api/v1/documents/`, () => HttpResponse.json({ detail: "expired" }, { status: 401 })),
      http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () =>
        HttpResponse.json({ detail: "Invalid authentication credentials" }, { status: 401 }),
      ),
    );
    const client = signedInClient();
    const error = await caught(getDocuments(client));
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toMatch(/sign in again/i);
    expect(client.session.slot("sidecar")).toMatchObject({ status: "expired", lastWho: "a@b.c" });
  });

  test("a server that is down during refresh does not sign the person out", async () => {
    server.use(
      http.get(`${origin}/api/v1/documents/`, () => HttpResponse.json({ detail: "expired" }, { status: 401 })),
      http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () => HttpResponse.error()),
    );
    const client = signedInClient();
    const error = await caught(getDocuments(client));
    expect(error.kind).toBe("network");
    expect(client.session.slot("sidecar").status).toBe("signed-in");
  });
});

describe("errors in words", () => {
  const cases: Array<[string, () => Response, string, RegExp]> = [
    ["FastAPI detail", () => HttpResponse.json({ detail: "document set not found" }, { status: 400 }), "invalid", /document set not found/],
    ["Ejento message", () => HttpResponse.json({ success: false, message: "Agent not found", data: null }, { status: 404 }), "not_found", /Agent not found/],
    [
      "422 list",
      () => HttpResponse.json({ detail: [{ loc: ["body", "output_name"], msg: "field required", type: "missing" }] }, { status: 422 }),
      "invalid",
      /output_name: field required/,
    ],
    [
      "422 list whose messages already name the field",
      () => HttpResponse.json({ detail: [{ loc: ["body", "documents", "0", "file_path"], msg: "documents.0.file_path: must be an http(s) address", type: "custom" }] }, { status: 422 }),
      "invalid",
      /^documents\.0\.file_path: must be an http\(s\) address$/,
    ],
    ["too large", () => HttpResponse.json({ detail: "The file is larger than the 50 MB limit." }, { status: 413 }), "too_large", /50 MB/],
    ["rate limited", () => new HttpResponse(null, { status: 429 }), "rate_limited", /busy/],
    [
      "out of storage (507): the server's own words, as they are",
      () => HttpResponse.json({ detail: "The server is out of storage; nothing was saved. Free some disk space on the server, then try again." }, { status: 507 }),
      "server",
      /^The server is out of storage; nothing was saved\. Free some disk space on the server, then try again\.$/,
    ],
    ["out of storage without words", () => new HttpResponse(null, { status: 507 }), "server", /out of storage/],
    ["gateway down", () => new HttpResponse("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } }), "server", /not answering/],
    ["html instead of JSON", () => new HttpResponse("<html></html>", { status: 200, headers: { "content-type": "text/html" } }), "server", /not the API Sidecar expects/],
  ];
  test.each(cases)("%s", async (_name, respond, kind, words) => {
    server.use(http.get(`${origin}/api/v1/documents/`, respond));
    const error = await caught(getDocuments(signedInClient()));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(words);
  });

  test("a server that cannot be reached names the address to check", async () => {
    server.use(http.get(`${origin}/api/v1/documents/`, () => HttpResponse.error()));
    const error = await caught(getDocuments(signedInClient()));
    expect(error.kind).toBe("network");
    expect(error.message).toContain(origin);
  });

  test("a missing required field names the field and the endpoint", async () => {
    server.use(http.get(`${origin}/api/v1/documents/`, () => HttpResponse.json({ items: [] })));
    const error = await caught(getDocuments(signedInClient()));
    expect(error.kind).toBe("invalid");
    expect(error.message).toContain('"documents"');
    expect(error.message).toContain("listDocuments");
  });

  test("unknown extra fields are ignored", async () => {
    server.use(
      http.get(`${origin}/api/v1/documents/`, () =>
        HttpResponse.json({ documents: [{ document_id: "d1", document_name: "a.docx", created_at: "", updated_at: "", surprise: 1 }], more: true }),
      ),
    );
    const documents = await getDocuments(signedInClient());
    expect(documents.map((d) => d.document_id)).toEqual(["d1"]);
  });

  test("an aborted request is reported as stopped, not as a failure", async () => {
    server.use(
      http.get(`${origin}/api/v1/documents/`, async () => {
        await delay(200);
        return HttpResponse.json({ documents: [] });
      }),
    );
    const controller = new AbortController();
    const pending = getDocuments(signedInClient(), controller.signal);
    controller.abort();
    expect((await caught(pending)).kind).toBe("aborted");
  });
});

describe("connection settings", () => {
  test("one Sidecar server: the API key travels as Ocp-Apim-Subscription-Key to every service, with the one token", async () => {
    let headers: Headers | undefined;
    server.use(
      http.get("http://sidecar.test/base/api/v1/documents/", ({ request }) => {
        headers = request.headers;
        return HttpResponse.json({ documents: [] });
      }),
    );
    const client = signedInClient();
    client.settings.update({ serverUrl: "http://sidecar.test/base/", apiKey: "k-123" });
    await getDocuments(client);
    expect(headers?.get("ocp-apim-subscription-key")).toBe("k-123");
    expect(headers?.get("authorization")).toBe("Bearer api-1");
  });
});

describe("upload", () => {
  test("sends the bytes as multipart field 'file' with the document's name and reports progress", async () => {
    let received: { name: string; size: number; firstBytes: number[] } | undefined;
    server.use(
      http.post(`${origin}/api/v1/documents/local`, async ({ request }) => {
        const form = await request.formData();
        const file = form.get("file") as File;
        const bytes = new Uint8Array(await file.arrayBuffer());
        received = { name: file.name, size: bytes.length, firstBytes: [...bytes.slice(0, 4)] };
        return HttpResponse.json({ document_id: "d1", document_name: file.name, s3_key: "o/documents/d1.docx", status: "Ready" }, { status: 201 });
      }),
    );
    const bytes = new Uint8Array(300_000);
    bytes.set([0x50, 0x4b, 3, 4]);
    const progress: number[] = [];
    const uploaded = await uploadDocument(signedInClient(), { name: "Report.docx", file: new Blob([bytes]), onProgress: (sent) => progress.push(sent) });
    expect(uploaded.document_id).toBe("d1");
    expect(received).toEqual({ name: "Report.docx", size: 300_000, firstBytes: [0x50, 0x4b, 3, 4] });
    expect(progress.length).toBeGreaterThan(0);
  });
});

describe("socketUrl", () => {
  test("the batch socket: ws of the batch base URL, the job in the path, the API token as ?token=", () => {
    const client = signedInClient();
    const { url, token } = client.socketUrl("batchSocket", { params: { job_id: "job 1" } });
    expect(token).toBe("api-1");
    const parsed = new URL(url);
    expect(parsed.protocol).toBe("ws:");
    expect(parsed.host).toBe("pane.test");
    expect(parsed.pathname).toBe("/api/batch/ws/job%201");
    expect(parsed.searchParams.get("token")).toBe("api-1");
    expect(parsed.searchParams.has("key")).toBe(false);
  });

  test("an https batch override becomes wss, and a configured API key rides as ?key= (a browser socket sends no headers)", () => {
    const client = signedInClient();
    client.settings.update({ apiKey: " secret-key ", serverUrl: "https://batch.example.com/base" });
    const parsed = new URL(client.socketUrl("batchSocket", { params: { job_id: "j" } }).url);
    expect(parsed.protocol).toBe("wss:");
    expect(parsed.host).toBe("batch.example.com");
    expect(parsed.pathname).toBe("/base/api/batch/ws/j");
    expect(parsed.searchParams.get("key")).toBe("secret-key");
  });
});

describe("separate services", () => {
  const hosts = { ejento: "http://ejento.test", artos: "http://artos.test", tagger: "http://tagger.test" };

  function separateClient() {
    const client = makeClient();
    client.settings.update({
      mode: "separate",
      ejento: { url: hosts.ejento, apiKey: "apim-key" },
      documents: { url: `${hosts.artos}/` },
      batch: { url: hosts.tagger, taggingApiKey: "or-key", modelName: "m" },
    });
    client.session.signIn("ejento", { kind: "ejento", accessToken: "ej-auth", ejentoToken: "ej-1", who: "e@x.y", method: "password" });
    client.session.signIn("documents", { kind: "artos", token: "artos-1", userId: "u-7", who: "user u-7" });
    client.session.signIn("batch", { kind: "batch", accessToken: "tag-1", refreshToken: "tag-r1", expiresAt: Date.now() + 1000, who: "t@x.y" });
    return client;
  }

  test("each call goes to its own service with only that service's key and token", async () => {
    const seen: Record<string, { auth: string | null; key: string | null }> = {};
    const note = (name: string) => ({ request }: { request: Request }) => {
      seen[name] = { auth: request.headers.get("authorization"), key: request.headers.get("ocp-apim-subscription-key") };
    };
    server.use(
      http.get(`${hosts.ejento}/api/v2/agents`, (info) => (note("ejento")(info), HttpResponse.json({ success: true, message: "", data: [] }))),
      http.get(`${hosts.artos}/api/v1/documents/`, (info) => (note("artos")(info), HttpResponse.json({ documents: [] }))),
      http.get(`${hosts.tagger}/api/batch/active`, (info) => (note("tagger")(info), HttpResponse.json({ jobs: [] }))),
    );
    const client = separateClient();
    await client.request("listAgents");
    await getDocuments(client);
    await client.request("activeBatches");
    expect(seen).toEqual({
      ejento: { auth: "Bearer ej-1", key: "apim-key" },
      artos: { auth: "Bearer artos-1", key: null },
      tagger: { auth: "Bearer tag-1", key: null },
    });
  });

  test("an Artos 401 obtains a new token from the user id; Ejento and the tagger are not touched", async () => {
    const tokensTried: string[] = [];
    let tokenRequests = 0;
    server.use(
      http.get(`${hosts.artos}/api/v1/documents/`, ({ request }) => {
        tokensTried.push(request.headers.get("authorization") ?? "");
        return request.headers.get("authorization") === "Bearer artos-2"
          ? HttpResponse.json({ documents: [] })
          : HttpResponse.json({ detail: "Invalid authentication credentials" }, { status: 401 });
      }),
      http.post(`${hosts.artos}/get-access-token`, async ({ request }) => {
        tokenRequests += 1;
        expect(await request.json()).toEqual({ user_id: "u-7" });
        expect(request.headers.get("authorization")).toBeNull();
        return HttpResponse.json({ access_token: "artos-2" });
      }),
    );
    const client = separateClient();
    await Promise.all([getDocuments(client), getDocuments(client)]);
    expect(tokenRequests).toBe(1);
    expect(client.session.credentials("documents")).toMatchObject({ token: "artos-2", userId: "u-7" });
    expect(client.session.credentials("ejento")).toMatchObject({ ejentoToken: "ej-1" });
    expect(client.session.credentials("batch")).toMatchObject({ accessToken: "tag-1" });
  });

  test("Artos's 400 'Authentication failed' counts as a 401", async () => {
    server.use(
      http.post(`${hosts.artos}/get-sections-for-document`, ({ request }) =>
        request.headers.get("authorization") === "Bearer artos-2"
          ? HttpResponse.json({ sections: [] })
          : HttpResponse.json({ detail: "Authentication failed" }, { status: 400 }),
      ),
      http.post(`${hosts.artos}/get-access-token`, () => HttpResponse.json({ access_token: "artos-2" })),
    );
    const client = separateClient();
    await expect(client.request("getSectionsForDocument", { body: { document_id: "d" } })).resolves.toEqual({ sections: [] });
  });

  test("a tagger 401 refreshes with the refresh token at /api/auth/refresh", async () => {
    server.use(
      http.get(`${hosts.tagger}/api/batch/active`, ({ request }) =>
        request.headers.get("authorization") === "Bearer tag-2" ? HttpResponse.json({ jobs: [] }) : HttpResponse.json({ detail: "Invalid or expired token" }, { status: 401 }),
      ),
      http.post(`${hosts.tagger}/api/auth/refresh`, async ({ request }) => {
        expect(await request.json()).toEqual({ refresh_token: "tag-r1" });
        return HttpResponse.json({ access_token: "tag-2", refresh_token: "tag-r2", token_type: "bearer", expires_in: 1800 });
      }),
    );
    const client = separateClient();
    await client.request("activeBatches");
    expect(client.session.credentials("batch")).toMatchObject({ accessToken: "tag-2", refreshToken: "tag-r2" });
    expect(client.session.credentials("ejento")).toMatchObject({ ejentoToken: "ej-1" });
  });

  test("a pasted organization token that stops working expires the Documents sign-in only, naming it", async () => {
    server.use(http.get(`${hosts.artos}/api/v1/documents/`, () => HttpResponse.json({ detail: "Invalid authentication credentials" }, { status: 401 })));
    const client = separateClient();
    client.session.signIn("documents", { kind: "artos", token: "pasted", who: "organization token" });
    const error = await caught(getDocuments(client));
    expect(error.kind).toBe("unauthorized");
    expect(error.message).toContain("Documents (Artos)");
    expect(client.session.slot("documents").status).toBe("expired");
    expect(client.session.slot("ejento").status).toBe("signed-in");
    expect(client.session.slot("batch").status).toBe("signed-in");
  });

  test("an unreachable service is named with its address", async () => {
    server.use(http.get(`${hosts.tagger}/api/batch/active`, () => HttpResponse.error()));
    const error = await caught(separateClient().request("activeBatches"));
    expect(error.kind).toBe("network");
    expect(error.message).toContain(`Batch tagging at ${hosts.tagger}`);
  });

  test("the batch socket carries the tagger's token and no key", () => {
    const client = separateClient();
    client.settings.update({ apiKey: "sidecar-key" });
    const parsed = new URL(client.socketUrl("batchSocket", { params: { job_id: "j" } }).url);
    expect(parsed.origin).toBe("ws://tagger.test");
    expect(parsed.searchParams.get("token")).toBe("tag-1");
    expect(parsed.searchParams.has("key")).toBe(false);
  });

  test("a pane signed in before per-service connections keeps its sign-in", () => {
    localStorage.setItem("sidecar.session", JSON.stringify({ accessToken: "r", ejentoToken: "e", expiresAt: 1, email: "old@x.y" }));
    localStorage.setItem("sidecar.connection", JSON.stringify({ serverUrl: "http://old.test", apiKey: "k", overrides: {} }));
    const client = makeClient();
    expect(client.session.credentials("sidecar")).toMatchObject({ ejentoToken: "e", who: "old@x.y" });
    expect(client.settings.get()).toMatchObject({ mode: "sidecar", serverUrl: "http://old.test", apiKey: "k" });
    expect(client.url("listDocuments")).toBe("http://old.test/api/v1/documents/");
  });
});
