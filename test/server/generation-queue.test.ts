// The generation queue in one process: the concurrency bound, a graceful stop in the middle of a
// job and the next start, and a job that fails with an error a person can act on.
import fs from "node:fs";
import path from "node:path";
import { loadConfig, type ConfigError } from "../../src/server/config";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import type { DocumentSet, DocumentSetListResponse } from "../../src/shared/wire/document-sets";
import {
  getJson,
  loseStoredFile,
  makeTempDir,
  openTestStorage,
  postJson,
  readFixture,
  signIn,
  startServer,
  upload,
  waitForDocument,
  type StatusBody,
  type TestServer,
} from "./helpers";

const NUTRITION = "openxml-sdk-nutrition-report.docx";
/** The statuses of a job that has started and not finished. */
const RUNNING = ["Ingesting", "Generating"];

interface Ready {
  server: TestServer;
  token: string;
  /** Queues a generation from a fresh upload of the nutrition report; returns the task id. */
  generate(outputName: string, file?: { s3_key: string }): Promise<string>;
  status(id: string): Promise<StatusBody>;
  upload(): Promise<{ document_id: string; s3_key: string }>;
}

async function ready(env: Record<string, string>): Promise<Ready> {
  const server = await startServer(env);
  const token = (await signIn(server.url)).ejento_access_token;
  const sets = await getJson<DocumentSetListResponse>(server.url, endpoints.listDocumentSets.path, token);
  const set = sets.body.document_sets[0] as DocumentSet;
  const uploadOne = async () =>
    (await (await upload(server.url, token, readFixture(NUTRITION), `${Math.random()}.docx`)).json()) as { document_id: string; s3_key: string };
  const source = await uploadOne();
  return {
    server,
    token,
    upload: uploadOne,
    async generate(outputName, file = source) {
      const response = await postJson(server.url, endpoints.generateDocument.path, token, {
        document_type: "CSR",
        file_paths: [file.s3_key],
        connector_data_id: set.document_set_id,
        workspace_name: set.document_set_name,
        template_id: "builtin-study-report-summary",
        output_name: outputName,
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { task_id: string }).task_id;
    },
    async status(id) {
      return (await getJson<StatusBody>(server.url, fillPath(endpoints.documentStatus.path, { document_id: id }), token)).body;
    },
  };
}

describe("the concurrency bound", () => {
  test("with concurrency 1 and a step delay, a second job waits Pending while the first runs", async () => {
    const r = await ready({ SIDECAR_GENERATION_CONCURRENCY: "1", SIDECAR_PIPELINE_STEP_DELAY_MS: "100" });
    try {
      const first = await r.generate("First");
      // Taken at once (on PostgreSQL from the shared queue, just after the request was answered).
      const deadline = Date.now() + 5000;
      while ((await r.status(first)).status === "Pending" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      const second = await r.generate("Second");
      // The waiting job first (see the loop below for why the order matters).
      expect(await r.status(second)).toEqual({ task_id: second, status: "Pending", progress: 0, error: null, queued_at: expect.any(String), finished_at: null });
      expect(RUNNING).toContain((await r.status(first)).status);

      // A Pending document has no file yet: no presigned URL for it.
      const document = await getJson<{ document: { s3_key: string; sections: unknown[] } }>(
        r.server.url,
        fillPath(endpoints.getDocument.path, { document_id: second }),
        r.token,
      );
      expect(document.body.document.sections).toEqual([]);
      const presign = await postJson(r.server.url, endpoints.presignedUrl.path, r.token, { key: document.body.document.s3_key });
      expect(presign.status).toBe(409);
      expect(((await presign.json()) as { detail: string }).detail).toMatch(/not ready yet \(status Pending\)/);

      // While the first is not finished, the second never starts. The second is read before the
      // first: if the first is still unfinished after that read, it was unfinished during it too,
      // so the second had to be Pending then (read the other way round, the first can finish and
      // the second start between the two requests).
      for (;;) {
        const b = await r.status(second);
        const a = await r.status(first);
        if (a.status === "Ready") break;
        expect(a.status).not.toBe("Failed");
        expect(b.status).toBe("Pending");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await waitForDocument(r.server.url, r.token, second)).final.status).toBe("Ready");
    } finally {
      await r.server.close();
    }
  }, 30_000);

  test("with concurrency 2, two jobs run at the same time", async () => {
    // Each job takes at least five step delays (1.25 s), far longer than the reads below.
    const r = await ready({ SIDECAR_GENERATION_CONCURRENCY: "2", SIDECAR_PIPELINE_STEP_DELAY_MS: "250" });
    try {
      const ids = [await r.generate("A"), await r.generate("B"), await r.generate("C")];
      // Jobs are taken from the database after the request is answered: A and B start at once
      // (within a moment), C waits for a free slot.
      const deadline = Date.now() + 1000;
      let statuses: string[] = [];
      do {
        statuses = await Promise.all(ids.map(async (id) => (await r.status(id)).status));
      } while (!statuses.slice(0, 2).every((status) => RUNNING.includes(status)) && Date.now() < deadline);
      expect(RUNNING).toContain(statuses[0]);
      expect(RUNNING).toContain(statuses[1]);
      expect(statuses[2]).toBe("Pending");
      for (const id of ids) expect((await waitForDocument(r.server.url, r.token, id)).final.status).toBe("Ready");
    } finally {
      await r.server.close();
    }
  }, 30_000);
});

describe("stopping and failing", () => {
  test("a graceful stop mid-job puts it back to Pending without counting the attempt; the next start finishes it", async () => {
    const dataDir = path.join(makeTempDir("sidecar-queue-"), "data");
    try {
      const first = await ready({ SIDECAR_DATA_DIR: dataDir, SIDECAR_PIPELINE_STEP_DELAY_MS: "200" });
      const id = await first.generate("Interrupted");
      for (;;) {
        if ((await first.status(id)).status === "Generating") break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const stopping = Date.now();
      await first.server.close();
      expect(Date.now() - stopping).toBeLessThan(2000);

      const storage = await openTestStorage(dataDir);
      try {
        expect(await storage.generation.getJob(id)).toMatchObject({ status: "Pending", attempts: 0, progress: 0, stage: null });
      } finally {
        await storage.close();
      }

      const second = await startServer({ SIDECAR_DATA_DIR: dataDir });
      try {
        // The sign-in from before the stop is still good.
        const { final } = await waitForDocument(second.url, first.token, id);
        expect(final).toEqual({ task_id: id, status: "Ready", progress: 100, error: null, queued_at: expect.any(String), finished_at: expect.any(String) });
        expect((await second.app.sidecar.storage.generation.getJob(id))?.attempts).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  }, 30_000);

  test("a source whose stored file has gone → Failed, with an error saying what to do", async () => {
    const r = await ready({});
    try {
      const file = await r.upload();
      await loseStoredFile(r.server.dataDir, { stored_file_name: `${file.document_id}.docx` });
      const id = await r.generate("Missing source", file);
      const { final, seen } = await waitForDocument(r.server.url, r.token, id);
      expect(final.status).toBe("Failed");
      expect(final.error).toMatch(/is no longer stored on the server\. Upload it again/);
      for (const earlier of seen.slice(0, -1)) expect(earlier.error).toBeNull();
      const document = await getJson<{ document: { status: string; sections: unknown[] } }>(
        r.server.url,
        fillPath(endpoints.getDocument.path, { document_id: id }),
        r.token,
      );
      expect(document.body.document).toMatchObject({ status: "Failed", sections: [] });
    } finally {
      await r.server.close();
    }
  }, 30_000);
});

describe("configuration", () => {
  test("defaults, and invalid values named", () => {
    expect(loadConfig({}, "/srv/sidecar")).toMatchObject({
      generationConcurrency: 2,
      generationMaxAttempts: 3,
      pipelineStepDelayMs: 0,
      presignTtlSeconds: 3600,
      publicUrl: null,
    });
    expect(loadConfig({ SIDECAR_PUBLIC_URL: "https://sidecar.example.com/" }).publicUrl).toBe("https://sidecar.example.com");
    let problems = "";
    try {
      loadConfig({
        SIDECAR_GENERATION_CONCURRENCY: "0",
        SIDECAR_PIPELINE_STEP_DELAY_MS: "soon",
        SIDECAR_PRESIGN_TTL_SECONDS: "-1",
        SIDECAR_PUBLIC_URL: "sidecar.example.com",
      });
    } catch (error) {
      problems = (error as ConfigError).problems.join("\n");
    }
    expect(problems).toMatch(/^SIDECAR_GENERATION_CONCURRENCY must be a whole number from 1 to 64/m);
    expect(problems).toMatch(/^SIDECAR_PIPELINE_STEP_DELAY_MS must be a whole number of milliseconds/m);
    expect(problems).toMatch(/^SIDECAR_PRESIGN_TTL_SECONDS must be a whole number of seconds/m);
    expect(problems).toMatch(/^SIDECAR_PUBLIC_URL must be the server's public address/m);
  });
});
