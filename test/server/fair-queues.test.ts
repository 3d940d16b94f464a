// One organization can't starve the others: the generation queue takes organizations in turn,
// and each may have only so many generations waiting (429 with words beyond that).
import { addUser } from "../../src/server/services/users";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { documentsFor, jobStatus, startBatch, useBatchServers, waitForJob } from "./batch-helpers";
import { getJson, postJson, readFixture, signIn, startServer, upload, type StatusBody, type TestServer } from "./helpers";

const NUTRITION = "openxml-sdk-nutrition-report.docx";

interface Org {
  token: string;
  generate(name: string): Promise<Response>;
  status(id: string): Promise<StatusBody>;
}

async function organization(server: TestServer, email: string, password: string): Promise<Org> {
  const token = (await signIn(server.url, email, password)).ejento_access_token;
  const set = (await (await postJson(server.url, endpoints.createDocumentSet.path, token, { document_set_name: `${email} set` })).json()) as {
    document_set_id: string;
    document_set_name: string;
  };
  const source = (await (await upload(server.url, token, readFixture(NUTRITION), NUTRITION)).json()) as { s3_key: string };
  return {
    token,
    generate: (name) =>
      postJson(server.url, endpoints.generateDocument.path, token, {
        document_type: "CSR",
        file_paths: [source.s3_key],
        connector_data_id: set.document_set_id,
        workspace_name: set.document_set_name,
        template_id: "builtin-study-report-summary",
        output_name: name,
      }),
    status: async (id) => (await getJson<StatusBody>(server.url, fillPath(endpoints.documentStatus.path, { document_id: id }), token)).body,
  };
}

async function taskOf(response: Response): Promise<string> {
  expect(response.status).toBe(202);
  return ((await response.json()) as { task_id: string }).task_id;
}

test("organizations take turns: another organization's one job runs next, not after the whole flood", async () => {
  const server = await startServer({ SIDECAR_GENERATION_CONCURRENCY: "1", SIDECAR_PIPELINE_STEP_DELAY_MS: "40" });
  try {
    await addUser(server.app.sidecar.storage, { organizationName: "Flood Inc", email: "a@flood.example", password: "flood password" });
    await addUser(server.app.sidecar.storage, { organizationName: "Quiet Ltd", email: "b@quiet.example", password: "quiet password" });
    const flood = await organization(server, "a@flood.example", "flood password");
    const quiet = await organization(server, "b@quiet.example", "quiet password");
    const floodIds: string[] = [];
    for (let i = 0; i < 5; i++) floodIds.push(await taskOf(await flood.generate(`Flood ${i}`)));
    const quietId = await taskOf(await quiet.generate("Quiet one"));

    const deadline = Date.now() + 30_000;
    while ((await quiet.status(quietId)).status !== "Ready" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await quiet.status(quietId)).status).toBe("Ready");
    const floodReady = (await Promise.all(floodIds.map((id) => flood.status(id)))).filter((s) => s.status === "Ready").length;
    // First come: the flood's first job (already running), then the quiet organization's.
    expect(floodReady).toBeLessThanOrEqual(2);
  } finally {
    await server.close();
  }
}, 60_000);

test("an organization with the most generations waiting gets 429 with words; the same name again is still its existing job", async () => {
  const server = await startServer({ SIDECAR_GENERATION_CONCURRENCY: "1", SIDECAR_PIPELINE_STEP_DELAY_MS: "2000", SIDECAR_MAX_QUEUED_GENERATIONS: "2" });
  try {
    const org = await organization(server, "demo@sidecar.local", "sidecar-demo");
    const running = await taskOf(await org.generate("Running"));
    // It starts at once (taken from the queue just after the request is answered, on PostgreSQL).
    const deadline = Date.now() + 5000;
    while ((await org.status(running)).status === "Pending" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await org.status(running)).status).not.toBe("Pending");
    const waiting = await taskOf(await org.generate("Waiting 1"));
    await taskOf(await org.generate("Waiting 2"));
    const refused = await org.generate("One too many");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/already has 2 documents waiting to be generated/);
    // Asking again for a job it already has is not a new one.
    expect(await taskOf(await org.generate("Waiting 1"))).toBe(waiting);
  } finally {
    await server.close();
  }
}, 30_000);

describe("batch jobs", () => {
  const setup = useBatchServers({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: "5000", SIDECAR_MAX_QUEUED_BATCHES: "1" });

  test("an organization with the most tagging jobs waiting gets 429 with words", async () => {
    const s = await setup();
    const started: number[] = [];
    const refused: Array<{ status: number; detail?: unknown }> = [];
    // The runner takes some at once; past those, one may wait; the next is refused.
    for (let i = 0; i < 6 && refused.length === 0; i++) {
      const answer = await startBatch(s.server.url, s.token, { documents: documentsFor(s.files.slice(0, 1)) });
      if (answer.status === 200) started.push(i);
      else refused.push({ status: answer.status, detail: (answer.body as { detail?: unknown }).detail });
    }
    expect(refused).toEqual([{ status: 429, detail: expect.stringMatching(/already has 1 tagging jobs waiting to start/) }]);
    expect(started.length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

test("two free batch slots go to two organizations, not both to the one that asked first", async () => {
  const server = await startServer(
    { SIDECAR_BATCH_DOCUMENT_DELAY_MS: "5000" },
    {
      // Jobs waiting before the runner starts (as after a restart): the first organization's two,
      // then the second's one. Two slots are free at once.
      beforeListen: async (app) => {
        const storage = app.sidecar.storage;
        const first = await addUser(storage, { organizationName: "First Inc", email: "a@first.example", password: "first password" });
        const second = await addUser(storage, { organizationName: "Second Ltd", email: "b@second.example", password: "second password" });
        for (const [name, user] of [["first-1", first], ["first-2", first], ["second-1", second]] as const) {
          await storage.batch.createJob({
            jobId: name,
            organizationId: user.organization.id,
            userId: user.userId,
            numTags: 5,
            numPages: 1,
            exclusionWords: [],
            modelName: null,
            columnMapping: null,
            documents: [{ title: name, filePath: "nowhere.docx", fileSourceType: "s3", description: null }],
          });
        }
      },
    },
  );
  try {
    const first = (await signIn(server.url, "a@first.example", "first password")).ejento_access_token;
    const second = (await signIn(server.url, "b@second.example", "second password")).ejento_access_token;
    // At once on SQLite; on PostgreSQL once the workers fetched the two tickets the start sent.
    await waitForJob(server.url, first, "first-1", (body) => body.status === "processing");
    await waitForJob(server.url, second, "second-1", (body) => body.status === "processing");
    expect((await jobStatus(server.url, first, "first-2")).body.status).toBe("pending");
  } finally {
    await server.close();
  }
}, 30_000);
