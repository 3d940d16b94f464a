// Headers and hosts: the pane's pages carry a strict Content-Security-Policy (scripts from this
// origin only, framed only by Office hosts and this origin), every answer carries nosniff and a
// Referrer-Policy, a Host header not on the allowlist is refused (DNS rebinding) — WebSocket
// included — and a presigned link never carries a foreign host.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { WebSocket } from "ws";
import { ConfigError, loadConfig } from "../../src/server/config";
import { HEALTH_PATH, endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { ask, streamPath } from "./chat-helpers";
import { bearer, postJson, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

const NUTRITION = "openxml-sdk-nutrition-report.docx";
/** Office on the web frames a task pane from these (among the hosts the policy lists). */
const OFFICE_HOSTS = ["https://*.officeapps.live.com", "https://*.office.com", "https://*.sharepoint.com"];
/** Either keeps the page's URL (the sign-in window's carries tokens) from other origins. */
const REFERRER_POLICIES = ["no-referrer", "strict-origin-when-cross-origin", "same-origin"];

/** A raw request, since fetch() cannot set Host. */
function rawRequest(
  url: string,
  { method = "GET", pathname = "/", headers = {}, body }: { method?: string; pathname?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path: pathname, headers }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (policy ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

describe("response headers", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer();
    const dist = server.config.staticDir;
    fs.mkdirSync(path.join(dist, "assets"), { recursive: true });
    for (const page of ["index.html", "taskpane.html", "commands.html", "auth-dialog.html", "help.html"]) {
      fs.writeFileSync(path.join(dist, page), `<!doctype html><title>${page}</title><script src="main.0123456789.js"></script>`);
    }
    fs.writeFileSync(path.join(dist, "main.0123456789.js"), "console.log('pane')");
    token = (await signIn(server.url)).ejento_access_token;
  });
  afterAll(() => server.close());

  test.each([["/"], ["/index.html"], ["/taskpane.html"], ["/commands.html"], ["/auth-dialog.html"], ["/help.html"]])(
    "%s has a strict Content-Security-Policy: scripts from this origin only, framed by Office hosts and itself",
    async (pathname) => {
      const response = await fetch(server.url + pathname);
      expect(response.status).toBe(200);
      const policy = directives(response.headers.get("content-security-policy"));
      expect(policy["script-src"]).toEqual(["'self'"]);
      expect(policy["default-src"]).toEqual(["'self'"]);
      expect(policy["object-src"]).toEqual(["'none'"]);
      expect(policy["base-uri"]).toEqual(["'self'"]);
      expect(policy["frame-ancestors"]).toEqual(expect.arrayContaining(["'self'", ...OFFICE_HOSTS]));
      expect(policy["frame-ancestors"]).not.toContain("*");
      // Fluent UI (Griffel) writes its styles at run time.
      expect(policy["style-src"]).toEqual(expect.arrayContaining(["'self'", "'unsafe-inline'"]));
      const everything = Object.values(policy).flat();
      expect(everything).not.toContain("'unsafe-eval'");
      expect(policy["script-src"]).not.toContain("'unsafe-inline'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(REFERRER_POLICIES).toContain(response.headers.get("referrer-policy"));
    },
  );

  test("the page shown before the pane is built has the policy too", async () => {
    const bare = await startServer();
    try {
      const response = await fetch(bare.url + "/");
      expect(await response.text()).toMatch(/not built yet/);
      expect(directives(response.headers.get("content-security-policy"))["script-src"]).toEqual(["'self'"]);
    } finally {
      await bare.close();
    }
  });

  test("every answer says nosniff and a Referrer-Policy: scripts, JSON, errors, 404s, /healthz, signed files, the chat's event stream", async () => {
    const uploaded = (await (await upload(server.url, token, readFixture(NUTRITION), "n.docx")).json()) as { s3_key: string };
    const presigned = (await (
      await fetch(server.url + endpoints.presignedUrl.path, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(token) },
        body: JSON.stringify({ key: uploaded.s3_key }),
      })
    ).json()) as { url: string };
    const answers: Array<[string, Response]> = [
      ["script", await fetch(server.url + "/main.0123456789.js")],
      ["list", await fetch(server.url + endpoints.listDocuments.path, { headers: bearer(token) })],
      ["401", await fetch(server.url + endpoints.listDocuments.path)],
      ["404", await fetch(server.url + "/api/v1/nothing-here", { headers: bearer(token) })],
      ["422", await fetch(server.url + endpoints.presignedUrl.path, { method: "POST", headers: { "content-type": "application/json", ...bearer(token) }, body: "{}" })],
      ["health", await fetch(server.url + HEALTH_PATH)],
      ["file", await fetch(presigned.url)],
      ["preflight", await fetch(server.url + endpoints.listDocuments.path, { method: "OPTIONS" })],
      // Written past Fastify's reply (hijacked), so onSend never sees it.
      ["stream", await postJson(server.url, streamPath(1), token, ask("Hello?"))],
    ];
    for (const [name, response] of answers) {
      await response.arrayBuffer();
      expect(`${name}: ${response.headers.get("x-content-type-options")}`).toBe(`${name}: nosniff`);
      expect(`${name}: ${REFERRER_POLICIES.includes(response.headers.get("referrer-policy") ?? "")}`).toBe(`${name}: true`);
      // Only pages get the pane's policy.
      expect(`${name}: ${response.headers.get("content-security-policy")}`).toBe(`${name}: null`);
    }
  });
});

describe("the Host allowlist", () => {
  let server: TestServer;
  let port: string;
  beforeAll(async () => {
    server = await startServer({ SIDECAR_ALLOWED_HOSTS: "sidecar.lan, box.lan:8443" });
    port = new URL(server.url).port;
  });
  afterAll(() => server.close());

  test("loopback names (any port: the dev server forwards its own) and the allowed hosts, written as name or name:port, are answered", async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost:3000", `LOCALHOST:${port}`, "sidecar.lan", "sidecar.lan:1234", "box.lan:8443", "box.lan"]) {
      expect(`${host} ${(await rawRequest(server.url, { pathname: HEALTH_PATH, headers: { host } })).status}`).toBe(`${host} 200`);
    }
  });

  test("any other Host is refused with 421 and words that say what to do, before any route or sign-in", async () => {
    const login = JSON.stringify({ username: "demo@sidecar.local", password: "sidecar-demo" });
    for (const host of [`evil.example:${port}`, "evil.example", "lan.box", `localhost.evil.example:${port}`, "127.0.0.1.nip.io", `sidecar.lan.evil.example`]) {
      for (const [method, pathname, body] of [
        ["GET", "/", undefined],
        ["GET", HEALTH_PATH, undefined],
        ["POST", endpoints.login.path, login],
      ] as const) {
        const response = await rawRequest(server.url, { method, pathname, headers: { host, "content-type": "application/json" }, body });
        expect(`${host} ${method} ${pathname} ${response.status}`).toBe(`${host} ${method} ${pathname} 421`);
        const detail = (JSON.parse(response.text) as { detail: string }).detail;
        expect(detail).toContain(host.replace(/:\d+$/, ""));
        expect(detail).toMatch(/SIDECAR_ALLOWED_HOSTS/);
        expect(response.text).not.toMatch(/access_token/);
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
      }
    }
  });

  test("the batch WebSocket refuses a foreign Host at the upgrade", async () => {
    const url = `${server.url.replace(/^http/, "ws")}${fillPath(endpoints.batchSocket.path, { job_id: "any" })}?token=x`;
    const refusedWith = (host: string) =>
      new Promise<number | "open">((resolve) => {
        const socket = new WebSocket(url, { headers: { host } });
        socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.on("open", () => {
          resolve("open");
          socket.close();
        });
        socket.on("error", () => undefined);
      });
    expect(await refusedWith(`evil.example:${port}`)).toBe(421);
    expect(await refusedWith(`localhost:${port}`)).toBe("open");
  });

  test("a presigned link never carries a foreign host: forwarded names off the list are ignored", async () => {
    const token = (await signIn(server.url)).ejento_access_token;
    const uploaded = (await (await upload(server.url, token, readFixture(NUTRITION), "n.docx")).json()) as { s3_key: string };
    const presign = async (headers: Record<string, string>) => {
      const response = await rawRequest(server.url, {
        method: "POST",
        pathname: endpoints.presignedUrl.path,
        headers: { "content-type": "application/json", ...bearer(token), ...headers },
        body: JSON.stringify({ key: uploaded.s3_key }),
      });
      return { status: response.status, url: response.status === 200 ? (JSON.parse(response.text) as { url: string }).url : null };
    };
    expect(await presign({ host: `evil.example:${port}` })).toEqual({ status: 421, url: null });
    // From a loopback peer (as a local proxy would send it): X-Forwarded-Host only when allowed.
    const forwardedEvil = await presign({ host: `127.0.0.1:${port}`, "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" });
    expect(new URL(forwardedEvil.url as string).host).toBe(`127.0.0.1:${port}`);
    const forwardedAllowed = await presign({ host: `127.0.0.1:${port}`, "x-forwarded-host": "sidecar.lan", "x-forwarded-proto": "https" });
    expect(forwardedAllowed.url).toMatch(/^https:\/\/sidecar\.lan\/files\//);
    const direct = await presign({ host: "box.lan:8443" });
    expect(direct.url).toMatch(/^http:\/\/box\.lan:8443\/files\//);
  });

  test("SIDECAR_PUBLIC_URL's host is allowed, other names are not", async () => {
    const pub = await startServer({ SIDECAR_PUBLIC_URL: "https://sidecar.example.com" });
    try {
      const health = await rawRequest(pub.url, { pathname: HEALTH_PATH, headers: { host: "sidecar.example.com" } });
      expect(health.status).toBe(200);
      expect((await rawRequest(pub.url, { pathname: HEALTH_PATH, headers: { host: "other.example.com" } })).status).toBe(421);
    } finally {
      await pub.close();
    }
  });

  test("SIDECAR_ALLOWED_HOSTS takes host names (a port is allowed and ignored) and refuses anything else with words", () => {
    expect(loadConfig({ SIDECAR_ALLOWED_HOSTS: "a.example, B.example:8080,[fd00::1]:3100,*" }).allowedHosts).toEqual(["a.example", "b.example", "[fd00::1]", "*"]);
    let problem = "";
    try {
      loadConfig({ SIDECAR_ALLOWED_HOSTS: "https://a.example/" });
    } catch (error) {
      problem = error instanceof ConfigError ? error.message : String(error);
    }
    expect(problem).toMatch(/SIDECAR_ALLOWED_HOSTS .*"https:\/\/a.example\/" is not a host name/);
  });
});
