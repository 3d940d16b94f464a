// The batch job's WebSocket with a real client (`ws`): catchup then live progress to completed,
// catching up after a reconnect, a job that finished before the connect, refusals (no or bad
// token, someone else's job, a missing API key) said in an error message then 1008, keepalives
// (when idle, and at once on pause and resume), cancel, several watchers, and sockets closed
// when the server stops.
import { PassThrough } from "node:stream";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import {
  byType,
  control,
  fakeModel,
  isFinished,
  jobStatus,
  manyDocuments,
  progressOf,
  useBatchServers,
  startJob,
  waitForJob,
  watch,
  type BatchSetup,
  type Message,
} from "./batch-helpers";
import { getJson, postJson, signIn } from "./helpers";

const DELAY_MS = 120;

const setup = useBatchServers({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: String(DELAY_MS) });
const documents = manyDocuments;

describe("a job watched from the start", () => {
  // Slower, so the socket surely connects before the first document starts, even on a busy machine.
  const SLOW_MS = 300;
  let s: BatchSetup;
  beforeAll(async () => {
    s = await setup({ SIDECAR_BATCH_KEEPALIVE_MS: "60000", SIDECAR_BATCH_DOCUMENT_DELAY_MS: String(SLOW_MS) });
  }, 30_000);

  test("catchup, then processing and success for each document in order, then completed and close 1000", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 3), config: { num_tags: 4 } });
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    const closed = await watcher.closed;
    expect(closed).toEqual({ code: 1000, reason: "Job completed" });

    const [catchup, ...rest] = watcher.messages;
    expect(catchup).toEqual({
      type: "catchup",
      job_id: jobId,
      state: { status: "processing", total: 3, processed_count: 0, failed_count: 0, progress: 0 },
      results: [0, 1, 2].map((rowId) => ({
        row_id: rowId,
        row_number: rowId + 1,
        title: `Document ${rowId + 1}`,
        document_id: null,
        file_path: s.files[rowId]?.s3_key,
        status: "pending",
        success: false,
        tags: [],
        error: null,
      })),
    });
    expect(rest.map((m) => [m.type, m.row_id, m.status])).toEqual([
      ["progress", 0, "processing"],
      ["progress", 0, "success"],
      ["progress", 1, "processing"],
      ["progress", 1, "success"],
      ["progress", 2, "processing"],
      ["progress", 2, "success"],
      ["completed", undefined, undefined],
    ]);
    expect(rest[0]).toEqual({
      type: "progress",
      job_id: jobId,
      row_id: 0,
      row_number: 1,
      title: "Document 1",
      document_id: s.files[0]?.document_id,
      file_path: s.files[0]?.s3_key,
      status: "processing",
      progress: 0,
      processed_count: 0,
      failed_count: 0,
    });
    expect(rest[3]).toEqual({
      type: "progress",
      job_id: jobId,
      row_id: 1,
      row_number: 2,
      title: "Document 2",
      document_id: s.files[1]?.document_id,
      file_path: s.files[1]?.s3_key,
      status: "success",
      success: true,
      tags: expect.arrayContaining([expect.any(String)]),
      error: null,
      progress: 0.6667,
      processed_count: 2,
      failed_count: 0,
    });
    expect((rest[3]?.tags as string[]).length).toBe(4);
    expect(rest[6]).toEqual({
      type: "completed",
      job_id: jobId,
      total_documents: 3,
      processed_count: 3,
      failed_count: 0,
      processing_time: expect.any(Number),
      message: "Tagged 3 of 3 documents.",
    });
    expect(rest[6]?.processing_time as number).toBeGreaterThanOrEqual((3 * SLOW_MS) / 1000 - 0.05);
    // What the socket said is what the status route says.
    const status = (await jobStatus(s.server.url, s.token, jobId)).body;
    expect(status.results.map((r) => r.tags)).toEqual([1, 3, 5].map((i) => rest[i]?.tags));
  });

  test("a failed document is reported with its error; the counts say so", async () => {
    const jobId = await startJob(s.server.url, s.token, {
      documents: [{ title: "Missing", file_path: "nowhere.docx", file_source_type: "s3" }, ...documents(s.files, 1)],
    });
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    const failed = await watcher.waitFor(progressOf(0, "failed"));
    expect(failed).toMatchObject({ title: "Missing", document_id: null, success: false, tags: [], error: "Document not found", failed_count: 1, progress: 0.5 });
    expect(await watcher.waitFor(byType("completed"))).toMatchObject({ processed_count: 1, failed_count: 1, message: "Tagged 1 of 2 documents; 1 failed." });
    await watcher.closed;
  });

  test("every socket watching the job gets every message", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 2) });
    const [a, b] = await Promise.all([watch(s.server.url, jobId, { token: s.token }), watch(s.server.url, jobId, { token: s.token })]);
    await Promise.all([a.closed, b.closed]);
    const live = (messages: Message[]) => messages.filter((m) => m.type !== "catchup");
    expect(live(a.messages)).toEqual(live(b.messages));
    expect(live(a.messages).map((m) => m.type)).toEqual(["progress", "progress", "progress", "progress", "completed"]);
  });

  test("the token may come as Authorization: Bearer instead of ?token=", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 1) });
    const watcher = await watch(s.server.url, jobId, { headers: { authorization: `Bearer ${s.token}` } });
    expect((await watcher.waitFor(byType("catchup"))).job_id).toBe(jobId);
    expect((await watcher.closed).code).toBe(1000);
  });
});

describe("reconnecting and finished jobs", () => {
  let s: BatchSetup;
  beforeAll(async () => {
    s = await setup({ SIDECAR_BATCH_KEEPALIVE_MS: "60000" });
  }, 30_000);

  test("connect mid-job, disconnect, reconnect: the catchup has the results so far, then progress continues to completed", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 6) });
    const first = await watch(s.server.url, jobId, { token: s.token });
    await first.waitFor(progressOf(0, "success"));
    await first.close();

    // The job goes on without an observer.
    const meanwhile = await waitForJob(s.server.url, s.token, jobId, (body) => body.processed_count >= 2);
    expect(meanwhile.status).toBe("processing");

    const second = await watch(s.server.url, jobId, { token: s.token });
    const catchup = await second.waitFor(byType("catchup"));
    const state = catchup.state as { status: string; processed_count: number; total: number; progress: number };
    const results = catchup.results as Array<{ row_id: number; status: string; tags: string[] }>;
    expect(state.status).toBe("processing");
    expect(state.total).toBe(6);
    expect(state.processed_count).toBeGreaterThanOrEqual(2);
    expect(typeof state.progress).toBe("number");
    const doneBefore = results.filter((r) => r.status === "success");
    expect(doneBefore.length).toBe(state.processed_count);
    for (const result of doneBefore) expect(result.tags.length).toBe(8);
    // Documents finished before the reconnect are not reported again; the rest arrive live.
    await second.closed;
    const successes = second.ofType("progress").filter((m) => m.status === "success").map((m) => m.row_id);
    expect(successes).toEqual(results.filter((r) => r.status !== "success").map((r) => r.row_id));
    expect(second.messages[second.messages.length - 1]).toMatchObject({ type: "completed", processed_count: 6 });
  });

  test("a completed job: catchup, then completed with \"Job already completed\", then close 1000", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 1) });
    await waitForJob(s.server.url, s.token, jobId, isFinished);
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    expect(await watcher.closed).toEqual({ code: 1000, reason: "Job completed" });
    expect(watcher.messages).toEqual([
      {
        type: "catchup",
        job_id: jobId,
        state: { status: "completed", total: 1, processed_count: 1, failed_count: 0, progress: 1 },
        results: [expect.objectContaining({ row_id: 0, status: "success", success: true })],
      },
      {
        type: "completed",
        job_id: jobId,
        total_documents: 1,
        processed_count: 1,
        failed_count: 0,
        processing_time: expect.any(Number),
        message: "Job already completed",
      },
    ]);
  });

  test("a cancelled job: catchup, then cancelled with \"Job already cancelled\", then close 1000", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 3) });
    await control(s.server.url, s.token, jobId, "cancel");
    await waitForJob(s.server.url, s.token, jobId, (body) => body.results.every((r) => r.status !== "processing"));
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    expect(await watcher.closed).toEqual({ code: 1000, reason: "Job cancelled" });
    expect(watcher.messages.map((m) => m.type)).toEqual(["catchup", "cancelled"]);
    expect(watcher.messages[1]).toEqual({ type: "cancelled", job_id: jobId, processed_count: 0, failed_count: 0, message: "Job already cancelled" });
  });
});

describe("pause, resume and cancel as observers see them", () => {
  let s: BatchSetup;
  beforeAll(async () => {
    s = await setup({ SIDECAR_BATCH_KEEPALIVE_MS: "60000" });
  }, 30_000);

  test("pause and resume each send a keepalive with the new status at once; the job then completes, each document once", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 4) });
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    await watcher.waitFor(progressOf(0, "success"));
    await control(s.server.url, s.token, jobId, "pause");
    expect(await watcher.waitFor(byType("keepalive"), 1000)).toEqual({ type: "keepalive", job_id: jobId, status: "paused" });
    await control(s.server.url, s.token, jobId, "resume");
    expect(await watcher.waitFor((m) => m.type === "keepalive" && m.status === "processing", 1000)).toEqual({
      type: "keepalive",
      job_id: jobId,
      status: "processing",
    });
    expect((await watcher.closed).code).toBe(1000);
    const progress = watcher.ofType("progress");
    for (const rowId of [0, 1, 2, 3]) {
      expect(progress.filter((m) => m.row_id === rowId).map((m) => m.status)).toEqual(["processing", "success"]);
    }
    // Nothing started between the pause and the resume.
    const types = watcher.messages.map((m) => (m.type === "keepalive" ? `keepalive:${m.status}` : m.type === "progress" ? `${m.status}` : m.type));
    const pausedAt = types.indexOf("keepalive:paused");
    const resumedAt = types.indexOf("keepalive:processing");
    expect(types.slice(pausedAt, resumedAt).filter((t) => t === "processing")).toEqual([]);
  });

  test("cancelling a running job: cancelled with the counts, then close 1000", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 5) });
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    await watcher.waitFor(progressOf(0, "success"));
    await control(s.server.url, s.token, jobId, "cancel");
    expect(await watcher.closed).toEqual({ code: 1000, reason: "Job cancelled" });
    const last = watcher.messages[watcher.messages.length - 1] as Message;
    expect(last).toEqual({ type: "cancelled", job_id: jobId, processed_count: expect.any(Number), failed_count: 0, message: expect.stringMatching(/^Job cancelled: \d tagged, 0 failed, \d not processed\.$/) });
    expect(last.processed_count as number).toBeGreaterThanOrEqual(1);
    expect(last.processed_count as number).toBeLessThan(5);
    const status = (await jobStatus(s.server.url, s.token, jobId)).body;
    expect(status.processed_count).toBe(last.processed_count);
  });

  test("cancelling a paused job tells its observers at once", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 5) });
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    await control(s.server.url, s.token, jobId, "pause");
    await watcher.waitFor(byType("keepalive"));
    await control(s.server.url, s.token, jobId, "cancel");
    expect(await watcher.closed).toEqual({ code: 1000, reason: "Job cancelled" });
    expect(watcher.messages[watcher.messages.length - 1]?.type).toBe("cancelled");
  });
});

test("an idle socket gets a keepalive with the job's status every SIDECAR_BATCH_KEEPALIVE_MS", async () => {
  const s = await setup({ SIDECAR_BATCH_KEEPALIVE_MS: "150" });
  const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 3) });
  await control(s.server.url, s.token, jobId, "pause");
  const watcher = await watch(s.server.url, jobId, { token: s.token });
  await watcher.waitFor((m) => watcher.ofType("keepalive").length >= 2 && m.type === "keepalive");
  expect(watcher.ofType("keepalive").slice(0, 2)).toEqual([
    { type: "keepalive", job_id: jobId, status: "paused" },
    { type: "keepalive", job_id: jobId, status: "paused" },
  ]);
  await watcher.close();
  await control(s.server.url, s.token, jobId, "cancel");
}, 30_000);

describe("refusals: said in an error message, then close 1008", () => {
  let s: BatchSetup;
  let jobId: string;
  beforeAll(async () => {
    s = await setup();
    jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 3) });
    await control(s.server.url, s.token, jobId, "pause");
  }, 30_000);
  afterAll(async () => {
    await control(s.server.url, s.token, jobId, "cancel");
  });

  test("no token, a wrong token, or the token of a finished sign-in: Authentication required", async () => {
    const signedOut = await signIn(s.server.url);
    await postJson(s.server.url, endpoints.logout.path, signedOut.access_token, undefined);
    for (const token of [undefined, "not-a-token", signedOut.ejento_access_token]) {
      const watcher = await watch(s.server.url, jobId, token ? { token } : {});
      expect(await watcher.closed).toEqual({ code: 1008, reason: "Authentication required" });
      expect(watcher.messages).toEqual([{ type: "error", job_id: jobId, error: "Authentication required" }]);
    }
  });

  test("another user's job, in the same organization or not, or an unknown job: Job not found", async () => {
    const storage = s.server.app.sidecar.storage;
    await addUser(storage, { organizationName: "demo", email: "colleague@sidecar.local", password: "colleague-password" });
    await addUser(storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
    const colleague = (await signIn(s.server.url, "colleague@sidecar.local", "colleague-password")).ejento_access_token;
    const other = (await signIn(s.server.url, "other@other.example", "other-password")).ejento_access_token;
    for (const [token, id] of [
      [colleague, jobId],
      [other, jobId],
      [s.token, "no-such-job"],
    ] as const) {
      const watcher = await watch(s.server.url, id, { token });
      expect(await watcher.closed).toEqual({ code: 1008, reason: "Job not found" });
      expect(watcher.messages).toEqual([{ type: "error", job_id: id, error: "Job not found" }]);
    }
    // The owner still watches it.
    const owner = await watch(s.server.url, jobId, { token: s.token });
    expect((await owner.waitFor(byType("catchup"))).state).toMatchObject({ status: "paused" });
    await owner.close();
  });
});

test("with an API key, the socket takes it as ?key= (browsers can't send headers); HTTP routes still need the header; the log hides both secrets", async () => {
  const log = new PassThrough();
  let logText = "";
  log.on("data", (chunk: Buffer) => (logText += chunk.toString()));
  const key = "the-api-key-123";
  const s = await setup({ SIDECAR_API_KEY: key, LOG_LEVEL: "info" }, log);
  const headers = { "ocp-apim-subscription-key": key };
  const response = await postJson(s.server.url, endpoints.startBatch.path, s.token, { documents: documents(s.files, 1) }, headers);
  const jobId = ((await response.json()) as { job_id: string }).job_id;

  const missing = await watch(s.server.url, jobId, { token: s.token });
  expect(await missing.closed).toEqual({ code: 1008, reason: "API key required" });
  expect(missing.messages).toEqual([{ type: "error", job_id: jobId, error: expect.stringMatching(/requires an API key.*\?key=/) }]);

  const wrong = await watch(s.server.url, jobId, { token: s.token, query: { key: "wrong" } });
  expect(await wrong.closed).toEqual({ code: 1008, reason: "API key required" });
  expect(wrong.messages[0]?.error).toMatch(/not valid/);

  for (const watcher of [
    await watch(s.server.url, jobId, { token: s.token, query: { key } }),
    await watch(s.server.url, jobId, { token: s.token, headers }),
  ]) {
    expect((await watcher.closed).code).toBe(1000);
    expect(watcher.messages.map((m) => m.type)).toContain("catchup");
  }

  // ?key= is for the socket only.
  const status = await fetch(`${s.server.url}${endpoints.activeBatches.path}?key=${key}`, { headers: { authorization: `Bearer ${s.token}` } });
  expect(status.status).toBe(401);
  expect((await getJson(s.server.url, endpoints.activeBatches.path, s.token)).status).toBe(401);

  expect(logText).toContain("/api/batch/ws/");
  expect(logText).not.toContain(s.token);
  expect(logText).not.toContain(key);
}, 30_000);

test("stopping the server closes open sockets (1001) without waiting for the job", async () => {
  const s = await setup();
  const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 3) });
  await control(s.server.url, s.token, jobId, "pause");
  const watcher = await watch(s.server.url, jobId, { token: s.token });
  await watcher.waitFor(byType("catchup"));
  const started = Date.now();
  await s.server.app.close();
  expect(await watcher.closed).toEqual({ code: 1001, reason: "Server is shutting down" });
  expect(Date.now() - started).toBeLessThan(2000);
}, 30_000);

test("the plain HTTP GET of the socket path is not a route", async () => {
  const s = await setup();
  const response = await fetch(s.server.url + "/api/batch/ws/some-job", { headers: { authorization: `Bearer ${s.token}` } });
  expect(response.status).toBe(404);
}, 30_000);

test("connecting to a job cancelled while the model is still tagging its document: that document's result, then cancelled, then close 1000", async () => {
  const model = await fakeModel();
  try {
    const s = await setup({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: "0", SIDECAR_LLM_BASE_URL: model.url });
    const jobId = await startJob(s.server.url, s.token, { documents: documents(s.files, 2), config: { num_tags: 3 } });
    await waitForJob(s.server.url, s.token, jobId, (body) => body.results[0]?.status === "processing" && model.state.requests === 1);
    expect((await control(s.server.url, s.token, jobId, "cancel")).body.status).toBe("cancelled");

    // Connected after the cancel, before the document is done: not "Job already cancelled" yet.
    const watcher = await watch(s.server.url, jobId, { token: s.token });
    const caughtUp = await watcher.waitFor(byType("catchup"));
    expect(caughtUp.state).toMatchObject({ status: "cancelled", processed_count: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watcher.messages.map((m) => m.type)).toEqual(["catchup"]);

    model.release();
    expect(await watcher.waitFor(progressOf(0, "success"))).toMatchObject({ tags: ["alpha", "beta", "gamma"], processed_count: 1 });
    expect(await watcher.closed).toEqual({ code: 1000, reason: "Job cancelled" });
    expect(watcher.messages.at(-1)).toEqual({ type: "cancelled", job_id: jobId, processed_count: 1, failed_count: 0, message: "Job cancelled: 1 tagged, 0 failed, 1 not processed." });
  } finally {
    await model.close();
  }
}, 30_000);
