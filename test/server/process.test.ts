// The real programs as child processes: `npm run server` (src/server/main.ts) survives kill -9
// with its data intact, refuses a busy port, stops cleanly on SIGTERM; `npm run user:add`
// (src/server/cli/user-add.ts) adds people who can then sign in.
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { Storage } from "../../src/server/storage/storage";
import { endpoints } from "../../src/shared/contract/endpoints";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/postgres";
import { DEMO, bearer, listDocuments, makeTempDir, readFixture, signIn, until, upload } from "./helpers";
import { run, runServer, startServerProcess, type Running } from "./process-helpers";

async function userAdd(args: string[], env: Record<string, string>) {
  const cli = run("src/server/cli/user-add.ts", args, env);
  return { code: await cli.exited, output: cli.output() };
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** What only one engine does: SQLite's data-directory lock and file; PostgreSQL's connection. */
const sqliteOnly = testEngine === "sqlite" ? test : test.skip;
const postgresOnly = testEngine === "postgres" ? test : test.skip;

describe("the server process and the user:add CLI", () => {
  const root = makeTempDir("sidecar-process-");
  const env: Record<string, string> = {
    SIDECAR_DATA_DIR: path.join(root, "data"),
    SIDECAR_STATIC_DIR: path.join(root, "dist"),
    PORT: "0",
    LOG_LEVEL: "warn",
  };
  const started: ChildProcess[] = [];
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    if (testEngine === "postgres") {
      database = await createTestDatabase();
      env.SIDECAR_DATABASE_URL = database.url;
    }
  });

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(started.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null)));
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  let first: Running & { url: string };
  let second: Running & { url: string };
  let pair: Awaited<ReturnType<typeof signIn>>;
  let documentId: string;
  const bytes = readFixture("openxml-sdk-nutrition-report.docx");

  test("the first start prints where the pane is and the demo sign-in it created", async () => {
    first = await startServerProcess(env);
    started.push(first.child);
    expect(first.output()).toContain(`Pane in a browser tab:  ${first.url}/`);
    expect(first.output()).toContain(`Pane for Word:          ${first.url}/taskpane.html`);
    expect(first.output()).toContain(`Created the demo sign-in: ${DEMO.email} / ${DEMO.password}`);
  }, 20_000);

  test("an upload survives kill -9 and a restart on the same data directory", async () => {
    pair = await signIn(first.url);
    const response = await upload(first.url, pair.ejento_access_token, bytes, "Nutrition.docx");
    expect(response.status).toBe(201);
    documentId = ((await response.json()) as { document_id: string }).document_id;

    first.child.kill("SIGKILL");
    await first.exited;

    second = await startServerProcess(env);
    started.push(second.child);
    expect(second.output()).not.toContain("Created the demo sign-in");
    // The sign-in from before the crash is still valid, and the document is listed...
    const listed = await listDocuments(second.url, pair.ejento_access_token);
    expect(listed.map((d) => [d.document_id, d.document_name])).toEqual([[documentId, "Nutrition.docx"]]);
    // ...with its stored file intact.
    const storage = await Storage.open(
      env.SIDECAR_DATABASE_URL ? { databaseUrl: env.SIDECAR_DATABASE_URL, dataDir: env.SIDECAR_DATA_DIR as string } : { dataDir: env.SIDECAR_DATA_DIR as string },
      { lock: false, poolSize: 1 },
    );
    try {
      const stored = await storage.files.read({ stored_file_name: `${documentId}.docx` });
      expect(stored && sha256(stored)).toBe(sha256(bytes));
    } finally {
      await storage.close();
    }
  }, 20_000);

  test("a second server on a busy port says so and exits 1", async () => {
    const port = new URL(second.url).port;
    const busy = runServer({ ...env, PORT: port, SIDECAR_DATA_DIR: path.join(root, "other-data") });
    started.push(busy.child);
    expect(await busy.exited).toBe(1);
    expect(busy.output()).toMatch(new RegExp(`port ${port} .* already in use`));
  }, 15_000);

  sqliteOnly("a second server on the same data directory refuses to start and names the process that has it", async () => {
    const twin = runServer({ ...env, PORT: "0" });
    started.push(twin.child);
    expect(await twin.exited).toBe(1);
    expect(twin.output()).toContain(`Another Sidecar server (process ${second.child.pid}) is using the data directory`);
    expect(twin.output()).not.toMatch(/\n\s+at /);
    // The first one still serves.
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  }, 15_000);

  test("user:add adds a person (new organization) who can sign in while the server runs", async () => {
    const added = await userAdd(["--org", "Acme", "--email", "Pat@Acme.example", "--password", "correct horse"], env);
    expect(added.code).toBe(0);
    expect(added.output).toMatch(/Added pat@acme\.example to organization "Acme" \(new organization\)/);
    const pat = await signIn(second.url, "pat@acme.example", "correct horse");
    const me = await fetch(second.url + endpoints.me.path, { headers: bearer(pat.ejento_access_token) });
    expect(((await me.json()) as { data: { organization: { name: string } } }).data.organization.name).toBe("Acme");
    expect(await listDocuments(second.url, pat.ejento_access_token)).toEqual([]);
  }, 15_000);

  test("user:add refuses a duplicate e-mail, missing arguments and a short password with exit code 1", async () => {
    const duplicate = await userAdd(["--org", "Other", "--email", "pat@acme.example", "--password", "another pass"], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.output).toMatch(/already exists/);

    const missing = await userAdd(["--org", "Acme", "--email", "x@acme.example"], env);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/Missing --password/);

    const short = await userAdd(["--org", "Acme", "--email", "y@acme.example", "--password", "short"], env);
    expect(short.code).toBe(1);
    expect(short.output).toMatch(/at least 8 characters/);

    const badEmail = await userAdd(["--org", "Acme", "--email", "not-an-email", "--password", "long enough"], env);
    expect(badEmail.code).toBe(1);
    expect(badEmail.output).toMatch(/not an e-mail address/);
  }, 20_000);

  test("SIGTERM stops the server gracefully with exit code 0", async () => {
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/stopping the Sidecar server/);
  }, 15_000);

  sqliteOnly("a damaged database file stops startup with words naming the file and how to restore it, no stack trace", async () => {
    const dataDir = path.join(root, "damaged");
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, "sidecar.db"), Buffer.alloc(8192, "this is not a database "));
    const damaged = runServer({ ...env, PORT: "0", SIDECAR_DATA_DIR: dataDir });
    started.push(damaged.child);
    expect(await damaged.exited).toBe(1);
    expect(damaged.output()).toContain(`The database ${path.join(dataDir, "sidecar.db")} is damaged`);
    expect(damaged.output()).toMatch(/Restore it from a backup, or move it aside/);
    expect(damaged.output()).not.toMatch(/SqliteError|\n\s+at /);
    // It did not keep the directory locked.
    expect(fs.existsSync(path.join(dataDir, "sidecar.lock"))).toBe(false);
  }, 15_000);

  postgresOnly("a PostgreSQL that cannot be reached stops startup with words naming it and what to check, no stack trace", async () => {
    const unreachable = "postgres://sidecar:secret-password@127.0.0.1:1/sidecar";
    const down = runServer({ ...env, PORT: "0", SIDECAR_DATABASE_URL: unreachable });
    started.push(down.child);
    expect(await down.exited).toBe(1);
    expect(down.output()).toContain("PostgreSQL at postgres://sidecar:****@127.0.0.1:1/sidecar cannot be reached (ECONNREFUSED)");
    expect(down.output()).toMatch(/Start PostgreSQL, or check the host and port in SIDECAR_DATABASE_URL/);
    expect(down.output()).not.toContain("secret-password");
    expect(down.output()).not.toMatch(/\n\s+at /);
  }, 15_000);

  test("an invalid setting stops startup with exit code 1 and names the variable", async () => {
    const bad = runServer({ ...env, PORT: "eighty" });
    started.push(bad.child);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT must be a whole number/);
  }, 15_000);

  sqliteOnly("SIDECAR_WORKERS above 1 without PostgreSQL stops startup with words saying why", async () => {
    const refused = runServer({ ...env, SIDECAR_WORKERS: "2" });
    started.push(refused.child);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain("SIDECAR_WORKERS=2 needs SIDECAR_DATABASE_URL");
  }, 15_000);

  postgresOnly("SIDECAR_WORKERS=2: two processes answer on one port; one killed is replaced; SIGTERM stops them all", async () => {
    const cluster = await startServerProcess({ ...env, SIDECAR_WORKERS: "2", LOG_LEVEL: "info" });
    started.push(cluster.child);
    await until(() => cluster.output().includes("All 2 Sidecar server processes are listening."), 20_000);
    expect(cluster.output()).toContain("Starting 2 Sidecar server processes on one port (SIDECAR_WORKERS=2).");
    expect(cluster.output()).toContain("Server processes:       2 on this port (SIDECAR_WORKERS)");
    // The banner once, from the first process.
    expect(cluster.output().match(/listening on/g)).toHaveLength(1);
    const pidsAnswering = async (): Promise<Set<number>> => {
      const before = cluster.output().length;
      // Each on a new connection: the supervisor hands connections out in turn.
      for (let i = 0; i < 8; i++) expect((await getOnNewConnection(cluster.url + "/healthz")).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return pidsOf(cluster.output().slice(before));
    };
    const pids = await pidsAnswering();
    expect(pids.size).toBe(2);

    const [victim] = [...pids] as [number];
    process.kill(victim, "SIGKILL");
    await until(() => cluster.output().includes(`(pid ${victim}) stopped unexpectedly (SIGKILL); starting another.`), 20_000);
    let now = new Set<number>();
    await until(async () => {
      now = await pidsAnswering();
      return now.size === 2;
    }, 20_000);
    expect(now.has(victim)).toBe(false);

    cluster.child.kill("SIGTERM");
    expect(await cluster.exited).toBe(0);
    for (const pid of now) expect(alive(pid)).toBe(false);
  }, 60_000);
});

/** GET on a connection of its own (no keep-alive): the status. */
function getOnNewConnection(url: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
      })
      .on("error", reject);
  });
}

/** The process ids in the request log lines of `output` (pino puts each line's pid first). */
function pidsOf(output: string): Set<number> {
  return new Set([...output.matchAll(/"pid":(\d+)[^\n]*"url":"\/healthz"/g)].map((match) => Number(match[1])));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
