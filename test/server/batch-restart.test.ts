// Batch jobs survive the server stopping. A graceful stop (the app rebuilt on the same data
// directory): the job that was processing resumes from its first unfinished document without
// redoing finished ones, the paused job stays paused, the pending one starts. A document the model
// was still tagging when the server stopped — gracefully, or killed with kill -9 (the real server
// as a child process) — is tagged again at the next start.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  TOPICS,
  byType,
  control,
  documentsFor,
  fakeModel,
  isFinished,
  jobStatus,
  startJob,
  topicDocx,
  uploadDocx,
  waitForJob,
  watch,
} from "./batch-helpers";
import { getJson, makeTempDir, signIn, startServer, type TestServer } from "./helpers";
import { killHard, startServerProcess } from "./process-helpers";
import { endpoints } from "../../src/shared/contract/endpoints";

const roots: string[] = [];
const servers: TestServer[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(servers.map((server) => server.close()));
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function dataDir(): string {
  const root = makeTempDir("sidecar-batch-restart-");
  roots.push(root);
  return path.join(root, "data");
}

async function start(env: Record<string, string>): Promise<TestServer> {
  const server = await startServer(env);
  servers.push(server);
  return server;
}

async function uploadTopics(url: string, token: string) {
  const files = [];
  for (const [topic, paragraphs] of Object.entries(TOPICS)) files.push(await uploadDocx(url, token, await topicDocx(topic, paragraphs), `${topic}.docx`));
  return files;
}

test("after a restart: processing resumes from its first unfinished document, paused stays paused, pending starts", async () => {
  const dir = dataDir();
  const first = await start({ SIDECAR_DATA_DIR: dir, SIDECAR_BATCH_DOCUMENT_DELAY_MS: "150" });
  const token = (await signIn(first.url)).ejento_access_token;
  const files = await uploadTopics(first.url, token);
  const six = documentsFor([...files, ...files]);
  const running = await startJob(first.url, token, { documents: six });
  const alsoRunning = await startJob(first.url, token, { documents: six });
  const pending = await startJob(first.url, token, { documents: documentsFor(files.slice(0, 2)) });
  const paused = await startJob(first.url, token, { documents: documentsFor(files.slice(0, 2)) });
  expect((await control(first.url, token, paused, "pause")).body.status).toBe("paused");
  const before = await waitForJob(first.url, token, running, (body) => body.processed_count >= 2);
  await first.app.close();

  // Same data directory, same sign-in (tokens live in the database).
  // Slower, so the socket surely connects before the first document after the restart starts.
  const second = await start({ SIDECAR_DATA_DIR: dir, SIDECAR_BATCH_DOCUMENT_DELAY_MS: "300" });
  const watcher = await watch(second.url, running, { token });
  const catchup = await watcher.waitFor(byType("catchup"));
  const results = catchup.results as Array<{ row_id: number; status: string; tags: string[] }>;
  expect((catchup.state as { status: string }).status).toBe("processing");
  // Nothing finished was lost, and nothing is left half done.
  expect(results.filter((r) => r.status === "success").length).toBeGreaterThanOrEqual(before.processed_count);
  expect(results.some((r) => r.status === "processing")).toBe(false);
  const finishedBefore = results.filter((r) => r.status === "success").map((r) => r.row_id);

  expect((await watcher.closed).code).toBe(1000);
  const started = watcher.ofType("progress").filter((m) => m.status === "processing").map((m) => m.row_id);
  expect(started).toEqual([0, 1, 2, 3, 4, 5].filter((rowId) => !finishedBefore.includes(rowId)));
  const done = await waitForJob(second.url, token, running, isFinished);
  expect(done.status).toBe("completed");
  expect(done.results.map((r) => r.status)).toEqual(Array(6).fill("success"));
  for (const rowId of finishedBefore) expect(done.results[rowId]?.tags).toEqual(results[rowId]?.tags);

  expect((await waitForJob(second.url, token, alsoRunning, isFinished)).status).toBe("completed");
  expect((await waitForJob(second.url, token, pending, isFinished)).status).toBe("completed");
  const stillPaused = (await jobStatus(second.url, token, paused)).body;
  expect(stillPaused.status).toBe("paused");
  expect(stillPaused.results.every((r) => r.status === "pending")).toBe(true);
  const active = await getJson<{ jobs: Array<{ job_id: string; status: string }> }>(second.url, endpoints.activeBatches.path, token);
  expect(active.body.jobs).toEqual([expect.objectContaining({ job_id: paused, status: "paused" })]);

  // And it runs once resumed.
  await control(second.url, token, paused, "resume");
  expect((await waitForJob(second.url, token, paused, isFinished)).status).toBe("completed");
}, 40_000);

test("a graceful stop while the model is tagging a document abandons it at once; the next start tags it again", async () => {
  const model = await fakeModel();
  try {
    const dir = dataDir();
    const env = { SIDECAR_DATA_DIR: dir, SIDECAR_LLM_BASE_URL: model.url };
    const first = await start(env);
    const token = (await signIn(first.url)).ejento_access_token;
    const files = await uploadTopics(first.url, token);
    const jobId = await startJob(first.url, token, { documents: documentsFor(files.slice(0, 2)), config: { num_tags: 3 } });
    await waitForJob(first.url, token, jobId, (body) => body.results[0]?.status === "processing" && model.state.requests === 1);
    const stopping = Date.now();
    await first.app.close();
    expect(Date.now() - stopping).toBeLessThan(2000);

    model.state.hang = false;
    const second = await start(env);
    const done = await waitForJob(second.url, token, jobId, isFinished);
    expect(done.status).toBe("completed");
    expect(done.results.map((r) => r.tags)).toEqual([
      ["alpha", "beta", "gamma"],
      ["alpha", "beta", "gamma"],
    ]);
  } finally {
    await model.close();
  }
}, 40_000);

test("killed (kill -9) while a document is being tagged: after the restart that document is redone and the job completes", async () => {
  const model = await fakeModel();
  try {
    const root = makeTempDir("sidecar-batch-process-");
    roots.push(root);
    const env = {
      SIDECAR_DATA_DIR: path.join(root, "data"),
      SIDECAR_STATIC_DIR: path.join(root, "dist"),
      PORT: "0",
      LOG_LEVEL: "warn",
      SIDECAR_LLM_BASE_URL: model.url,
    };
    const first = await startServerProcess(env);
    children.push(first.child);
    const token = (await signIn(first.url)).ejento_access_token;
    const files = await uploadTopics(first.url, token);
    const jobId = await startJob(first.url, token, { documents: documentsFor(files), config: { num_tags: 3 } });
    await waitForJob(first.url, token, jobId, (body) => body.results[0]?.status === "processing" && model.state.requests === 1);
    await killHard(first);

    model.state.hang = false;
    const second = await startServerProcess(env);
    children.push(second.child);
    const done = await waitForJob(second.url, token, jobId, isFinished);
    expect(done.status).toBe("completed");
    expect(done.results.map((r) => [r.status, r.tags])).toEqual(Array(3).fill(["success", ["alpha", "beta", "gamma"]]));
    expect(model.state.requests).toBe(4); // the abandoned call, then one per document
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  } finally {
    await model.close();
  }
}, 60_000);
