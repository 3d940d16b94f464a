// Several server processes on one PostgreSQL database (issue 20): the real server
// (src/server/main.ts) started three times at once on one new database — their migrations run
// concurrently — then used as one service: a sign-in from one is accepted by all, an upload on one
// is listed by another, a generation asked of a third runs on whichever process takes it; killed
// there with kill -9, it completes on another once its lease (8 s here) runs out. Failed sign-ins count
// across processes. A batch job runs on one process while another pauses, resumes and cancels it
// and a socket on a third follows it; killed with kill -9, it completes on a survivor.
// PostgreSQL only (SIDECAR_TEST_ENGINE=postgres).
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { createTestDatabase, testEngine, type TestDatabase } from "../support/postgres";
import { DEMO, bearer, getJson, listDocuments, makeTempDir, postJson, readFixture, signIn, until, upload, waitForDocument, type StatusBody } from "./helpers";
import { byType, control, jobStatus, manyDocuments, progressOf, startJob, waitForJob, watch } from "./batch-helpers";
import { killHard, startServerProcess, type Running } from "./process-helpers";

const FINAL_TYPES = ["completed", "cancelled", "failed"];

const describePostgres = testEngine === "postgres" ? describe : describe.skip;

describePostgres("three server processes on one PostgreSQL database", () => {
  const root = makeTempDir("sidecar-processes-");
  const started: ChildProcess[] = [];
  let database: TestDatabase;
  let servers: Array<Running & { url: string }>;
  /** Signed in by the second test, before the throttling test locks the account. */
  let token: string;

  const envOf = (name: string): Record<string, string> => ({
    SIDECAR_DATABASE_URL: database.url,
    SIDECAR_DATA_DIR: path.join(root, name),
    SIDECAR_STATIC_DIR: path.join(root, "dist"),
    PORT: "0",
    LOG_LEVEL: "info",
    SIDECAR_DEMO_ACCOUNT: "yes",
    // A generation takes about two seconds; a process that dies holds it 8 s at most.
    SIDECAR_PIPELINE_STEP_DELAY_MS: "300",
    SIDECAR_JOB_LEASE_SECONDS: "8",
    SIDECAR_JOB_MAINTENANCE_SECONDS: "1",
    SIDECAR_JOB_POLL_SECONDS: "1",
    // A batch document waits 300 ms before it is tagged: a job of 20 takes several seconds.
    SIDECAR_BATCH_DOCUMENT_DELAY_MS: "300",
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    // All three at once: each migrates the new database at start-up.
    servers = await Promise.all(["a", "b", "c"].map((name) => startServerProcess(envOf(name))));
    for (const server of servers) started.push(server.child);
  }, 60_000);

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await Promise.all(started.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null)));
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("all three started on the new database at once, each migrating it without an error", () => {
    expect(servers).toHaveLength(3);
    for (const server of servers) expect(server.output()).not.toMatch(/cannot start|"level":50/);
    // The demo account was made once, by whichever process got there first.
    expect(servers.filter((server) => server.output().includes("Created the demo sign-in")).length).toBeLessThanOrEqual(1);
  });

  test("a sign-in made on one process is accepted by the others; an upload on one is listed by another", async () => {
    const [a, b, c] = servers as [Running & { url: string }, Running & { url: string }, Running & { url: string }];
    ({ ejento_access_token: token } = await signIn(a.url));
    for (const server of [b, c]) expect((await fetch(server.url + endpoints.me.path, { headers: bearer(token) })).status).toBe(200);
    // A sign-in ended on one process is refused at once by all, though each had just accepted its token (and keeps tokens in memory).
    const ended = await signIn(b.url);
    for (const server of servers) expect((await fetch(server.url + endpoints.me.path, { headers: bearer(ended.ejento_access_token) })).status).toBe(200);
    expect((await fetch(c.url + endpoints.logout.path, { method: "POST", headers: bearer(ended.access_token) })).status).toBe(204);
    for (const server of servers) expect((await fetch(server.url + endpoints.me.path, { headers: bearer(ended.ejento_access_token) })).status).toBe(401);
    const response = await upload(a.url, token, readFixture("openxml-sdk-nutrition-report.docx"), "Nutrition.docx");
    expect(response.status).toBe(201);
    const { document_id } = (await response.json()) as { document_id: string };
    expect((await listDocuments(b.url, token)).map((document) => document.document_id)).toContain(document_id);
    // Its file is served by a process that did not receive it.
    const presigned = await postJson(c.url, endpoints.presignedUrl.path, token, { key: (await listDocuments(c.url, token))[0]?.s3_key });
    expect(presigned.status).toBe(200);
    const file = await fetch(((await presigned.json()) as { url: string }).url);
    expect(Buffer.from(await file.arrayBuffer()).equals(readFixture("openxml-sdk-nutrition-report.docx"))).toBe(true);
  }, 30_000);

  test("failed sign-ins count across processes: the fifth, wherever it lands, locks the account everywhere", async () => {
    const attempt = (url: string) =>
      fetch(url + endpoints.login.path, { method: "POST", body: new URLSearchParams({ username: DEMO.email, password: "not the password" }) });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt((servers[i % servers.length] as { url: string }).url)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    for (const server of servers) {
      const locked = await attempt(server.url);
      expect(locked.status).toBe(429);
      expect(((await locked.json()) as { detail: string }).detail).toMatch(/Too many failed sign-ins for this account/);
    }
  }, 30_000);

  test("a generation asked of one process, killed with kill -9 where it runs, completes on another", async () => {
    const [a, , c] = servers as [Running & { url: string }, Running & { url: string }, Running & { url: string }];
    const [source] = await listDocuments(a.url, token);
    const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(a.url, endpoints.listDocumentSets.path, token);
    const set = sets.body.document_sets[0] as { document_set_id: string; document_set_name: string };
    const response = await postJson(c.url, endpoints.generateDocument.path, token, {
      document_type: "CSR",
      file_paths: [source?.s3_key],
      connector_data_id: set.document_set_id,
      workspace_name: set.document_set_name,
      template_id: "builtin-study-report-summary",
      output_name: "Across processes",
    });
    expect(response.status).toBe(202);
    const id = ((await response.json()) as { task_id: string }).task_id;

    // Whichever process took it says so in its log.
    const runner = await waitFor(() => servers.find((server) => server.output().includes(`"documentId":"${id}"`) && server.output().includes("generation started")), 10_000);
    const status = (await getJson<StatusBody>(a.url, fillPath(endpoints.documentStatus.path, { document_id: id }), token)).body;
    expect(["Ingesting", "Generating"]).toContain(status.status);
    await killHard(runner);
    const survivors = servers.filter((server) => server !== runner);
    servers = survivors;

    const { final } = await waitForDocument((survivors[0] as { url: string }).url, token, id, { timeoutMs: 30_000 });
    expect(final).toMatchObject({ status: "Ready", progress: 100, error: null });
    // It ran again on a survivor, as its second attempt.
    expect(survivors.some((server) => server.output().includes(`"documentId":"${id}","attempt":2`))).toBe(true);
  }, 60_000);


  test("a batch job runs on one process: paused, resumed and cancelled from another, its socket on a third hears each once", async () => {
    const [a] = servers as [Running & { url: string }];
    const [source] = await listDocuments(a.url, token);
    const jobId = await startJob(a.url, token, { documents: manyDocuments([source as { s3_key: string }], 20) });
    const runner = await waitFor(() => servers.find((server) => server.output().includes(`"jobId":"${jobId}","ticket"`)), 10_000);
    const others = servers.filter((server) => server !== runner);
    const controller = others[0] as Running & { url: string };
    const watcher = await watch((others[1] ?? controller).url, jobId, { token });
    await watcher.waitFor(progressOf(0, "success"));

    expect((await control(controller.url, token, jobId, "pause")).body.status).toBe("paused");
    await watcher.waitFor((message) => message.type === "keepalive" && message.status === "paused");
    // The runner (another process) heard it: after the document it was on, nothing more starts.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const whilePaused = (await jobStatus(controller.url, token, jobId)).body;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await jobStatus(controller.url, token, jobId)).body.results).toEqual(whilePaused.results);
    expect(whilePaused.results.some((result) => result.status === "pending")).toBe(true);

    expect((await control(controller.url, token, jobId, "resume")).body.status).toBe("processing");
    const finishedBefore = whilePaused.results.filter((result) => result.status === "success").length;
    await waitForJob(controller.url, token, jobId, (body) => body.results.filter((result) => result.status === "success").length > finishedBefore);

    expect((await control(controller.url, token, jobId, "cancel")).body.status).toBe("cancelled");
    const final = await watcher.waitFor(byType("cancelled"));
    expect(await watcher.closed).toMatchObject({ code: 1000 });
    // Reported once, by the process that was running it.
    expect(watcher.ofType("cancelled")).toEqual([final]);
    expect(watcher.messages.filter((message) => FINAL_TYPES.includes(message.type))).toHaveLength(1);
  }, 60_000);

  test("a batch job whose process is killed with kill -9 completes on another, and a socket elsewhere follows it to the end", async () => {
    const [a] = servers as [Running & { url: string }];
    const [source] = await listDocuments(a.url, token);
    const total = 12;
    const jobId = await startJob(a.url, token, { documents: manyDocuments([source as { s3_key: string }], total) });
    const runner = await waitFor(() => servers.find((server) => server.output().includes(`"jobId":"${jobId}","ticket"`)), 10_000);
    const survivor = servers.find((server) => server !== runner) as Running & { url: string };
    const watcher = await watch(survivor.url, jobId, { token });
    await watcher.waitFor(progressOf(1, "success"));
    await killHard(runner);
    servers = servers.filter((server) => server !== runner);

    // The survivor takes it up once the lease of the dead process runs out, and finishes it.
    const completed = await watcher.waitFor(byType("completed"), 40_000);
    expect(completed).toMatchObject({ type: "completed", job_id: jobId });
    expect(survivor.output()).toContain(`"jobId":"${jobId}","ticket"`);
    const status = (await jobStatus(survivor.url, token, jobId)).body;
    expect(status).toMatchObject({ status: "completed", processed_count: total, failed_count: 0 });
    // Every document tagged, and each heard by the socket as a success (the one being tagged at the kill: redone).
    for (let row = 0; row < total; row++) await watcher.waitFor(progressOf(row, "success"), 1000);
  }, 90_000);

  test("a batch job cancelled while the process running it is dead is reported cancelled once, by the process that takes it up", async () => {
    // A fourth process joins the one survivor: processes can be added while the others run.
    const joined = await startServerProcess(envOf("d"));
    started.push(joined.child);
    servers = [...servers, joined];
    const [a] = servers as [Running & { url: string }];
    const [source] = await listDocuments(a.url, token);
    const jobId = await startJob(a.url, token, { documents: manyDocuments([source as { s3_key: string }], 30) });
    const runner = await waitFor(() => servers.find((server) => server.output().includes(`"jobId":"${jobId}","ticket"`)), 10_000);
    const other = servers.find((server) => server !== runner) as Running & { url: string };
    const watcher = await watch(other.url, jobId, { token });
    await watcher.waitFor(progressOf(0, "success"));
    await killHard(runner);
    servers = servers.filter((server) => server !== runner);

    // The dead process held it: the cancel is left to whoever takes it up when the lease runs out.
    expect((await control(other.url, token, jobId, "cancel")).body.status).toBe("cancelled");
    const final = await watcher.waitFor(byType("cancelled"), 30_000);
    expect(final).toMatchObject({ type: "cancelled", job_id: jobId });
    expect(await watcher.closed).toMatchObject({ code: 1000 });
    expect(watcher.messages.filter((message) => FINAL_TYPES.includes(message.type))).toHaveLength(1);
    // Nothing more was tagged after the cancel.
    const status = (await jobStatus(other.url, token, jobId)).body;
    expect(status.status).toBe("cancelled");
    expect(status.results.filter((result) => result.status === "processing")).toEqual([]);
  }, 60_000);
});

/** The first thing `find` finds, once it finds one (within `ms`). */
async function waitFor<T>(find: () => T | undefined, ms: number): Promise<T> {
  let found: T | undefined;
  await until(() => (found = find()) !== undefined, ms);
  return found as T;
}
