// Batch tagging over real HTTP: starting a job (validation, per-document failures), the state
// machine (every allowed and refused pause / resume / cancel, from every status), at most two jobs
// running at once, /active, and jobs belonging to the person who started them.
// SIDECAR_BATCH_DOCUMENT_DELAY_MS slows jobs down so they are observably mid-way.
import { ConfigError, loadConfig } from "../../src/server/config";
import { addUser } from "../../src/server/services/users";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { BatchStatusResponse } from "../../src/shared/wire/batch";
import {
  TOPICS,
  control,
  documentsFor,
  isFinished,
  jobStatus,
  manyDocuments,
  useBatchServers,
  startBatch,
  startJob,
  topicDocx,
  uploadDocx,
  waitForJob,
  type BatchSetup,
} from "./batch-helpers";
import { bearer, getJson, namedFields, postJson, readFixture, signIn } from "./helpers";

const DELAY_MS = 150;

const setup = useBatchServers();

const finishedCount = (body: BatchStatusResponse) => body.processed_count + body.failed_count;

describe("starting a batch", () => {
  let s: BatchSetup;
  beforeAll(async () => {
    s = await setup();
  }, 30_000);

  test("a started job runs to completed and its status shows every result, in the spec's shape", async () => {
    const started = await startBatch(s.server.url, s.token, {
      documents: [
        { title: "Bees", file_path: s.files[0]?.s3_key, file_source_type: "s3", description: "about bees" },
        { title: "Volcanoes", file_path: s.files[1]?.s3_key, file_source_type: "s3" },
      ],
      config: { num_tags: 5, exclusion_words: ["Honey"] },
      column_mapping: { A: "title", B: "file_path" },
    });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ job_id: expect.any(String), total_documents: 2, message: "Started processing of 2 documents" });
    const jobId = started.body.job_id as string;

    const done = await waitForJob(s.server.url, s.token, jobId, isFinished);
    expect(done).toEqual({
      job_id: jobId,
      status: "completed",
      progress: 1,
      processed_count: 2,
      failed_count: 0,
      total: 2,
      total_documents: 2,
      results_count: 2,
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      updated_at: expect.any(String),
      finished_at: expect.any(String),
      error: null,
      config: { num_tags: 5, exclusion_words: ["honey"], model_name: null },
      results: [
        {
          row_id: 0,
          row_number: 1,
          title: "Bees",
          document_id: s.files[0]?.document_id,
          file_path: s.files[0]?.s3_key,
          status: "success",
          success: true,
          tags: expect.any(Array),
          error: null,
        },
        {
          row_id: 1,
          row_number: 2,
          title: "Volcanoes",
          document_id: s.files[1]?.document_id,
          file_path: s.files[1]?.s3_key,
          status: "success",
          success: true,
          tags: expect.any(Array),
          error: null,
        },
      ],
    });
    for (const result of done.results) expect(result.tags).toHaveLength(5);
    expect(done.results[0]?.tags.some((tag) => tag.includes("honey"))).toBe(false);
  });

  test("a document with an empty, unknown or another organization's file_path fails alone; the request is accepted", async () => {
    await addUser(s.server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
    const otherToken = (await signIn(s.server.url, "other@other.example", "other-password")).ejento_access_token;
    const theirs = await uploadDocx(s.server.url, otherToken, await topicDocx("theirs", TOPICS.chess), "theirs.docx");

    const jobId = await startJob(s.server.url, s.token, {
      documents: [
        { title: "Empty path", file_path: "", file_source_type: "s3" },
        { file_path: "no-such-org/documents/nothing.docx", file_source_type: "s3" },
        { title: "Theirs", file_path: theirs.s3_key, file_source_type: "s3" },
        { title: "Mine", file_path: s.files[2]?.s3_key, file_source_type: "s3" },
        { title: "No path at all" },
      ],
    });
    const done = await waitForJob(s.server.url, s.token, jobId, isFinished);
    expect(done.status).toBe("completed");
    expect(done.results.map((r) => [r.title, r.status, r.error])).toEqual([
      ["Empty path", "failed", "file_path is required"],
      ["Untitled Document", "failed", "Document not found"],
      ["Theirs", "failed", "Document not found"],
      ["Mine", "success", null],
      ["No path at all", "failed", "file_path is required"],
    ]);
    expect(done.results[2]?.document_id).toBeNull();
    expect(done.results[3]?.tags).toHaveLength(8); // the default num_tags
    expect({ processed: done.processed_count, failed: done.failed_count, progress: done.progress }).toEqual({ processed: 1, failed: 4, progress: 1 });
  });

  test("no documents → 400; too many → 400; malformed fields → 422 naming the field", async () => {
    const refused: Array<[unknown, string | RegExp]> = [
      [{}, "No documents provided"],
      [{ documents: [] }, "No documents provided"],
      [{ documents: null, config: {} }, "No documents provided"],
      [{ documents: Array.from({ length: 501 }, () => ({ title: "x", file_path: "y" })) }, /at most 500/],
    ];
    for (const [body, detail] of refused) {
      const response = await postJson(s.server.url, endpoints.startBatch.path, s.token, body);
      const answer = (await response.json()) as { detail: string };
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      if (typeof detail === "string") expect(answer.detail).toBe(detail);
      else expect(answer.detail).toMatch(detail);
    }
    const malformed: Array<[unknown, string, string | RegExp]> = [
      [{ documents: "a.docx" }, "documents", /^documents: must be a list of documents/],
      [{ documents: ["a.docx"] }, "documents.0", /^documents\.0: must be an object/],
      [{ documents: [{ file_path: 7 }] }, "documents.0.file_path", /^documents\.0\.file_path: must be a string/],
      [{ documents: [{ file_path: "k", file_source_type: "ftp" }] }, "documents.0.file_source_type", 'documents.0.file_source_type: must be "s3" (file_path is an s3_key) or "url" (file_path is an http(s) address)'],
      [{ documents: [{ file_path: "ftp://example.invalid/x.docx", file_source_type: "url" }] }, "documents.0.file_path", /^documents\.0\.file_path: must be an absolute http\(s\) address/],
      [{ documents: [{ file_path: "k" }], config: { num_tags: 2 } }, "config.num_tags", "config.num_tags: must be a whole number from 3 to 15"],
      [{ documents: [{ file_path: "k" }], config: { num_tags: 16 } }, "config.num_tags", "config.num_tags: must be a whole number from 3 to 15"],
      [{ documents: [{ file_path: "k" }], config: { num_tags: 4.5 } }, "config.num_tags", "config.num_tags: must be a whole number from 3 to 15"],
      [{ documents: [{ file_path: "k" }], config: { num_tags: "8" } }, "config.num_tags", "config.num_tags: must be a whole number from 3 to 15"],
      [{ documents: [{ file_path: "k" }], config: { num_pages: 0 } }, "config.num_pages", "config.num_pages: must be a whole number from 1 to 10"],
      [{ documents: [{ file_path: "k" }], config: { num_pages: 11 } }, "config.num_pages", "config.num_pages: must be a whole number from 1 to 10"],
      [{ documents: [{ file_path: "k" }], config: { exclusion_words: "a,b" } }, "config.exclusion_words", /^config\.exclusion_words: /],
      [{ documents: [{ file_path: "k" }], config: "fast" }, "config", /^config: /],
      [{ documents: [{ file_path: "k" }], column_mapping: [] }, "column_mapping", /^column_mapping: /],
      [{ documents: [{ file_path: "k" }], job_id: "../etc" }, "job_id", /^job_id: /],
    ];
    for (const [body, field, message] of malformed) {
      const response = await postJson(s.server.url, endpoints.startBatch.path, s.token, body);
      const answer = (await response.json()) as ErrorBody;
      expect({ body, status: response.status, fields: namedFields(answer) }).toEqual({ body, status: 422, fields: [field] });
      expect(answer.detail[0]).toMatchObject({ msg: typeof message === "string" ? message : expect.stringMatching(message) });
    }
    // Case and blanks in file_source_type don't matter; left out it is "s3".
    const mixed = await startBatch(s.server.url, s.token, {
      documents: [
        { title: "Upper", file_path: s.files[0]?.s3_key, file_source_type: " S3 " },
        { title: "Left out", file_path: s.files[1]?.s3_key },
      ],
    });
    expect(mixed.status).toBe(200);
    const mixedDone = await waitForJob(s.server.url, s.token, mixed.body.job_id as string, isFinished);
    expect(mixedDone.results.map((r) => r.status)).toEqual(["success", "success"]);
    // Not JSON at all, and no sign-in.
    const notJson = await fetch(s.server.url + endpoints.startBatch.path, {
      method: "POST",
      headers: { ...bearer(s.token), "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(400);
    expect((await postJson(s.server.url, endpoints.startBatch.path, null, { documents: [{ file_path: "k" }] })).status).toBe(401);
  });

  test("a client-supplied job_id is used; starting it again answers 409", async () => {
    const body = { documents: documentsFor([s.files[0] as { s3_key: string }]), job_id: "batch-1704454800-abc123" };
    const first = await startBatch(s.server.url, s.token, body);
    expect(first).toEqual({ status: 200, body: { job_id: "batch-1704454800-abc123", total_documents: 1, message: "Started processing of 1 documents" } });
    const again = await startBatch(s.server.url, s.token, body);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already exists/);
    await waitForJob(s.server.url, s.token, "batch-1704454800-abc123", isFinished);
  });
});

describe("the state machine (a document every 150 ms)", () => {
  let s: BatchSetup;
  beforeAll(async () => {
    s = await setup({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: String(DELAY_MS) });
  }, 30_000);

  afterEach(async () => {
    // Nothing of one test keeps running into the next.
    const active = await getJson<{ jobs: Array<{ job_id: string }> }>(s.server.url, endpoints.activeBatches.path, s.token);
    for (const job of active.body.jobs) await control(s.server.url, s.token, job.job_id, "cancel");
  });

  test("processing: pause → paused at once and nothing further starts; resume → processing, continues to completed", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 6) });
    // Processing once a runner took it: at once on SQLite, when a worker fetches it from the shared queue on PostgreSQL.
    await waitForJob(s.server.url, s.token, jobId, (body) => body.status === "processing");
    await waitForJob(s.server.url, s.token, jobId, (body) => finishedCount(body) >= 1);

    const paused = await control(s.server.url, s.token, jobId, "pause");
    expect(paused).toEqual({ status: 200, body: { message: `Pause command sent to job ${jobId}`, job_id: jobId, status: "paused" } });
    expect((await jobStatus(s.server.url, s.token, jobId)).body.status).toBe("paused");
    // The document being tagged (if any) finishes; after that nothing moves while paused.
    const settled = await waitForJob(s.server.url, s.token, jobId, (body) => body.results.every((r) => r.status !== "processing"));
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS * 3));
    const still = (await jobStatus(s.server.url, s.token, jobId)).body;
    expect(still.status).toBe("paused");
    expect(finishedCount(still)).toBe(finishedCount(settled));
    expect(finishedCount(still)).toBeLessThan(6);

    // Refused while paused: pausing again.
    const again = await control(s.server.url, s.token, jobId, "pause");
    expect(again).toEqual({ status: 409, body: { detail: "Job is already paused; resume it to continue." } });

    const resumed = await control(s.server.url, s.token, jobId, "resume");
    expect(resumed).toEqual({ status: 200, body: { message: `Resume command sent to job ${jobId}`, job_id: jobId, status: "processing" } });
    // Refused while processing: resuming.
    const resumeRunning = await control(s.server.url, s.token, jobId, "resume");
    expect(resumeRunning).toEqual({ status: 409, body: { detail: "Job is processing; only a paused job can be resumed." } });

    const done = await waitForJob(s.server.url, s.token, jobId, isFinished);
    expect(done.status).toBe("completed");
    expect(done.results.map((r) => r.status)).toEqual(Array(6).fill("success"));

    // Refused once completed: everything, and the job stays completed.
    expect(await control(s.server.url, s.token, jobId, "pause")).toEqual({ status: 409, body: { detail: "Job is already completed; it cannot be paused." } });
    expect(await control(s.server.url, s.token, jobId, "resume")).toEqual({
      status: 409,
      body: { detail: "Job is already completed; only a paused job can be resumed." },
    });
    expect(await control(s.server.url, s.token, jobId, "cancel")).toEqual({ status: 409, body: { detail: "Job is already completed; it cannot be cancelled." } });
    expect((await jobStatus(s.server.url, s.token, jobId)).body.status).toBe("completed");
  });

  test("processing: cancel → cancelled at once; results so far are kept, the rest never start", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 6) });
    await waitForJob(s.server.url, s.token, jobId, (body) => finishedCount(body) >= 1);
    const cancelled = await control(s.server.url, s.token, jobId, "cancel");
    expect(cancelled).toEqual({ status: 200, body: { message: `Cancel command sent to job ${jobId}`, job_id: jobId, status: "cancelled" } });
    const settled = await waitForJob(s.server.url, s.token, jobId, (body) => body.results.every((r) => r.status !== "processing"));
    await new Promise((resolve) => setTimeout(resolve, DELAY_MS * 3));
    const after = (await jobStatus(s.server.url, s.token, jobId)).body;
    expect(after.status).toBe("cancelled");
    expect(after.finished_at).not.toBeNull();
    expect(finishedCount(after)).toBe(finishedCount(settled));
    expect(after.results.filter((r) => r.status === "pending").length).toBeGreaterThan(0);
    expect(after.results.filter((r) => r.status === "success").length).toBeGreaterThanOrEqual(1);

    // Refused once cancelled: everything.
    expect(await control(s.server.url, s.token, jobId, "pause")).toEqual({ status: 409, body: { detail: "Job is already cancelled; it cannot be paused." } });
    expect(await control(s.server.url, s.token, jobId, "resume")).toEqual({
      status: 409,
      body: { detail: "Job is already cancelled; only a paused job can be resumed." },
    });
    expect(await control(s.server.url, s.token, jobId, "cancel")).toEqual({ status: 409, body: { detail: "Job is already cancelled; it cannot be cancelled." } });
  });

  test("paused: cancel → cancelled", async () => {
    const jobId = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 4) });
    expect((await control(s.server.url, s.token, jobId, "pause")).body.status).toBe("paused");
    const cancelled = await control(s.server.url, s.token, jobId, "cancel");
    expect(cancelled).toEqual({ status: 200, body: { message: `Cancel command sent to job ${jobId}`, job_id: jobId, status: "cancelled" } });
    expect((await jobStatus(s.server.url, s.token, jobId)).body.status).toBe("cancelled");
  });

  test("at most two jobs run at once: a third waits pending; pending can be paused, resumed and cancelled, not resumed while pending", async () => {
    const first = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 8) });
    const second = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 8) });
    const third = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 2) });
    const fourth = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 2) });
    const statusOf = async (id: string) => (await jobStatus(s.server.url, s.token, id)).body;
    await waitForJob(s.server.url, s.token, first, (body) => body.status === "processing");
    await waitForJob(s.server.url, s.token, second, (body) => body.status === "processing");
    expect((await statusOf(third)).status).toBe("pending");
    expect((await statusOf(fourth)).status).toBe("pending");

    // /active: the caller's pending, processing and paused jobs, newest first.
    const active = await getJson<{ jobs: Array<Record<string, unknown>> }>(s.server.url, endpoints.activeBatches.path, s.token);
    expect(active.body.jobs.map((job) => [job.job_id, job.status])).toEqual([
      [fourth, "pending"],
      [third, "pending"],
      [second, "processing"],
      [first, "processing"],
    ]);
    expect(active.body.jobs[3]).toEqual({
      job_id: first,
      status: "processing",
      progress: expect.any(Number),
      processed_count: expect.any(Number),
      failed_count: 0,
      total: 8,
      total_documents: 8,
      created_at: expect.any(String),
    });

    // Pending: resume is refused; pause → paused (listed, never started); cancel → cancelled.
    expect(await control(s.server.url, s.token, third, "resume")).toEqual({
      status: 409,
      body: { detail: "Job is pending; only a paused job can be resumed." },
    });
    expect((await control(s.server.url, s.token, third, "pause")).body.status).toBe("paused");
    expect((await control(s.server.url, s.token, fourth, "cancel")).body.status).toBe("cancelled");
    const listed = await getJson<{ jobs: Array<{ job_id: string; status: string }> }>(s.server.url, endpoints.activeBatches.path, s.token);
    expect(listed.body.jobs.map((job) => [job.job_id, job.status])).toEqual([
      [third, "paused"],
      [second, "processing"],
      [first, "processing"],
    ]);
    expect((await statusOf(third)).results.every((r) => r.status === "pending")).toBe(true);

    // Resumed, it is processing and goes ahead of new jobs once a slot frees up (the first job is paused).
    expect((await control(s.server.url, s.token, third, "resume")).body.status).toBe("processing");
    const fifth = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 1) });
    expect((await control(s.server.url, s.token, first, "pause")).body.status).toBe("paused");
    const thirdDone = await waitForJob(s.server.url, s.token, third, isFinished);
    expect(thirdDone.status).toBe("completed");
    expect((await statusOf(fifth)).status).not.toBe("completed");
  });
});

describe("jobs belong to the person who started them", () => {
  test("another user, in the same organization or not, gets 404 on every route and never sees the job in /active", async () => {
    // Each document takes 10 s, so the job is still processing when the owner looks at the end,
    // however slow the sign-ins before are on a busy machine; it is cancelled then.
    const s = await setup({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: "10000" });
    const storage = s.server.app.sidecar.storage;
    await addUser(storage, { organizationName: "demo", email: "colleague@sidecar.local", password: "colleague-password" });
    await addUser(storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
    const jobId = await startJob(s.server.url, s.token, { documents: manyDocuments(s.files, 3) });
    for (const [email, password] of [
      ["colleague@sidecar.local", "colleague-password"],
      ["other@other.example", "other-password"],
    ] as const) {
      const token = (await signIn(s.server.url, email, password)).ejento_access_token;
      expect(await jobStatus(s.server.url, token, jobId)).toEqual({ status: 404, body: { detail: "Job not found" } });
      for (const command of ["pause", "resume", "cancel"] as const) {
        expect(await control(s.server.url, token, jobId, command)).toEqual({ status: 404, body: { detail: "Job not found" } });
      }
      const active = await getJson<{ jobs: unknown[] }>(s.server.url, endpoints.activeBatches.path, token);
      expect(active).toEqual({ status: 200, body: { jobs: [] } });
    }
    // Unknown ids are the same 404, and the owner's job is untouched.
    expect(await jobStatus(s.server.url, s.token, "no-such-job")).toEqual({ status: 404, body: { detail: "Job not found" } });
    expect(await control(s.server.url, s.token, "no-such-job", "pause")).toEqual({ status: 404, body: { detail: "Job not found" } });
    expect((await jobStatus(s.server.url, s.token, jobId)).body.status).toBe("processing");
    // Without a sign-in: 401, as every API route.
    const anonymous = await fetch(s.server.url + fillPath(endpoints.batchStatus.path, { job_id: jobId }));
    expect(anonymous.status).toBe(401);
    await control(s.server.url, s.token, jobId, "cancel");
  }, 30_000);
});

test("a document whose text can't be tagged fails with words; the rest of the job goes on", async () => {
  const s = await setup();
  const empty = await uploadDocx(s.server.url, s.token, readFixture("mammoth-empty.docx"), "mammoth-empty.docx");
  const jobId = await startJob(s.server.url, s.token, { documents: documentsFor([empty, s.files[0] as { s3_key: string }], ["Empty", "Bees"]) });
  const done = await waitForJob(s.server.url, s.token, jobId, isFinished);
  expect(done.results.map((r) => [r.status, r.error])).toEqual([
    ["failed", "This document has no text to tag."],
    ["success", null],
  ]);
}, 30_000);

test("configuration: batch defaults, and invalid values named with what they should be", () => {
  expect(loadConfig({}, "/srv/sidecar")).toMatchObject({ batchDocumentDelayMs: 0, batchKeepaliveMs: 30_000, batchDocumentTimeoutMs: 120_000 });
  expect(
    loadConfig({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: "250", SIDECAR_BATCH_KEEPALIVE_MS: "5000", SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS: "30000" }),
  ).toMatchObject({ batchDocumentDelayMs: 250, batchKeepaliveMs: 5000, batchDocumentTimeoutMs: 30_000 });
  expect(() => loadConfig({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: "soon", SIDECAR_BATCH_KEEPALIVE_MS: "0", SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS: "-1" })).toThrow(
    new ConfigError([
      'SIDECAR_BATCH_DOCUMENT_DELAY_MS must be a whole number of milliseconds from 0 to 600000 (got "soon")',
      'SIDECAR_BATCH_KEEPALIVE_MS must be a whole number of milliseconds from 10 to 3600000 (got "0")',
      'SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 3600000 (got "-1")',
    ]),
  );
});
