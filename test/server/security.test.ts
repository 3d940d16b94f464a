// What the server protects besides the API key (test/server/api-key.test.ts): the Host it answers
// to, the headers of every answer, secrets kept out of its log, and its data directory private.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { PassThrough } from "node:stream";
import { endpoints } from "../../src/shared/contract/endpoints";
import { bearer, DEMO, makeTempDir, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";
import { testEngine } from "../support/postgres";

const FIXTURE = "openxml-sdk-nutrition-report.docx";
async function uploadFixture(url: string, token: string): Promise<{ s3_key: string }> {
  const response = await upload(url, token, readFixture(FIXTURE), FIXTURE);
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as { s3_key: string };
}

/** A request with exactly this Host header (fetch does not let a test set it). */
function withHost(url: string, rawPath: string, host: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const target = new URL(url);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, path: rawPath, method: init.method ?? "GET", headers: { ...init.headers, host } },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });
}

describe("Host and headers", () => {
  let server: TestServer;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = makeTempDir("sidecar-static-");
    fs.writeFileSync(path.join(staticDir, "index.html"), "<!doctype html><title>Sidecar</title><script defer src=app.js></script>");
    fs.writeFileSync(path.join(staticDir, "app.js"), "void 0;");
    server = await startServer({ SIDECAR_STATIC_DIR: staticDir, SIDECAR_ALLOWED_HOSTS: "sidecar.lan" });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  test("a Host the server is not known by is refused before anything runs (DNS rebinding against the demo account)", async () => {
    const port = new URL(server.url).port;
    const login = new URLSearchParams({ username: DEMO.email, password: DEMO.password }).toString();
    const rebound = await withHost(server.url, endpoints.login.path, `attacker.example:${port}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: login,
    });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).detail).toMatch(/SIDECAR_ALLOWED_HOSTS/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `sidecar.lan:${port}`, "SIDECAR.LAN"]) {
      expect((await withHost(server.url, "/healthz", host)).status).toBe(200);
    }
  });

  test("a presigned URL is built from an allowed host, never from a forwarded one that isn't", async () => {
    const { ejento_access_token: token } = await signIn(server.url);
    const uploaded = await uploadFixture(server.url, token);
    const body = JSON.stringify({ key: uploaded.s3_key });
    const headers = { ...bearer(token), "content-type": "application/json", "x-forwarded-host": "attacker.example" };
    const answer = await withHost(server.url, endpoints.presignedUrl.path, `localhost:${new URL(server.url).port}`, { method: "POST", headers, body });
    expect(answer.status).toBe(200);
    const url = new URL(JSON.parse(answer.body).url as string);
    expect(url.hostname).toBe("localhost");
  });

  test("pages carry a strict Content-Security-Policy; every answer has nosniff and a Referrer-Policy", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toMatch(/frame-ancestors 'self' [^;]*https:\/\/\*\.officeapps\.live\.com/);
    expect(csp).toContain("object-src 'none'");
    for (const response of [page, await fetch(`${server.url}/app.js`), await fetch(`${server.url}/healthz`), await fetch(`${server.url}${endpoints.listDocuments.path}`)]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBeTruthy();
    }
    // JSON answers are not pages: no policy needed there.
    expect((await fetch(`${server.url}/healthz`)).headers.get("content-security-policy")).toBeNull();
  });
});

describe("secrets", () => {
  test("the log never holds a presigned URL's signature", async () => {
    const log = new PassThrough();
    let text = "";
    log.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const server = await startServer({ LOG_LEVEL: "info" }, { logStream: log });
    try {
      const { ejento_access_token: token } = await signIn(server.url);
      const uploaded = await uploadFixture(server.url, token);
      const presigned = await fetch(server.url + endpoints.presignedUrl.path, {
        method: "POST",
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({ key: uploaded.s3_key }),
      });
      const url = new URL(((await presigned.json()) as { url: string }).url);
      expect((await fetch(url)).status).toBe(200);
      const signature = url.searchParams.get("signature")!;
      expect(signature.length).toBeGreaterThan(10);
      expect(text).toContain("/files/");
      expect(text).not.toContain(signature);
      expect(text).toContain("signature=[redacted]");
    } finally {
      await server.close();
    }
  });

  // SQLite's data directory holds the database and the files; on PostgreSQL they are rows.
  (testEngine === "sqlite" ? test : test.skip)("the data directory is private (0700, files 0600), and one left readable by an older version is fixed at start with a line in the log", async () => {
    const server = await startServer();
    const { ejento_access_token: token } = await signIn(server.url);
    await uploadFixture(server.url, token);
    const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
    const dataDir = server.dataDir;
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, "files"))).toBe(0o700);
    expect(modeOf(path.join(dataDir, "sidecar.db"))).toBe(0o600);
    const stored = fs.readdirSync(path.join(dataDir, "files"));
    expect(stored.length).toBeGreaterThan(0);
    for (const name of stored) expect(modeOf(path.join(dataDir, "files", name))).toBe(0o600);
    await server.app.close();

    // As an older version left it.
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(path.join(dataDir, "sidecar.db"), 0o644);
    for (const name of stored) fs.chmodSync(path.join(dataDir, "files", name), 0o644);
    const log = new PassThrough();
    let text = "";
    log.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const again = await startServer({ SIDECAR_DATA_DIR: dataDir, LOG_LEVEL: "info" }, { logStream: log });
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(path.join(dataDir, "sidecar.db"))).toBe(0o600);
      for (const name of stored) expect(modeOf(path.join(dataDir, "files", name))).toBe(0o600);
      expect(text).toMatch(/made the data directory private/);
    } finally {
      await again.app.close();
      fs.rmSync(server.root, { recursive: true, force: true });
    }
  });
});

describe("the demo account", () => {
  const login = (url: string) =>
    fetch(url + endpoints.login.path, { method: "POST", body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }) });

  test("is not created when the server listens on an address other machines can reach", async () => {
    const server = await startServer({ HOST: "0.0.0.0" });
    try {
      expect(server.app.sidecar.demoUserCreated).toBeNull();
      expect((await login(server.url)).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  test("is created there when asked for (SIDECAR_DEMO_ACCOUNT=yes), and on a loopback address by default", async () => {
    for (const env of [{ HOST: "0.0.0.0", SIDECAR_DEMO_ACCOUNT: "yes" }, { HOST: "127.0.0.1" }, { HOST: "localhost" }] as Array<Record<string, string>>) {
      const server = await startServer(env);
      try {
        expect((await login(server.url)).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });
});
