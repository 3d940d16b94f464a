// Auth over real HTTP (docs/api.md "Auth"): sign-in, me, expiry, refresh, logout, API key.
import { endpoints } from "../../src/shared/contract/endpoints";
import { DEMO, bearer, databaseBytes, signIn, startServer, type TestServer, type TokenPair } from "./helpers";


async function me(url: string, token: string | null, extra: Record<string, string> = {}) {
  const response = await fetch(url + endpoints.me.path, { headers: { ...(token ? bearer(token) : {}), ...extra } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function refresh(url: string, token: string) {
  const response = await fetch(url + endpoints.refresh.path, { method: "POST", headers: bearer(token) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function expectPair(body: unknown, expiresIn: number): asserts body is TokenPair {
  const pair = body as TokenPair;
  expect(pair.token_type).toBe("bearer");
  expect(pair.expires_in).toBe(expiresIn);
  expect(pair.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pair.ejento_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(pair.access_token).not.toBe(pair.ejento_access_token);
}

describe("sign-in with the default settings", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  test("a form-encoded sign-in returns the token pair", async () => {
    const response = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }),
    });
    expect(response.status).toBe(200);
    expectPair(await response.json(), 3600);
  });

  test("a JSON sign-in returns the token pair; the e-mail is matched without case or spaces", async () => {
    const response = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "  Demo@Sidecar.LOCAL ", password: DEMO.password }),
    });
    expect(response.status).toBe(200);
    expectPair(await response.json(), 3600);
  });

  test.each([
    ["a wrong password", DEMO.email, "not-the-password"],
    ["an unknown e-mail", "nobody@sidecar.local", DEMO.password],
  ])("%s is refused with 401 and the same message", async (_case, username, password) => {
    const response = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      body: new URLSearchParams({ username, password }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "Incorrect e-mail or password." });
  });

  test("missing fields are a 422 naming them", async () => {
    const noPassword = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      body: new URLSearchParams({ username: DEMO.email }),
    });
    expect(noPassword.status).toBe(422);
    const body = (await noPassword.json()) as { detail: string };
    expect(body.detail).toMatch(/password/);
    expect(body.detail).not.toMatch(/missing or empty: .*username/);

    const nothing = await fetch(server.url + endpoints.login.path, { method: "POST" });
    expect(nothing.status).toBe(422);
    expect(((await nothing.json()) as { detail: string }).detail).toMatch(/username, password/);
  });

  test("bad JSON is a 400 with a detail", async () => {
    const response = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username": "demo@sidecar.local", "password": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/not valid JSON/);
  });

  test("me answers with the caller's id, e-mail and organization in Ejento's envelope", async () => {
    const pair = await signIn(server.url);
    const result = await me(server.url, pair.ejento_access_token);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      success: true,
      message: "",
      data: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: DEMO.email,
        first_name: "",
        last_name: "",
        name: DEMO.email,
        is_staff: false,
        is_superuser: false,
        organization: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "demo" },
      },
    });
  });

  test("API calls without a token, with a garbage token, or with the refresh token are 401", async () => {
    const pair = await signIn(server.url);
    expect(await me(server.url, null)).toEqual({ status: 401, body: { detail: "Not authenticated" } });
    const garbage = await me(server.url, "not-a-token");
    expect(garbage.status).toBe(401);
    expect(garbage.body.detail).toMatch(/Sign in again/);
    const wrongKind = await me(server.url, pair.access_token);
    expect(wrongKind.status).toBe(401);
    expect(wrongKind.body.detail).toMatch(/Sign in again/);
  });

  test("refreshing with the ejento token (not a refresh token) is 401", async () => {
    const pair = await signIn(server.url);
    const result = await refresh(server.url, pair.ejento_access_token);
    expect(result.status).toBe(401);
    expect(result.body.detail).toMatch(/Sign in again/);
  });

  test("logout with the access_token ends both tokens of that sign-in, and only that sign-in", async () => {
    const pair = await signIn(server.url);
    const other = await signIn(server.url);
    const response = await fetch(server.url + endpoints.logout.path, { method: "POST", headers: bearer(pair.access_token) });
    expect(response.status).toBe(204);
    expect((await me(server.url, pair.ejento_access_token)).status).toBe(401);
    expect((await refresh(server.url, pair.access_token)).status).toBe(401);
    expect((await me(server.url, other.ejento_access_token)).status).toBe(200);
  });

  test("logout with the ejento token also ends the sign-in; logout needs a token", async () => {
    const pair = await signIn(server.url);
    const response = await fetch(server.url + endpoints.logout.path, {
      method: "POST",
      headers: { ...bearer(pair.ejento_access_token), "content-type": "application/json" },
    });
    expect(response.status).toBe(204);
    expect((await me(server.url, pair.ejento_access_token)).status).toBe(401);
    expect((await refresh(server.url, pair.access_token)).status).toBe(401);

    const anonymous = await fetch(server.url + endpoints.logout.path, { method: "POST" });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ detail: "Not authenticated" });
  });

  test("no API key is needed when the server has none", async () => {
    expect((await me(server.url, (await signIn(server.url)).ejento_access_token)).status).toBe(200);
  });

  test("tokens are stored only as hashes", async () => {
    const pair = await signIn(server.url);
    const bytes = await databaseBytes(server);
    // What is stored as it is can be found this way (so the misses below mean something).
    expect(bytes.includes(Buffer.from(DEMO.email))).toBe(true);
    expect(bytes.includes(Buffer.from(pair.access_token))).toBe(false);
    expect(bytes.includes(Buffer.from(pair.ejento_access_token))).toBe(false);
    expect(bytes.includes(Buffer.from(DEMO.password))).toBe(false);
  });
});

describe("token lifetimes", () => {
  test("an expired ejento token is 401; refreshing gives a new pair that works", async () => {
    let now = Date.now();
    const server = await startServer({ SIDECAR_TOKEN_TTL_SECONDS: "1" }, { clock: () => now });
    try {
      const pair = await signIn(server.url);
      expect(pair.expires_in).toBe(1);
      expect((await me(server.url, pair.ejento_access_token)).status).toBe(200);
      now += 999;
      expect((await me(server.url, pair.ejento_access_token)).status).toBe(200);
      now += 2;
      const expired = await me(server.url, pair.ejento_access_token);
      expect(expired.status).toBe(401);
      expect(expired.body.detail).toMatch(/expired/);

      const renewed = await refresh(server.url, pair.access_token);
      expect(renewed.status).toBe(200);
      expectPair(renewed.body, 1);
      expect(renewed.body.ejento_access_token).not.toBe(pair.ejento_access_token);
      expect((await me(server.url, renewed.body.ejento_access_token)).status).toBe(200);
      // The old ejento token stays expired.
      expect((await me(server.url, pair.ejento_access_token)).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  test("refreshing after the sign-in itself expired is 401", async () => {
    let now = Date.now();
    const server = await startServer({ SIDECAR_TOKEN_TTL_SECONDS: "1", SIDECAR_REFRESH_TTL_SECONDS: "1" }, { clock: () => now });
    try {
      const pair = await signIn(server.url);
      expect((await refresh(server.url, pair.access_token)).status).toBe(200);
      now += 1001;
      const result = await refresh(server.url, pair.access_token);
      expect(result.status).toBe(401);
      expect(result.body.detail).toMatch(/Sign in again/);
    } finally {
      await server.close();
    }
  });
});

describe("a server started with an API key", () => {
  let server: TestServer;
  const key = "test-api-key-123";
  beforeAll(async () => {
    server = await startServer({ SIDECAR_API_KEY: key });
  });
  afterAll(() => server.close());

  test("API calls without the key, or with a wrong one, are 401 naming the header", async () => {
    const missing = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/Ocp-Apim-Subscription-Key/);

    const wrong = await fetch(server.url + endpoints.listDocuments.path, {
      headers: { "ocp-apim-subscription-key": "wrong" },
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { detail: string }).detail).toMatch(/Ocp-Apim-Subscription-Key/);
  });

  test("with the key, sign-in and API calls work", async () => {
    const pair = await signIn(server.url, DEMO.email, DEMO.password, { "ocp-apim-subscription-key": key });
    const result = await me(server.url, pair.ejento_access_token, { "ocp-apim-subscription-key": key });
    expect(result.status).toBe(200);
    // Key alone is not enough for an API call that needs a sign-in.
    expect((await me(server.url, null, { "ocp-apim-subscription-key": key })).status).toBe(401);
  });

  test("health checks and CORS preflights do not need the key", async () => {
    const health = await fetch(server.url + "/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const preflight = await fetch(server.url + endpoints.listDocuments.path, {
      method: "OPTIONS",
      headers: {
        origin: "https://localhost:3000",
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization, ocp-apim-subscription-key",
      },
    });
    expect(preflight.status).toBe(204);
  });
});
