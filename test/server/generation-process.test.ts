// Generation jobs survive kill -9: the real server (src/server/main.ts) as a child process, slowed
// with SIDECAR_PIPELINE_STEP_DELAY_MS, killed mid-generation and started again on the same data
// directory. An interrupted job resumes and ends Ready, or (once started
// SIDECAR_GENERATION_MAX_ATTEMPTS times) ends Failed with an error; it never stays Generating.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { getJson, makeTempDir, postJson, readFixture, signIn, upload, waitForDocument, type StatusBody } from "./helpers";
import { killHard, startServerProcess } from "./process-helpers";

const root = makeTempDir("sidecar-generation-process-");
const env = {
  SIDECAR_DATA_DIR: path.join(root, "data"),
  SIDECAR_STATIC_DIR: path.join(root, "dist"),
  PORT: "0",
  LOG_LEVEL: "warn",
  SIDECAR_GENERATION_MAX_ATTEMPTS: "2",
};
const slow = { ...env, SIDECAR_PIPELINE_STEP_DELAY_MS: "200" };
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  fs.rmSync(root, { recursive: true, force: true });
});

async function statusOf(url: string, token: string, id: string): Promise<StatusBody> {
  return (await getJson<StatusBody>(url, fillPath(endpoints.documentStatus.path, { document_id: id }), token)).body;
}

async function until(url: string, token: string, id: string, wanted: StatusBody["status"]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await statusOf(url, token, id)).status !== wanted) {
    if (Date.now() > deadline) throw new Error(`${id} never became ${wanted}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("killed mid-generation twice: the job started twice ends Failed, the one started once resumes to Ready", async () => {
  // 1. Start a job and kill the server while it is Generating.
  const first = await startServerProcess(slow);
  started.push(first.child);
  const token = (await signIn(first.url)).ejento_access_token;
  const source = (await (await upload(first.url, token, readFixture("openxml-sdk-nutrition-report.docx"), "n.docx")).json()) as {
    s3_key: string;
  };
  const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(
    first.url,
    endpoints.listDocumentSets.path,
    token,
  );
  const set = sets.body.document_sets[0] as { document_set_id: string; document_set_name: string };
  const generate = async (url: string, outputName: string) => {
    const response = await postJson(url, endpoints.generateDocument.path, token, {
      document_type: "CSR",
      file_paths: [source.s3_key],
      connector_data_id: set.document_set_id,
      workspace_name: set.document_set_name,
      template_id: "builtin-study-report-summary",
      output_name: outputName,
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { task_id: string }).task_id;
  };
  const x = await generate(first.url, "Started twice");
  await until(first.url, token, x, "Generating");
  await killHard(first);

  // 2. Restarted, still slow: X resumes (its second start) and a new job Y starts; kill again.
  const second = await startServerProcess(slow);
  started.push(second.child);
  await until(second.url, token, x, "Ingesting");
  const y = await generate(second.url, "Started once");
  await until(second.url, token, y, "Ingesting");
  await until(second.url, token, x, "Generating");
  await killHard(second);

  // 3. Restarted at full speed: X has used its two attempts → Failed; Y resumes → Ready.
  const restartedAt = Date.now();
  const third = await startServerProcess(env);
  started.push(third.child);
  const failed = await waitForDocument(third.url, token, x);
  expect(failed.final.status).toBe("Failed");
  expect(failed.final.error).toMatch(/interrupted 2 times by the server stopping/);
  expect(typeof failed.final.finished_at).toBe("string");
  const done = await waitForDocument(third.url, token, y);
  expect(done.final).toEqual({ task_id: y, status: "Ready", progress: 100, error: null, queued_at: expect.any(String), finished_at: expect.any(String) });
  // How long it took counts from the request, before the restart, not from its resumption.
  expect(Date.parse(done.final.queued_at!)).toBeLessThan(restartedAt);
  expect(Date.parse(done.final.finished_at!)).toBeGreaterThan(restartedAt);

  // The resumed job's file is whole and downloadable.
  const document = await getJson<{ document: { s3_key: string; sections: Array<{ text: string }> } }>(
    third.url,
    fillPath(endpoints.getDocument.path, { document_id: y }),
    token,
  );
  expect(document.body.document.sections).toHaveLength(6);
  const presigned = await postJson(third.url, endpoints.presignedUrl.path, token, { key: document.body.document.s3_key });
  const { url } = (await presigned.json()) as { url: string };
  const file = await fetch(url);
  expect(file.status).toBe(200);
  expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString()).toBe("PK");
  third.child.kill("SIGTERM");
  expect(await third.exited).toBe(0);
}, 40_000);
