// The HTTP surface around the API: static pane, JSON 404s, CORS, unexpected errors, logging,
// configuration errors.
import fs from "node:fs";
import path from "node:path";
import { ConfigError, loadConfig } from "../../src/server/config";
import { endpoints } from "../../src/shared/contract/endpoints";
import { DEMO, bearer, signIn, startServer, type TestServer } from "./helpers";

describe("the built pane", () => {
  let server: TestServer;
  const hashed = "main.3f2a9c1b7d5e4f60.js";

  beforeAll(async () => {
    server = await startServer();
    const dist = server.config.staticDir;
    fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
    fs.writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>Sidecar tab</title>");
    fs.writeFileSync(path.join(dist, "taskpane.html"), "<!doctype html><title>Sidecar pane</title>");
    fs.writeFileSync(path.join(dist, "assets", hashed), "console.log('pane')");
    fs.writeFileSync(path.join(dist, "assets", "icon-32.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    // A file where an API path would be: must never be served.
    fs.mkdirSync(path.join(dist, "api", "v1"), { recursive: true });
    fs.writeFileSync(path.join(dist, "api", "v1", "secret.html"), "<p>static file</p>");
  });
  afterAll(() => server.close());

  test("/ serves index.html, not cached", async () => {
    const response = await fetch(server.url + "/");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toContain("Sidecar tab");
  });

  test("taskpane.html and assets are served; content-hashed assets are cached for long", async () => {
    const pane = await fetch(server.url + "/taskpane.html");
    expect(pane.status).toBe(200);
    expect(await pane.text()).toContain("Sidecar pane");
    expect(pane.headers.get("cache-control")).toBe("no-cache");

    const script = await fetch(`${server.url}/assets/${hashed}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await script.text()).toBe("console.log('pane')");

    const icon = await fetch(`${server.url}/assets/icon-32.png`);
    expect(icon.status).toBe(200);
    // Office will not use add-in icons served with no-cache or no-store.
    expect(icon.headers.get("cache-control")).toBe("public, max-age=86400");
  });

  test.each([
    ["GET", "/api/v1/nothing-here"],
    ["GET", "/api/v1/secret.html"],
    ["GET", "/auth-service/api/v2/unknown"],
    ["GET", "/response-service/api/v2/agents/1/responses"],
    ["GET", "/get-sections-for-document"],
    ["GET", "/missing.html"],
  ])("%s %s is a JSON 404, never the pane's HTML", async (method, url) => {
    const token = (await signIn(server.url)).ejento_access_token;
    const response = await fetch(server.url + url, { method, headers: bearer(token) });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await response.json()) as { detail: string };
    expect(body.detail).toContain(url);
  });

  test("unknown API routes answer 404 with a detail", async () => {
    const response = await fetch(server.url + "/api/v1/documents/local/extra", { method: "DELETE" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/no API endpoint DELETE/);
  });
});

describe("without a built pane", () => {
  test("/ says the pane is not built yet and how to build it", async () => {
    const server = await startServer();
    try {
      const response = await fetch(server.url + "/");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/text\/html/);
      const page = await response.text();
      expect(page).toMatch(/not built yet/);
      expect(page).toContain("npm run build");
      expect((await fetch(server.url + "/healthz")).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("CORS", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIDECAR_ALLOWED_ORIGINS: "https://localhost:3000, https://pane.example" });
  });
  afterAll(() => server.close());

  test("a preflight from an allowed origin is answered with the allowed headers", async () => {
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "OPTIONS",
      headers: {
        origin: "https://pane.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://pane.example");
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const header of ["authorization", "content-type", "ocp-apim-subscription-key"]) {
      expect(allowed).toContain(header);
    }
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });

  test("an origin that is not listed gets no CORS headers", async () => {
    const response = await fetch(server.url + endpoints.listDocuments.path, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const get = await fetch(server.url + "/healthz", { headers: { origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("responses, errors included, carry the origin for allowed callers", async () => {
    const ok = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      headers: { origin: "https://localhost:3000" },
      body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }),
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://localhost:3000");

    const denied = await fetch(server.url + endpoints.listDocuments.path, { headers: { origin: "https://localhost:3000" } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe("https://localhost:3000");
  });
});

describe("unexpected errors and the log", () => {
  let server: TestServer;
  const log: string[] = [];

  beforeAll(async () => {
    server = await startServer(
      { LOG_LEVEL: "debug" },
      {
        logStream: { write: (line: string) => log.push(line) },
        beforeListen: (app) => {
          app.get("/api/v1/test-only/boom", async () => {
            throw new Error("kaboom: internal detail");
          });
        },
      },
    );
  });
  afterAll(() => server.close());

  test("an unexpected error is a 500 with a detail a person can act on, and it is logged", async () => {
    const response = await fetch(server.url + "/api/v1/test-only/boom");
    expect(response.status).toBe(500);
    const body = (await response.json()) as { detail: string };
    expect(body).toEqual({
      detail: "The server hit an unexpected error. Try again; if it keeps happening, check the server log.",
    });
    expect(JSON.stringify(body)).not.toContain("kaboom");
    expect(log.join("")).toContain("kaboom: internal detail");
    // The server is still serving.
    expect((await fetch(server.url + "/healthz")).status).toBe(200);
  });

  test("passwords, tokens and API keys never reach the log", async () => {
    const pair = await signIn(server.url, DEMO.email, DEMO.password, { "ocp-apim-subscription-key": "key-in-header-123" });
    await fetch(server.url + endpoints.login.path, {
      method: "POST",
      body: new URLSearchParams({ username: DEMO.email, password: "wrong-password-xyz" }),
    });
    await fetch(server.url + endpoints.me.path, { headers: bearer(pair.ejento_access_token) });
    await fetch(server.url + endpoints.refresh.path, { method: "POST", headers: bearer(pair.access_token) });
    const text = log.join("");
    expect(text).toContain(endpoints.login.path); // requests are logged...
    for (const secret of [DEMO.password, "wrong-password-xyz", pair.access_token, pair.ejento_access_token, "key-in-header-123"]) {
      expect(text).not.toContain(secret); // ...their secrets are not
    }
  });
});

describe("configuration", () => {
  test("defaults", () => {
    const config = loadConfig({}, "/srv/sidecar");
    expect(config).toMatchObject({
      port: 3100,
      host: "127.0.0.1",
      dataDir: "/srv/sidecar/.sidecar/data",
      staticDir: "/srv/sidecar/dist",
      apiKey: null,
      tokenTtlSeconds: 3600,
      refreshTtlSeconds: 7 * 24 * 3600,
      demoPassword: "sidecar-demo",
      maxUploadBytes: 50 * 1024 * 1024,
      maxUnpackedBytes: 500 * 1024 * 1024,
      allowedOrigins: ["https://localhost:3000", "https://127.0.0.1:3000"],
      logLevel: "info",
    });
  });

  test("invalid values stop startup with messages naming each variable", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "http", SIDECAR_TOKEN_TTL_SECONDS: "0", LOG_LEVEL: "loud", SIDECAR_ALLOWED_ORIGINS: "localhost:3000" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/^PORT must be a whole number/m);
    expect(problems).toMatch(/^SIDECAR_TOKEN_TTL_SECONDS must be a whole number of seconds/m);
    expect(problems).toMatch(/^LOG_LEVEL must be one of/m);
    expect(problems).toMatch(/^SIDECAR_ALLOWED_ORIGINS "localhost:3000" is not an origin/m);
    expect(() => loadConfig({ SIDECAR_DEMO_PASSWORD: "short" })).toThrow(/SIDECAR_DEMO_PASSWORD must be at least 8/);
    expect(() => loadConfig({ SIDECAR_TOKEN_TTL_SECONDS: "7200", SIDECAR_REFRESH_TTL_SECONDS: "3600" })).toThrow(
      /SIDECAR_REFRESH_TTL_SECONDS/,
    );
  });
});
