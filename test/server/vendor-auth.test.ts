// Each vendor's sign-in over real HTTP (docs/api.md "Services, addresses and credentials"): Artos'
// POST /get-access-token, the tag generator's /api/auth/* (docs/vendors.md Ejento B1), and which services
// accept whose token: a documents token only the documents routes, a batch token only the batch
// routes, a Sidecar (Ejento) token all of them.
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { startJob, topicDocx, TOPICS, uploadDocx, watch } from "./batch-helpers";
import {
  DEMO,
  artosSignIn,
  batchSignIn,
  bearer,
  postJson,
  signIn,
  startServer,
  userIdOf,
  type TestServer,
} from "./helpers";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(url: string, path: string, token: string | null) {
  const response = await fetch(url + path, { headers: token ? bearer(token) : {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function post(url: string, path: string, token: string | null, body: unknown) {
  const response = await postJson(url, path, token, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** One route of each service that needs a sign-in. */
const ROUTES = {
  ejento: endpoints.me.path,
  ejentoAgents: endpoints.listAgents.path,
  documents: endpoints.listDocuments.path,
  templates: endpoints.listTemplates.path,
  batch: endpoints.activeBatches.path,
  batchMe: endpoints.batchMe.path,
};

describe("Artos sign-in: POST /get-access-token {user_id}", () => {
  let server: TestServer;
  let userId: string;
  beforeAll(async () => {
    server = await startServer();
    userId = await userIdOf(server.url);
  });
  afterAll(() => server.close());

  test("the user's id gets a bearer token that lists the documents", async () => {
    const result = await post(server.url, endpoints.artosAccessToken.path, null, { user_id: userId });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: "bearer", expires_in: 3600 });
    const token = result.body.access_token as string;
    expect((await get(server.url, ROUTES.documents, token)).status).toBe(200);
    expect((await get(server.url, ROUTES.templates, token)).status).toBe(200);
  });

  test("an unknown or empty user id is 401 in Artos' words; no user_id at all is a 422 naming it", async () => {
    for (const user_id of ["not-a-user", "", "00000000-0000-0000-0000-000000000000"]) {
      const result = await post(server.url, endpoints.artosAccessToken.path, null, { user_id });
      expect(result).toEqual({ status: 401, body: { detail: "Invalid authentication credentials" } });
    }
    const missing = await post(server.url, endpoints.artosAccessToken.path, null, { userId });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([expect.objectContaining({ loc: ["body", "user_id"] })]);
  });

  test("a documents token is refused by Ejento and batch routes, in words naming its service", async () => {
    const token = await artosSignIn(server.url, userId);
    for (const path of [ROUTES.ejento, ROUTES.ejentoAgents, ROUTES.batch, ROUTES.batchMe]) {
      const result = await get(server.url, path, token);
      expect(result.status).toBe(401);
      expect(result.body.detail).toMatch(/^This token was issued for the Documents service; sign in to the (Ejento|Batch tagging) service/);
    }
    const generate = await post(server.url, endpoints.startBatch.path, token, { documents: [] });
    expect(generate.status).toBe(401);
  });

  test("there is no refresh: the token lives SIDECAR_TOKEN_TTL_SECONDS, then a new one is asked for", async () => {
    const short = await startServer({ SIDECAR_TOKEN_TTL_SECONDS: "1" });
    try {
      const id = await userIdOf(short.url);
      const token = await artosSignIn(short.url, id);
      expect((await get(short.url, ROUTES.documents, token)).status).toBe(200);
      await sleep(1100);
      const expired = await get(short.url, ROUTES.documents, token);
      expect(expired.status).toBe(401);
      expect(expired.body.detail).toMatch(/expired/);
      const again = await artosSignIn(short.url, id);
      expect((await get(short.url, ROUTES.documents, again)).status).toBe(200);
    } finally {
      await short.close();
    }
  });
});

describe("tag generator sign-in: /api/auth/login, refresh, logout, me", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  test("login answers the user and a token pair; the access token calls batch routes and me", async () => {
    const result = await post(server.url, endpoints.batchLogin.path, null, { email: "  Demo@Sidecar.local ", password: DEMO.password });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      user: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: DEMO.email,
        full_name: null,
        is_active: true,
        is_verified: true,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
      tokens: { access_token: expect.any(String), refresh_token: expect.any(String), token_type: "bearer", expires_in: 3600 },
    });
    const { tokens, user } = result.body as unknown as { tokens: { access_token: string }; user: unknown };
    expect(await get(server.url, ROUTES.batch, tokens.access_token)).toEqual({ status: 200, body: expect.anything() });
    expect(await get(server.url, ROUTES.batchMe, tokens.access_token)).toEqual({ status: 200, body: user });
  });

  test("a wrong password or unknown e-mail is 401 in the vendor's words; missing fields are a 422 naming them", async () => {
    for (const body of [{ email: DEMO.email, password: "wrong-password" }, { email: "nobody@sidecar.local", password: DEMO.password }]) {
      expect(await post(server.url, endpoints.batchLogin.path, null, body)).toEqual({ status: 401, body: { detail: "Invalid email or password" } });
    }
    const missing = await post(server.url, endpoints.batchLogin.path, null, { email: DEMO.email });
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([expect.objectContaining({ loc: ["body", "password"] })]);
  });

  test("a batch token is refused by documents and Ejento routes, in words naming its service", async () => {
    const { tokens } = await batchSignIn(server.url);
    for (const path of [ROUTES.documents, ROUTES.templates, ROUTES.ejento, ROUTES.ejentoAgents]) {
      const result = await get(server.url, path, tokens.access_token);
      expect(result.status).toBe(401);
      expect(result.body.detail).toMatch(/^This token was issued for the Batch tagging service; sign in to the (Documents|Ejento) service/);
    }
    // Neither can it refresh or end an Ejento sign-in, nor be used as one.
    const ejentoRefresh = await fetch(server.url + endpoints.refresh.path, { method: "POST", headers: bearer(tokens.refresh_token) });
    expect(ejentoRefresh.status).toBe(401);
  });

  test("refresh gives a new pair and uses up the refresh token sent", async () => {
    const { tokens } = await batchSignIn(server.url);
    const renewed = await post(server.url, endpoints.batchRefresh.path, null, { refresh_token: tokens.refresh_token });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: "bearer", expires_in: 3600 });
    expect(renewed.body.refresh_token).not.toBe(tokens.refresh_token);
    expect((await get(server.url, ROUTES.batch, renewed.body.access_token as string)).status).toBe(200);

    const reused = await post(server.url, endpoints.batchRefresh.path, null, { refresh_token: tokens.refresh_token });
    expect(reused).toEqual({ status: 401, body: { detail: "Invalid or expired refresh token" } });
    // An Ejento refresh token is not a tag-generator refresh token.
    const sidecar = await signIn(server.url);
    expect((await post(server.url, endpoints.batchRefresh.path, null, { refresh_token: sidecar.access_token })).status).toBe(401);
    expect((await post(server.url, endpoints.batchRefresh.path, null, { refresh_token: "garbage" })).status).toBe(401);
    expect((await post(server.url, endpoints.batchRefresh.path, null, {})).status).toBe(422);
  });

  test("logout ends both tokens of that sign-in, and only that one; a second logout says so", async () => {
    const first = await batchSignIn(server.url);
    const other = await batchSignIn(server.url);
    const out = await post(server.url, endpoints.batchLogout.path, first.tokens.access_token, { refresh_token: first.tokens.refresh_token });
    expect(out).toEqual({ status: 200, body: { message: "Successfully logged out", success: true } });
    expect((await get(server.url, ROUTES.batch, first.tokens.access_token)).status).toBe(401);
    expect((await post(server.url, endpoints.batchRefresh.path, null, { refresh_token: first.tokens.refresh_token })).status).toBe(401);
    expect((await get(server.url, ROUTES.batch, other.tokens.access_token)).status).toBe(200);

    const again = await post(server.url, endpoints.batchLogout.path, null, { refresh_token: first.tokens.refresh_token });
    expect(again).toEqual({ status: 200, body: { message: "Token already revoked or invalid", success: true } });
  });

  test("logout without a bearer token, with only the refresh token, ends the sign-in too", async () => {
    const { tokens } = await batchSignIn(server.url);
    const out = await post(server.url, endpoints.batchLogout.path, null, { refresh_token: tokens.refresh_token });
    expect(out.body.message).toBe("Successfully logged out");
    expect((await get(server.url, ROUTES.batchMe, tokens.access_token)).status).toBe(401);
  });
});

describe("a Sidecar (Ejento) sign-in is accepted by every face", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  test("Ejento, documents and batch routes, and the tag generator's me, all take its token", async () => {
    const pair = await signIn(server.url);
    for (const path of Object.values(ROUTES)) {
      expect([path, (await get(server.url, path, pair.ejento_access_token)).status]).toEqual([path, 200]);
    }
    expect((await get(server.url, ROUTES.batchMe, pair.ejento_access_token)).body.email).toBe(DEMO.email);
  });

  test("the batch WebSocket takes a batch or Sidecar token, and refuses a documents token", async () => {
    const sidecar = (await signIn(server.url)).ejento_access_token;
    const file = await uploadDocx(server.url, sidecar, await topicDocx("Chess", TOPICS.chess), "chess.docx");
    const batchToken = (await batchSignIn(server.url)).tokens.access_token;
    const jobId = await startJob(server.url, batchToken, { documents: [{ title: "Chess", file_path: file.s3_key, file_source_type: "s3" }], config: { num_tags: 3 } });

    for (const token of [batchToken, sidecar]) {
      const watcher = await watch(server.url, jobId, { token });
      const first = await watcher.waitFor(() => true);
      expect(first.type).not.toBe("error");
      await watcher.close();
    }
    const documentsToken = await artosSignIn(server.url, await userIdOf(server.url));
    const refused = await watch(server.url, jobId, { token: documentsToken });
    expect(await refused.closed).toEqual({ code: 1008, reason: "Authentication required" });
    expect(refused.messages).toEqual([{ type: "error", job_id: jobId, error: "Authentication required" }]);
  });

  test("the old auth-service users/me is gone; a batch token reaches the batch routes (an unknown job is 404, not 401)", async () => {
    const gone = await fetch(server.url + "/auth-service/api/v2/users/me", { headers: bearer((await signIn(server.url)).ejento_access_token) });
    expect(gone.status).toBe(404);
    const status = await fetch(server.url + fillPath(endpoints.batchStatus.path, { job_id: "nope" }), {
      headers: bearer((await batchSignIn(server.url)).tokens.access_token),
    });
    expect(status.status).toBe(404);
  });
});
