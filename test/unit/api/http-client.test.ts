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
  client.session.signIn({ accessToken: tokens.access, ejentoToken: tokens.ejento, expiresAt: Date.now() + 1000, email: "a@b.c" });
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
    expect(client.session.current()).toMatchObject({ accessToken: "r", ejentoToken: "e", email: "demo@sidecar.local" });
    // a new pane (new store) is still signed in
    expect(new SessionStore().current()?.ejentoToken).toBe("e");
  });

  test("accepts the Ejento envelope {success, data}", async () => {
    server.use(
      http.post(`${origin}/auth-service/api/v2/login/access-token`, () =>
        HttpResponse.json({ success: true, data: { access_token: "r2", ejento_access_token: "e2" } }),
      ),
    );
    const client = makeClient();
    await signIn(client, { email: "x@y.z", password: "pw" });
    expect(client.session.current()?.ejentoToken).toBe("e2");
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
    expect(client.session.get().status).toBe("signed-out");
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
    expect(client.session.current()).toMatchObject({ accessToken: "refresh-2", ejentoToken: "api-2", email: "a@b.c" });
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
    expect(client.session.get()).toEqual({ status: "expired", lastEmail: "a@b.c" });
  });

  test("a server that is down during refresh does not sign the person out", async () => {
    server.use(
      http.get(`${origin}/api/v1/documents/`, () => HttpResponse.json({ detail: "expired" }, { status: 401 })),
      http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () => HttpResponse.error()),
    );
    const client = signedInClient();
    const error = await caught(getDocuments(client));
    expect(error.kind).toBe("network");
    expect(client.session.get().status).toBe("signed-in");
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
    ["too large", () => HttpResponse.json({ detail: "The file is larger than the 50 MB limit." }, { status: 413 }), "too_large", /50 MB/],
    ["rate limited", () => new HttpResponse(null, { status: 429 }), "rate_limited", /busy/],
    ["gateway down", () => new HttpResponse("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html" } }), "server", /not answering/],
    ["html instead of JSON", () => new HttpResponse("<html></html>", { status: 200, headers: { "content-type": "text/html" } }), "server", /not Sidecar's API/],
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
  test("the API key travels as Ocp-Apim-Subscription-Key and a per-service override wins", async () => {
    let headers: Headers | undefined;
    server.use(
      http.get("http://docs.test/api/v1/documents/", ({ request }) => {
        headers = request.headers;
        return HttpResponse.json({ documents: [] });
      }),
    );
    const client = signedInClient();
    client.settings.update({ serverUrl: "http://elsewhere.test", apiKey: "k-123", overrides: { documents: "http://docs.test/" } });
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
    client.settings.update({ apiKey: " secret-key ", overrides: { batch: "https://batch.example.com/base" } });
    const parsed = new URL(client.socketUrl("batchSocket", { params: { job_id: "j" } }).url);
    expect(parsed.protocol).toBe("wss:");
    expect(parsed.host).toBe("batch.example.com");
    expect(parsed.pathname).toBe("/base/api/batch/ws/j");
    expect(parsed.searchParams.get("key")).toBe("secret-key");
  });
});
