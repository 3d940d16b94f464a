// SIDECAR_SERVICES: a server answers only the faces it serves (the health probe always), says in
// words which service a path of another face belongs to, and three servers with their own users
// can stand in for Ejento, the documents service and the tag generator, the pane on a fourth
// origin. Also the configuration of the sign-in variables, and what the programs print.
import fs from "node:fs";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import { ConfigError, loadConfig } from "../../src/server/config";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import { DEMO, artosSignIn, batchSignIn, bearer, makeTempDir, postJson, readFixture, signIn, startServer, upload, userIdOf, type TestServer } from "./helpers";
import { run, startServerProcess } from "./process-helpers";

async function detailOf(response: Response): Promise<string> {
  return ((await response.json()) as { detail: string }).detail;
}

describe("a documents-only server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIDECAR_SERVICES: "documents" });
  });
  afterAll(() => server.close());

  test("answers Artos' sign-in and the documents routes", async () => {
    const userId = server.app.sidecar.demoUserCreated?.userId as string;
    const token = await artosSignIn(server.url, userId);
    const uploaded = await upload(server.url, token, readFixture("openxml-sdk-nutrition-report.docx"), "Nutrition.docx");
    expect(uploaded.status).toBe(201);
    const list = await fetch(server.url + endpoints.listDocuments.path, { headers: bearer(token) });
    expect(((await list.json()) as { documents: Array<{ document_name: string }> }).documents.map((d) => d.document_name)).toEqual(["Nutrition.docx"]);
    expect((await fetch(server.url + endpoints.listTemplates.path, { headers: bearer(token) })).status).toBe(200);
    expect((await fetch(server.url + "/healthz")).status).toBe(200);
  });

  test("Ejento paths are 404 in words naming the Ejento service", async () => {
    const login = await fetch(server.url + endpoints.login.path, {
      method: "POST",
      body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }),
    });
    expect(login.status).toBe(404);
    expect(await detailOf(login)).toBe(
      "This server does not serve the Ejento service (it serves: Documents). Point the Ejento connection at the server that does.",
    );
    for (const path of [endpoints.me.path, endpoints.loginFeatureFlags.path, endpoints.listAgents.path, "/response-service/api/v2/agents/1/responses/stream"]) {
      const response = await fetch(server.url + path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(await detailOf(response)).toMatch(/does not serve the Ejento service/);
    }
  });

  test("batch paths, the tag generator's sign-in included, are 404 in words naming the batch service", async () => {
    const login = await postJson(server.url, endpoints.batchLogin.path, null, { email: DEMO.email, password: DEMO.password });
    expect(login.status).toBe(404);
    expect(await detailOf(login)).toMatch(/^This server does not serve the Batch tagging service/);
    const active = await fetch(server.url + endpoints.activeBatches.path);
    expect(active.status).toBe(404);
    expect(await detailOf(active)).toMatch(/does not serve the Batch tagging service/);
  });

  test("a path no service has is still the usual 404", async () => {
    const response = await fetch(server.url + "/api/nothing-here");
    expect(response.status).toBe(404);
    expect(await detailOf(response)).toMatch(/There is no API endpoint GET \/api\/nothing-here/);
  });
});

describe("a batch-only server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SIDECAR_SERVICES: "batch" });
  });
  afterAll(() => server.close());

  test("answers the tag generator's sign-in and its routes, and 404s documents and Ejento paths with words", async () => {
    const { tokens } = await batchSignIn(server.url);
    const active = await fetch(server.url + endpoints.activeBatches.path, { headers: bearer(tokens.access_token) });
    expect(active.status).toBe(200);
    expect((await fetch(server.url + endpoints.batchMe.path, { headers: bearer(tokens.access_token) })).status).toBe(200);

    const artos = await postJson(server.url, endpoints.artosAccessToken.path, null, { user_id: "x" });
    expect(artos.status).toBe(404);
    expect(await detailOf(artos)).toMatch(/does not serve the Documents service \(it serves: Batch tagging\)/);
    const documents = await fetch(server.url + endpoints.listDocuments.path, { headers: bearer(tokens.access_token) });
    expect(documents.status).toBe(404);
    const flags = await fetch(server.url + endpoints.loginFeatureFlags.path);
    expect(await detailOf(flags)).toMatch(/does not serve the Ejento service/);
  });
});

describe("three servers, one per vendor, each with its own users, the pane on another origin", () => {
  const PANE = "https://pane.example";
  let ejento: TestServer;
  let documents: TestServer;
  let batch: TestServer;
  beforeAll(async () => {
    const env = { SIDECAR_ALLOWED_ORIGINS: PANE };
    [ejento, documents, batch] = await Promise.all([
      startServer({ ...env, SIDECAR_SERVICES: "ejento,indexing" }),
      startServer({ ...env, SIDECAR_SERVICES: "documents" }),
      startServer({ ...env, SIDECAR_SERVICES: "batch" }),
    ]);
    await addUser(batch.app.sidecar.storage, { organizationName: "Taggers", email: "tagger@acme.example", password: "tagger-password" });
  });
  afterAll(() => Promise.all([ejento, documents, batch].map((server) => server?.close())));

  test("each signs in its own way, and one service's token means nothing to another", async () => {
    const ejentoPair = await signIn(ejento.url);
    const me = await fetch(ejento.url + endpoints.me.path, { headers: bearer(ejentoPair.ejento_access_token) });
    expect(me.status).toBe(200);
    const artosToken = await artosSignIn(documents.url, documents.app.sidecar.demoUserCreated?.userId as string);
    expect((await fetch(documents.url + endpoints.listDocuments.path, { headers: bearer(artosToken) })).status).toBe(200);
    const tagger = await batchSignIn(batch.url, "tagger@acme.example", "tagger-password");
    expect(tagger.user.email).toBe("tagger@acme.example");
    expect((await fetch(batch.url + endpoints.activeBatches.path, { headers: bearer(tagger.tokens.access_token) })).status).toBe(200);

    // Separate data: the Ejento server's token is unknown to the documents server.
    const foreign = await fetch(documents.url + endpoints.listDocuments.path, { headers: bearer(ejentoPair.ejento_access_token) });
    expect(foreign.status).toBe(401);
    // The Ejento demo user's id is not an Artos user id on the documents server.
    const otherId = await userIdOf(ejento.url);
    expect((await postJson(documents.url, endpoints.artosAccessToken.path, null, { user_id: otherId })).status).toBe(401);
  });

  test("a preflight from the pane's origin is allowed the headers it asks for, a configured key header too", async () => {
    for (const server of [ejento, documents, batch]) {
      const response = await fetch(server.url + endpoints.listDocuments.path, {
        method: "OPTIONS",
        headers: {
          origin: PANE,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, x-indexing-key",
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe(PANE);
      const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type", "ocp-apim-subscription-key", "x-indexing-key"]));
      expect(response.headers.get("vary")).toMatch(/Access-Control-Request-Headers/);
    }
  });

  test("other origins get no CORS headers, whatever they ask for", async () => {
    const response = await fetch(ejento.url + endpoints.me.path, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET", "access-control-request-headers": "x-indexing-key" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-headers")).toBeNull();
  });
});

describe("configuration of the services and sign-in methods", () => {
  test("defaults: all four faces, password and e-mail code, codes in the log", () => {
    const config = loadConfig({}, "/srv/sidecar");
    expect(config.services).toEqual(["ejento", "indexing", "documents", "batch"]);
    expect(config.loginMethods).toEqual(["password", "otp"]);
    expect(config.smtp).toBeNull();
  });

  test("lists are read without case or spaces", () => {
    const config = loadConfig({ SIDECAR_SERVICES: " Documents , batch", SIDECAR_LOGIN_METHODS: "OTP, microsoft_sso" });
    expect(config.services).toEqual(["documents", "batch"]);
    expect(config.loginMethods).toEqual(["otp", "microsoft_sso"]);
    const smtp = loadConfig({ SIDECAR_SMTP_URL: "smtp://u:p@mail.example:2525", SIDECAR_SMTP_FROM: "Sidecar <sidecar@example.com>" });
    expect(smtp.smtp).toEqual({ url: "smtp://u:p@mail.example:2525", from: "Sidecar <sidecar@example.com>" });
  });

  test("unknown names and bad SMTP settings stop startup with messages naming each variable", () => {
    let error: unknown;
    try {
      loadConfig({
        SIDECAR_SERVICES: "documents,chat",
        SIDECAR_LOGIN_METHODS: "password,facebook_sso",
        SIDECAR_SMTP_URL: "http://user:secret-pass@mail.example",
        SIDECAR_SMTP_FROM: "not an address",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/^SIDECAR_SERVICES must be a comma-separated list of ejento, indexing, documents, batch; not known: chat/m);
    expect(problems).toMatch(/^SIDECAR_LOGIN_METHODS must be a comma-separated list of password, otp, .*; not known: facebook_sso/m);
    expect(problems).toMatch(/^SIDECAR_SMTP_URL must be an SMTP address/m);
    expect(problems).toMatch(/^SIDECAR_SMTP_FROM must be an e-mail address/m);
    expect(problems).not.toContain("secret-pass");
    expect(() => loadConfig({ SIDECAR_SERVICES: " , " })).toThrow(/SIDECAR_SERVICES must be a comma-separated list/);
    expect(() => loadConfig({ SIDECAR_SMTP_URL: "smtp://mail.example" })).toThrow(/SIDECAR_SMTP_FROM must be set too/);
    expect(() => loadConfig({ SIDECAR_SMTP_FROM: "sidecar@example.com" })).toThrow(/SIDECAR_SMTP_URL must be set too/);
  });
});

describe("the programs print the Artos user id", () => {
  const root = makeTempDir("sidecar-services-process-");
  const env = { SIDECAR_DATA_DIR: path.join(root, "data"), SIDECAR_STATIC_DIR: path.join(root, "dist"), PORT: "0", LOG_LEVEL: "warn" };
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("a documents server's first start prints the demo user's Artos user id, which signs in; user:add prints the new one's", async () => {
    const server = await startServerProcess({ ...env, SIDECAR_SERVICES: "documents" });
    started.push(server.child);
    expect(server.output()).toContain("Services served:        documents (SIDECAR_SERVICES)");
    const printed = /Its Artos user id \(POST \/get-access-token\): (\S+)/.exec(server.output())?.[1];
    expect(printed).toMatch(/^[0-9a-f-]{36}$/);
    const token = await artosSignIn(server.url, printed as string);
    expect((await fetch(server.url + endpoints.listDocuments.path, { headers: bearer(token) })).status).toBe(200);

    const cli = run("src/server/cli/user-add.ts", ["--org", "Acme", "--email", "ada@acme.example", "--password", "ada-password"], env);
    expect(await cli.exited).toBe(0);
    const added = /Artos user id \(POST \/get-access-token\): (\S+)/.exec(cli.output())?.[1];
    expect(added).toMatch(/^[0-9a-f-]{36}$/);
    expect(added).not.toBe(printed);
    expect(await artosSignIn(server.url, added as string)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    server.child.kill("SIGTERM");
    await server.exited;
  }, 30_000);

  test("a server without the documents face does not print an Artos user id", async () => {
    const server = await startServerProcess({ ...env, SIDECAR_DATA_DIR: path.join(root, "ejento-data"), SIDECAR_SERVICES: "ejento" });
    started.push(server.child);
    expect(server.output()).toContain(`Created the demo sign-in: ${DEMO.email} / ${DEMO.password}`);
    expect(server.output()).not.toContain("Artos user id");
    server.child.kill("SIGTERM");
    await server.exited;
  }, 30_000);
});
