// The Batch tab against a fake batch server (msw: HTTP handlers and a WebSocket link) that follows
// the tag generator's API (docs/vendors.md): start, status with results, pause/resume/cancel with 409/404, active
// jobs, and the job socket with catchup, progress, keepalive, final messages and auth refusals.
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { delay, http, HttpResponse, ws, type WebSocketHandlerConnection } from "msw";
import { setupServer } from "msw/node";
import type { BatchResult } from "../../src/shared/wire/batch";
import { ConnectionSettingsStore } from "../../src/taskpane/api/connection-settings";
import { HttpClient } from "../../src/taskpane/api/http-client";
import { createQueryClient } from "../../src/taskpane/api/query-client";
import { SessionStore } from "../../src/taskpane/api/session-store";
import { Providers } from "../../src/taskpane/app/providers";
import BatchTabDefault, { BatchTab } from "../../src/taskpane/features/batch/batch-tab";
import { MyDocuments } from "../../src/taskpane/features/documents/my-documents";
import { setLocale } from "../../src/taskpane/i18n";
import { LiveAnnouncer } from "../../src/taskpane/ui/announcer";
import { FakeHost } from "../support/fake-host";

const origin = "http://sidecar.test";
const api = setupServer();
// Whole flows with many clicks: CI machines have 2 busy cores.
jest.setTimeout(15_000);

// ---------------------------------------------------------------- the fake batch server

interface FakeJob {
  job_id: string;
  status: string;
  created_at: string;
  results: BatchResult[];
  error: string | null;
}
interface Socket {
  client: WebSocketHandlerConnection["client"];
  jobId: string;
  token: string | null;
  /** Date.now() when it connected (fake time in fake-timer tests). */
  at: number;
  /** The close code, once closed (the pane closes with 1000; the fake server here never does while a job runs). */
  closeCode: number | undefined;
}

let documents: Array<{ document_id: string; document_name: string; s3_key?: string; tags?: string[]; status?: string }>;
let jobs: Map<string, FakeJob>;
let startBodies: unknown[];
let startAnswer: (() => Response | Promise<Response>) | undefined;
let statusRequests: Array<{ jobId: string; at: number }>;
/** How many next status requests fail as if the server were unreachable. */
let failStatus: number;
let controlRequests: string[];
let controlDelayMs: number;
let refreshAnswer: () => Response;
let refreshCalls: number;
let validTokens: Set<string>;
let sockets: Socket[];
let onConnect: (socket: Socket) => void;
let documentsAnswer: (() => Response) | undefined;

const docs = () => [
  { document_id: "doc-annual", document_name: "Annual report.docx", s3_key: "o/documents/doc-annual.docx" },
  { document_id: "doc-budget", document_name: "Budget 2026.docx", s3_key: "o/documents/doc-budget.docx" },
  { document_id: "doc-board", document_name: "Board minutes.docx", s3_key: "o/documents/doc-board.docx" },
  { document_id: "doc-contract", document_name: "Contract draft.docx", s3_key: "o/documents/doc-contract.docx", tags: ["old tag"] },
];

function addJob(jobId: string, titles: string[], status = "processing", created_at = "2026-11-24T10:00:00Z"): FakeJob {
  const job: FakeJob = {
    job_id: jobId,
    status,
    created_at,
    error: null,
    results: titles.map((title, i) => {
      const doc = documents.find((d) => d.document_name === title);
      return {
        row_id: i,
        row_number: i + 1,
        title,
        document_id: doc?.document_id ?? null,
        file_path: doc?.s3_key ?? "",
        status: "pending",
        success: false,
        tags: [],
        error: null,
      };
    }),
  };
  jobs.set(jobId, job);
  return job;
}

const counts = (job: FakeJob) => {
  const processed_count = job.results.filter((r) => r.status === "success").length;
  const failed_count = job.results.filter((r) => r.status === "failed").length;
  const total = job.results.length;
  return { processed_count, failed_count, total, progress: total ? (processed_count + failed_count) / total : 0 };
};

const statusBody = (job: FakeJob) => ({
  job_id: job.job_id,
  status: job.status,
  ...counts(job),
  total_documents: job.results.length,
  results_count: job.results.filter((r) => r.status === "success" || r.status === "failed").length,
  created_at: job.created_at,
  updated_at: job.created_at,
  finished_at: null,
  error: job.error,
  config: { num_tags: 8, exclusion_words: [], model_name: null },
  results: job.results,
});

const catchup = (job: FakeJob) => {
  const { total, processed_count, failed_count, progress } = counts(job);
  return { type: "catchup", job_id: job.job_id, state: { status: job.status, total, processed_count, failed_count, progress }, results: job.results };
};

/** Moves one document on the server and returns the socket message saying so. */
function progress(job: FakeJob, rowId: number, change: { status: "processing" } | { status: "success"; tags: string[] } | { status: "failed"; error: string }) {
  const row = job.results[rowId]!;
  Object.assign(row, change, { success: change.status === "success" });
  if (change.status === "success") {
    const doc = documents.find((d) => d.document_id === row.document_id);
    if (doc) doc.tags = change.tags;
  }
  const { processed_count, failed_count, progress: p } = counts(job);
  return { type: "progress", job_id: job.job_id, row_id: rowId, row_number: rowId + 1, title: row.title, document_id: row.document_id, progress: p, processed_count, failed_count, ...change };
}

function finalMessage(job: FakeJob, message?: string) {
  const { processed_count, failed_count, total } = counts(job);
  if (job.status === "completed")
    return { type: "completed", job_id: job.job_id, total_documents: total, processed_count, failed_count, processing_time: 3.4, message: message ?? `Processed ${total} documents` };
  if (job.status === "cancelled") return { type: "cancelled", job_id: job.job_id, processed_count, failed_count, message: message ?? "Job cancelled" };
  return { type: "error", job_id: job.job_id, error: job.error ?? "crashed" };
}

const send = (socket: Socket, message: unknown) => socket.client.send(JSON.stringify(message));

/** Lets queued microtasks run (msw delivers socket frames and closes in microtasks). */
async function settle() {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** The server pushes a message; React shows it before the test goes on. */
async function push(socket: Socket, message: unknown) {
  await act(async () => {
    send(socket, message);
    await settle();
  });
}

/**
 * The server closes after its last message. (msw delivers frames sent before the socket is open
 * once it opens, but a close while still connecting would come first: close a moment later.)
 */
function closeSoon(socket: Socket, code: number) {
  setTimeout(() => socket.client.close(code), 5);
}

/** What the real server does on connect (docs/vendors.md (tag generator, Part B) "WebSocket"). */
function serveLikeTheServer(socket: Socket) {
  const job = jobs.get(socket.jobId);
  if (!socket.token || !validTokens.has(socket.token)) {
    send(socket, { type: "error", job_id: socket.jobId, error: "Authentication required" });
    closeSoon(socket, 1008);
    return;
  }
  if (!job) {
    send(socket, { type: "error", job_id: socket.jobId, error: "Job not found" });
    closeSoon(socket, 1008);
    return;
  }
  send(socket, catchup(job));
  if (["completed", "cancelled", "failed"].includes(job.status)) {
    send(socket, finalMessage(job, `Job already ${job.status}`));
    closeSoon(socket, 1000);
  }
}

const allowed: Record<string, { from: string[]; to: string; verb: string }> = {
  pause: { from: ["pending", "processing"], to: "paused", verb: "paused" },
  resume: { from: ["paused"], to: "processing", verb: "resumed" },
  cancel: { from: ["pending", "processing", "paused"], to: "cancelled", verb: "cancelled" },
};

function handlers() {
  const socketLink = ws.link("ws://sidecar.test/api/batch/ws/:jobId");
  return [
    http.get(`${origin}/api/v1/documents/`, () =>
      documentsAnswer
        ? documentsAnswer()
        : HttpResponse.json({ documents: documents.map((d) => ({ created_at: "", updated_at: "", workspace_id: null, template: null, ...d })) }),
    ),
    http.post(`${origin}/api/batch/start`, async ({ request }) => {
      const body = (await request.json()) as { documents: Array<{ title: string }> };
      startBodies.push(body);
      if (startAnswer) return startAnswer();
      const job = addJob(`job-${startBodies.length}`, body.documents.map((d) => d.title), "pending");
      return HttpResponse.json({ job_id: job.job_id, total_documents: job.results.length, message: `Started processing of ${job.results.length} documents` });
    }),
    http.get(`${origin}/api/batch/jobs/:jobId/status`, ({ params }) => {
      statusRequests.push({ jobId: String(params.jobId), at: Date.now() });
      if (failStatus > 0) {
        failStatus -= 1;
        return HttpResponse.error();
      }
      const job = jobs.get(String(params.jobId));
      return job ? HttpResponse.json(statusBody(job)) : HttpResponse.json({ detail: "Job not found" }, { status: 404 });
    }),
    http.post(`${origin}/api/batch/jobs/:jobId/:action`, async ({ params }) => {
      const action = String(params.action);
      controlRequests.push(`${action} ${String(params.jobId)}`);
      if (controlDelayMs) await delay(controlDelayMs);
      const job = jobs.get(String(params.jobId));
      if (!job) return HttpResponse.json({ detail: "Job not found" }, { status: 404 });
      const rule = allowed[action]!;
      if (!rule.from.includes(job.status)) {
        const words = action === "resume" ? `Job is ${job.status}; only a paused job can be resumed.` : `Job is already ${job.status}; it cannot be ${rule.verb}.`;
        return HttpResponse.json({ detail: words }, { status: 409 });
      }
      job.status = rule.to;
      return HttpResponse.json({ message: `${action[0]!.toUpperCase()}${action.slice(1)} command sent to job ${job.job_id}`, job_id: job.job_id, status: job.status });
    }),
    http.get(`${origin}/api/batch/active`, () =>
      HttpResponse.json({
        jobs: [...jobs.values()]
          .filter((j) => ["pending", "processing", "paused"].includes(j.status))
          .sort((a, b) => b.created_at.localeCompare(a.created_at))
          .map((j) => ({ job_id: j.job_id, status: j.status, ...counts(j), total_documents: j.results.length, created_at: j.created_at })),
      }),
    ),
    http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () => {
      refreshCalls += 1;
      return refreshAnswer();
    }),
    socketLink.addEventListener("connection", ({ client, params }) => {
      const socket: Socket = { client, jobId: String(params.jobId), token: client.url.searchParams.get("token"), at: Date.now(), closeCode: undefined };
      client.addEventListener("close", (event) => {
        socket.closeCode = event.code;
      });
      sockets.push(socket);
      onConnect(socket);
    }),
  ];
}

beforeAll(() => api.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  documents = docs();
  jobs = new Map();
  startBodies = [];
  startAnswer = undefined;
  statusRequests = [];
  failStatus = 0;
  controlRequests = [];
  controlDelayMs = 0;
  refreshCalls = 0;
  refreshAnswer = () => HttpResponse.json({ access_token: "r2", ejento_access_token: "e2", token_type: "bearer", expires_in: 3600 });
  validTokens = new Set(["e", "e2"]);
  sockets = [];
  onConnect = serveLikeTheServer;
  documentsAnswer = undefined;
  api.use(...handlers());
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
  jest.useRealTimers();
});
afterAll(() => api.close());

// ---------------------------------------------------------------- the pane

function signIn(token = "e") {
  localStorage.setItem("sidecar.session", JSON.stringify({ accessToken: "r", ejentoToken: token, expiresAt: Date.now() + 3_600_000, email: "demo@sidecar.local" }));
}

function remember(jobId: string) {
  localStorage.setItem("sidecar.batch.job", JSON.stringify({ jobId, titles: [], since: Date.now() }));
}

/** The tab as the shell will show it (lazy-loaded default export), optionally beside "My documents". */
function renderBatch({ withMyDocuments = false, withAnnouncer = false } = {}) {
  if (!localStorage.getItem("sidecar.session")) signIn();
  const session = new SessionStore();
  const client = new HttpClient({ settings: new ConnectionSettingsStore(), session, origin });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const view = render(
    <Providers host={new FakeHost()} client={client} queryClient={queryClient}>
      <BatchTabDefault />
      {withMyDocuments && <MyDocuments />}
      {withAnnouncer && <LiveAnnouncer />}
    </Providers>,
  );
  return { ...view, client, session, queryClient, close: () => view.unmount() };
}

const jobSection = () => screen.getByRole("region", { name: /tagging job/i });
const documentRow = (name: string) => within(screen.getByRole("list", { name: "Documents in this job" })).getByRole("listitem", { name });
const tagsOf = (name: string) =>
  within(screen.getByRole("list", { name: `Tags of ${name}` }))
    .getAllByRole("listitem")
    .map((li) => li.textContent);
const startButton = () => screen.getByRole("button", { name: /start tagging/i });

async function startJob(user: ReturnType<typeof userEvent.setup>, names: string[]) {
  for (const name of names) await user.click(await screen.findByRole("checkbox", { name }));
  await user.click(startButton());
  await screen.findByRole("region", { name: /tagging job/i });
}

// ---------------------------------------------------------------- tests

test("the shell can lazy-load the tab: a named BatchTab without props and the same default export", () => {
  expect(BatchTabDefault).toBe(BatchTab);
  expect(BatchTab.length).toBe(0);
});

test("pick documents with the filter and Select all, set the options, and Start sends the documents and config", async () => {
  const user = userEvent.setup({ delay: null });
  renderBatch();
  await screen.findByRole("checkbox", { name: "Annual report.docx" });
  // Nothing chosen: Start says why it can't start.
  expect(startButton()).toBeDisabled();
  expect(screen.getByText("Choose at least one document to tag.")).toBeInTheDocument();
  expect(screen.getByText("0 of 4 selected")).toBeInTheDocument();
  // Existing tags are shown beside the name.
  expect(screen.getByText("Tags now: old tag")).toBeInTheDocument();

  await user.type(screen.getByRole("searchbox", { name: "Filter documents by name" }), "b");
  expect(screen.queryByRole("checkbox", { name: "Annual report.docx" })).not.toBeInTheDocument();
  const selectAll = screen.getByRole("checkbox", { name: "Select all 2 shown" });
  await user.click(selectAll);
  // Enter in the filter does not start anything.
  await user.type(screen.getByRole("searchbox", { name: "Filter documents by name" }), "{Enter}");
  expect(startBodies).toHaveLength(0);
  expect(screen.getByRole("checkbox", { name: "Budget 2026.docx" })).toBeChecked();
  expect(screen.getByRole("checkbox", { name: "Board minutes.docx" })).toBeChecked();
  expect(selectAll).toBeChecked();
  await user.click(screen.getByRole("checkbox", { name: "Board minutes.docx" }));
  expect(selectAll).toBePartiallyChecked();
  await user.click(selectAll); // mixed → all shown
  expect(screen.getByText("2 of 4 selected")).toBeInTheDocument();
  await user.click(selectAll); // all → none of the shown
  expect(screen.getByText("0 of 4 selected")).toBeInTheDocument();
  await user.click(selectAll);

  await user.clear(screen.getByRole("searchbox", { name: "Filter documents by name" }));
  await user.type(screen.getByRole("searchbox", { name: "Filter documents by name" }), "zzz");
  expect(screen.getByText("No document names contain “zzz”.")).toBeInTheDocument();
  expect(screen.getByText("2 of 4 selected (2 hidden by the filter)")).toBeInTheDocument();
  await user.clear(screen.getByRole("searchbox", { name: "Filter documents by name" }));
  await user.click(screen.getByRole("checkbox", { name: "Contract draft.docx" }));
  expect(screen.getByText("3 of 4 selected")).toBeInTheDocument();

  // Number of tags: 8 by default, 3–15 with words when out of range.
  const numTags = screen.getByRole("spinbutton", { name: /number of tags/i });
  expect(numTags).toHaveValue(8);
  await user.clear(numTags);
  await user.type(numTags, "20");
  expect(screen.getByText("Enter a whole number from 3 to 15.")).toBeInTheDocument();
  expect(startButton()).toBeDisabled();
  expect(screen.getByText("Fix the number of tags first.")).toBeInTheDocument();
  await user.clear(numTags);
  await user.type(numTags, "5");
  expect(screen.queryByText("Enter a whole number from 3 to 15.")).not.toBeInTheDocument();
  await user.type(screen.getByRole("textbox", { name: /words to leave out/i }), "draft, Confidential{Enter}internal, draft,{Enter}");

  expect(startButton()).toHaveAccessibleName("Start tagging 3 documents");
  await user.click(startButton());
  await screen.findByRole("region", { name: /tagging job/i });
  expect(startBodies).toEqual([
    {
      documents: [
        { title: "Budget 2026.docx", file_path: "o/documents/doc-budget.docx", file_source_type: "s3" },
        { title: "Board minutes.docx", file_path: "o/documents/doc-board.docx", file_source_type: "s3" },
        { title: "Contract draft.docx", file_path: "o/documents/doc-contract.docx", file_source_type: "s3" },
      ],
      config: { num_tags: 5, exclusion_words: ["draft", "Confidential", "internal"] },
    },
  ]);
  // The new job's socket carries the token; the documents show as waiting.
  await waitFor(() => expect(sockets).toHaveLength(1));
  expect(sockets[0]!).toMatchObject({ jobId: "job-1", token: "e" });
  expect(within(documentRow("Budget 2026.docx")).getByText("waiting")).toBeInTheDocument();
  expect(statusRequests).toHaveLength(0); // a job started here goes straight to the socket
});

test("the options and the selection survive closing and reopening the pane", async () => {
  const user = userEvent.setup({ delay: null });
  const first = renderBatch();
  await user.click(await screen.findByRole("checkbox", { name: "Board minutes.docx" }));
  const numTags = screen.getByRole("spinbutton", { name: /number of tags/i });
  await user.clear(numTags);
  await user.type(numTags, "12");
  await user.type(screen.getByRole("textbox", { name: /words to leave out/i }), "minutes");
  first.close();

  renderBatch();
  expect(await screen.findByRole("checkbox", { name: "Board minutes.docx" })).toBeChecked();
  expect(screen.getByRole("spinbutton", { name: /number of tags/i })).toHaveValue(12);
  expect(screen.getByRole("textbox", { name: /words to leave out/i })).toHaveValue("minutes");
  expect(screen.getByText("1 of 4 selected")).toBeInTheDocument();
});

test("a refused start shows the server's words and keeps everything the person chose", async () => {
  const user = userEvent.setup({ delay: null });
  startAnswer = () => HttpResponse.json({ detail: "config.num_tags: must be between 3 and 15" }, { status: 422 });
  renderBatch();
  await user.click(await screen.findByRole("checkbox", { name: "Annual report.docx" }));
  await user.click(screen.getByRole("checkbox", { name: "Budget 2026.docx" }));
  await user.type(screen.getByRole("textbox", { name: /words to leave out/i }), "secret");
  await user.click(startButton());

  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Tagging was not started");
  expect(alert).toHaveTextContent("config.num_tags: must be between 3 and 15");
  expect(screen.getByRole("checkbox", { name: "Annual report.docx" })).toBeChecked();
  expect(screen.getByRole("checkbox", { name: "Budget 2026.docx" })).toBeChecked();
  expect(screen.getByRole("textbox", { name: /words to leave out/i })).toHaveValue("secret");
  expect(screen.queryByRole("region", { name: /tagging job/i })).not.toBeInTheDocument();

  // A server that can't be reached: words too, and a second try works.
  startAnswer = () => HttpResponse.error();
  await user.click(startButton());
  await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent(/can't reach the server/i));
  startAnswer = undefined;
  await user.click(startButton());
  await screen.findByRole("region", { name: /tagging job/i });
  expect(startBodies).toHaveLength(3);
});

test("the document list: loading error with a retry, and words when there is nothing to tag", async () => {
  const user = userEvent.setup({ delay: null });
  documentsAnswer = () => HttpResponse.json({ detail: "Database is locked" }, { status: 500 });
  renderBatch();
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Couldn't load your documents");
  expect(alert).toHaveTextContent("Database is locked");
  documentsAnswer = () => HttpResponse.json({ documents: [] });
  await user.click(within(alert).getByRole("button", { name: "Try again" }));
  expect(await screen.findByText(/No documents to tag yet\. Upload documents on the Documents tab/)).toBeInTheDocument();
  expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  expect(startButton()).toBeDisabled();
});

test("live progress over the socket: documents move through tagging… to tagged with their tags or failed with the reason", async () => {
  const user = userEvent.setup({ delay: null });
  renderBatch();
  await startJob(user, ["Annual report.docx", "Budget 2026.docx", "Board minutes.docx"]);
  const job = jobs.get("job-1")!;
  expect(await within(jobSection()).findByText("Live")).toBeInTheDocument();
  const socket = sockets[0]!;

  job.status = "processing";
  await push(socket, { type: "keepalive", job_id: "job-1", status: "processing" });
  await push(socket, progress(job, 0, { status: "processing" }));
  expect(within(documentRow("Annual report.docx")).getByText("tagging…")).toBeInTheDocument();
  await push(socket, progress(job, 0, { status: "success", tags: ["annual revenue", "growth", "dividend"] }));
  expect(within(documentRow("Annual report.docx")).getByText("tagged")).toBeInTheDocument();
  expect(tagsOf("Annual report.docx")).toEqual(["annual revenue", "growth", "dividend"]);
  expect(screen.getByText("1 of 3 documents · 1 tagged · 0 failed")).toBeInTheDocument();
  expect(screen.getByRole("progressbar", { name: "Tagging progress" })).toHaveAttribute("aria-valuenow", String(1 / 3));

  await push(socket, progress(job, 1, { status: "processing" }));
  await push(socket, progress(job, 1, { status: "failed", error: "Document not found" }));
  expect(within(documentRow("Budget 2026.docx")).getByText("failed")).toBeInTheDocument();
  expect(within(documentRow("Budget 2026.docx")).getByText("Document not found")).toBeInTheDocument();
  expect(within(documentRow("Board minutes.docx")).getByText("waiting")).toBeInTheDocument();
  expect(screen.getByText("2 of 3 documents · 1 tagged · 1 failed")).toBeInTheDocument();
  // A repeated, late message changes nothing.
  await push(socket, progress(job, 0, { status: "processing" }));
  expect(tagsOf("Annual report.docx")).toEqual(["annual revenue", "growth", "dividend"]);
});

test("when the job finishes: a summary, the socket is done, My documents shows the new tags, and Tag more documents goes back to the picker", async () => {
  const user = userEvent.setup({ delay: null });
  renderBatch({ withMyDocuments: true });
  await startJob(user, ["Annual report.docx", "Budget 2026.docx"]);
  const job = jobs.get("job-1")!;
  await within(jobSection()).findByText("Live");
  const myDocuments = screen.getByRole("table", { name: "My documents" });
  expect(within(myDocuments).queryByText("q3, revenue")).not.toBeInTheDocument();

  job.status = "processing";
  await push(sockets[0]!, progress(job, 0, { status: "success", tags: ["q3", "revenue"] }));
  await push(sockets[0]!, progress(job, 1, { status: "failed", error: "The document has no text to tag." }));
  job.status = "completed";
  await push(sockets[0]!, finalMessage(job));
  sockets[0]!.client.close(1000);

  const summary = await screen.findByText("Tagging finished with failures");
  expect(summary.closest("[role=status]")).toHaveTextContent("1 of 2 documents were tagged; 1 failed — the reasons are under each document. It took 3 s.");
  expect(screen.getByRole("heading", { name: /tagging job · completed/i })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Pause" })).not.toBeInTheDocument();
  expect(screen.queryByText("Live")).not.toBeInTheDocument();
  // The documents list was fetched again: the new tags show there.
  expect(await within(myDocuments).findByText("q3, revenue")).toBeInTheDocument();
  // Finished: no polling, no reconnecting.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  expect(sockets).toHaveLength(1);
  expect(statusRequests).toHaveLength(0);

  await user.click(screen.getByRole("button", { name: "Tag more documents" }));
  expect(await screen.findByRole("checkbox", { name: "Annual report.docx" })).not.toBeChecked();
  expect(localStorage.getItem("sidecar.batch.job")).toBe("null");
});

/** Everything the live region says, in order (it is cleared after a while, so each change is kept). */
function heardAnnouncements(): string[] {
  const region = document.getElementById("sidecar-announcements")!;
  const heard: string[] = [];
  new MutationObserver(() => {
    if (region.textContent) heard.push(region.textContent);
  }).observe(region, { childList: true, subtree: true, characterData: true });
  return heard;
}

test("Start brings the new job's view into sight and moves focus to it; leaving the job focuses the picker", async () => {
  const user = userEvent.setup({ delay: null });
  const scrolled: Element[] = [];
  const scrollIntoView = jest.fn(function (this: Element) {
    scrolled.push(this);
  });
  Object.defineProperty(Element.prototype, "scrollIntoView", { value: scrollIntoView, configurable: true, writable: true });
  try {
    renderBatch();
    await startJob(user, ["Annual report.docx"]);
    const section = jobSection();
    expect(section).toHaveAttribute("tabindex", "-1");
    expect(section).toHaveFocus();
    expect(scrollIntoView).toHaveBeenCalledWith({ block: "nearest" });
    expect(scrolled).toContain(section);

    await user.click(within(section).getByRole("button", { name: "Stop following" }));
    expect(await screen.findByRole("heading", { name: "Tag documents" })).toHaveFocus();
  } finally {
    delete (Element.prototype as Partial<Element>).scrollIntoView;
  }
});

test("a job that finishes while followed is announced once, in words of its own; a job over before the pane looked is not", async () => {
  const user = userEvent.setup({ delay: null });
  const first = renderBatch({ withAnnouncer: true });
  const heard = heardAnnouncements();
  await startJob(user, ["Annual report.docx", "Budget 2026.docx"]);
  const job = jobs.get("job-1")!;
  await within(jobSection()).findByText("Live");
  job.status = "processing";
  await push(sockets[0]!, progress(job, 0, { status: "success", tags: ["q3"] }));
  await push(sockets[0]!, progress(job, 1, { status: "failed", error: "No text" }));
  job.status = "completed";
  await push(sockets[0]!, finalMessage(job));
  await screen.findByText("Tagging finished with failures");
  await waitFor(() => expect(heard).toEqual(["Batch tagging is done: 1 document got new tags, one document could not be tagged."]));
  // More news about the finished job says nothing again.
  await push(sockets[0]!, finalMessage(job));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(heard).toHaveLength(1);
  first.close();

  // Reopened: the same job, over already, is shown but not announced.
  remember("job-1");
  renderBatch({ withAnnouncer: true });
  const heardAgain = heardAnnouncements();
  expect(await screen.findByText("Tagging finished with failures")).toBeInTheDocument();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(heardAgain).toEqual([]);
});

test("in German: the picker, the job and its summary speak German, counts in German plurals", async () => {
  setLocale("de");
  try {
    const user = userEvent.setup({ delay: null });
    renderBatch();
    expect(await screen.findByRole("form", { name: "Dokumente verschlagworten" })).toBeInTheDocument();
    expect(await screen.findByText("0 von 4 ausgewählt")).toBeInTheDocument();
    await user.click(await screen.findByRole("checkbox", { name: "Annual report.docx" }));
    await user.click(screen.getByRole("button", { name: "1 Dokument verschlagworten" }));
    const section = await screen.findByRole("region", { name: /Verschlagwortungsauftrag/ });
    expect(await within(section).findByText("Verbunden")).toBeInTheDocument();
    const job = jobs.get("job-1")!;
    job.status = "processing";
    await push(sockets[0]!, progress(job, 0, { status: "success", tags: ["q3"] }));
    job.status = "completed";
    await push(sockets[0]!, finalMessage(job));
    expect(await screen.findByText("Verschlagwortung abgeschlossen")).toBeInTheDocument();
    expect(screen.getByText("1 von 1 Dokument · 1 verschlagwortet · 0 fehlgeschlagen")).toBeInTheDocument();
  } finally {
    setLocale("en");
  }
});

test("Pause, Resume and Cancel are enabled only when the status allows them, send their requests, and Cancel asks first", async () => {
  const user = userEvent.setup({ delay: null });
  controlDelayMs = 150;
  renderBatch();
  await startJob(user, ["Annual report.docx", "Budget 2026.docx"]);
  const job = jobs.get("job-1")!;
  const controls = await screen.findByRole("group", { name: "Job controls" });
  const pause = within(controls).getByRole("button", { name: "Pause" });
  const resume = within(controls).getByRole("button", { name: "Resume" });
  const cancel = within(controls).getByRole("button", { name: "Cancel" });
  await waitFor(() => expect(pause).toBeEnabled()); // pending: pause and cancel
  expect(resume).toBeDisabled();
  expect(cancel).toBeEnabled();

  job.status = "processing";
  await push(sockets[0]!, progress(job, 0, { status: "processing" }));
  await user.click(pause);
  // In flight: Pause can't be pressed twice.
  expect(pause).toBeDisabled();
  await waitFor(() => expect(resume).toBeEnabled());
  expect(pause).toBeDisabled();
  expect(cancel).toBeEnabled();
  expect(screen.getByRole("heading", { name: /tagging job · paused/i })).toBeInTheDocument();
  expect(controlRequests).toEqual(["pause job-1"]);

  await user.click(resume);
  expect(resume).toBeDisabled();
  await waitFor(() => expect(pause).toBeEnabled());
  expect(resume).toBeDisabled();
  expect(controlRequests).toEqual(["pause job-1", "resume job-1"]);

  // Cancel asks first; "Keep tagging" sends nothing.
  await user.click(cancel);
  let dialog = await screen.findByRole("dialog", { name: "Cancel this tagging job?" });
  await user.click(within(dialog).getByRole("button", { name: "Keep tagging" }));
  await waitFor(() => expect(screen.queryByRole("dialog", { hidden: true })).not.toBeInTheDocument());
  expect(controlRequests).toHaveLength(2);
  await user.click(cancel);
  dialog = await screen.findByRole("dialog", { name: "Cancel this tagging job?" });
  await user.click(await within(dialog).findByRole("button", { name: "Cancel the job" }));
  await waitFor(() => expect(controlRequests).toEqual(["pause job-1", "resume job-1", "cancel job-1"]));
  await waitFor(() => expect(job.status).toBe("cancelled"));
  // The server's socket says cancelled and closes.
  await push(sockets[0]!, finalMessage(job));
  sockets[0]!.client.close(1000);
  expect(await screen.findByText("Tagging cancelled")).toBeInTheDocument();
  expect(screen.queryByRole("group", { name: "Job controls" })).not.toBeInTheDocument();
});

test("Cancel while a document is being tagged: the pane keeps listening, so that document's result and the server's cancelled message still show", async () => {
  const user = userEvent.setup({ delay: null });
  renderBatch();
  await startJob(user, ["Annual report.docx", "Budget 2026.docx"]);
  const job = jobs.get("job-1")!;
  await within(jobSection()).findByText("Live");
  job.status = "processing";
  await push(sockets[0]!, progress(job, 0, { status: "processing" }));

  await user.click(screen.getByRole("button", { name: "Cancel" }));
  const dialog = await screen.findByRole("dialog", { name: "Cancel this tagging job?" });
  await user.click(within(dialog).getByRole("button", { name: "Cancel the job" }));
  expect(await screen.findByRole("heading", { name: /tagging job · cancelled/i })).toBeInTheDocument();
  const controls = screen.getByRole("group", { name: "Job controls" });
  for (const name of ["Pause", "Resume", "Cancel"]) expect(within(controls).getByRole("button", { name })).toBeDisabled();
  expect(sockets[0]!.closeCode).toBeUndefined(); // still listening: the current document finishes

  // The server finishes the document being tagged, then says cancelled and closes.
  await push(sockets[0]!, progress(job, 0, { status: "success", tags: ["kept", "after", "cancel"] }));
  await push(sockets[0]!, finalMessage(job, "Job cancelled: 1 tagged, 0 failed, 1 not processed."));
  sockets[0]!.client.close(1000);
  expect(await screen.findByText("Tagging cancelled")).toBeInTheDocument();
  expect(tagsOf("Annual report.docx")).toEqual(["kept", "after", "cancel"]);
  expect(screen.getByText("1 of 2 documents · 1 tagged · 0 failed")).toBeInTheDocument();
  // Never started, and never will be: not "waiting".
  expect(within(documentRow("Budget 2026.docx")).getByText("not started")).toBeInTheDocument();
  expect(within(documentRow("Budget 2026.docx")).queryByText("waiting")).not.toBeInTheDocument();
});

test("keepalive from the server updates the controls (paused elsewhere), and refused controls (409, 404) are shown in words", async () => {
  const user = userEvent.setup({ delay: null });
  renderBatch();
  await startJob(user, ["Annual report.docx"]);
  const job = jobs.get("job-1")!;
  await within(jobSection()).findByText("Live");
  job.status = "paused";
  await push(sockets[0]!, { type: "keepalive", job_id: "job-1", status: "paused" });
  const controls = screen.getByRole("group", { name: "Job controls" });
  expect(within(controls).getByRole("button", { name: "Resume" })).toBeEnabled();
  expect(within(controls).getByRole("button", { name: "Pause" })).toBeDisabled();

  // The job finished on the server meanwhile (the pane hasn't heard): resume is refused with words,
  // and the pane looks again and shows the job as it is.
  job.status = "completed";
  await user.click(within(controls).getByRole("button", { name: "Resume" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Couldn't resume the job");
  expect(alert).toHaveTextContent("Job is completed; only a paused job can be resumed.");
  expect(await screen.findByText(/Tagging complete|Tagging finished/)).toBeInTheDocument();
  expect(statusRequests.length).toBeGreaterThanOrEqual(1);
});

test("a control answered 404 says the job is not found", async () => {
  const user = userEvent.setup({ delay: null });
  addJob("job-9", ["Budget 2026.docx"], "processing");
  remember("job-9");
  renderBatch();
  await within(await screen.findByRole("region", { name: /tagging job/i })).findByText("Live");
  jobs.delete("job-9");
  await user.click(screen.getByRole("button", { name: "Pause" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Couldn't pause the job");
  expect(alert).toHaveTextContent("Job not found");
});

test("a remembered job is attached again after the pane reopens; other running jobs can be followed instead", async () => {
  const user = userEvent.setup({ delay: null });
  addJob("job-other", ["Contract draft.docx"], "paused", "2026-11-24T09:00:00Z");
  const first = renderBatch();
  await startJob(user, ["Annual report.docx", "Budget 2026.docx"]);
  const job = jobs.get("job-1")!;
  await within(jobSection()).findByText("Live");
  job.status = "processing";
  await push(sockets[0]!, progress(job, 0, { status: "success", tags: ["kept", "tags"] }));
  first.close();
  await waitFor(() => expect(sockets[0]!.closeCode).toBe(1000)); // closing the pane closes the socket

  // Reopened: one status look (the results so far), then the socket again.
  renderBatch();
  const section = await screen.findByRole("region", { name: /tagging job/i });
  expect(await within(section).findByText("Live")).toBeInTheDocument();
  expect(statusRequests.map((r) => r.jobId)).toEqual(["job-1"]);
  expect(sockets.map((s) => s.jobId)).toEqual(["job-1", "job-1"]);
  expect(tagsOf("Annual report.docx")).toEqual(["kept", "tags"]);
  expect(within(documentRow("Budget 2026.docx")).getByText("waiting")).toBeInTheDocument();

  // The other job is listed with its status and progress, and can be followed.
  const running = await screen.findByRole("list", { name: "Other running jobs" });
  const other = within(running).getByRole("listitem", { name: /job job-othe/i });
  expect(other).toHaveTextContent("paused · 0 of 1 document");
  await user.click(within(other).getByRole("button", { name: /follow job job-othe/i }));
  await waitFor(() => expect(sockets.at(-1)!.jobId).toBe("job-other"));
  await waitFor(() => expect(sockets[1]!.closeCode).toBe(1000));
  expect(await screen.findByRole("heading", { name: /tagging job · paused/i })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Resume" })).toBeEnabled();
  expect(JSON.parse(localStorage.getItem("sidecar.batch.job")!)).toMatchObject({ jobId: "job-other" });
});

test("with no remembered job the running jobs are listed to pick from, beside the picker", async () => {
  const user = userEvent.setup({ delay: null });
  const job = addJob("job-abc12345", ["Annual report.docx", "Budget 2026.docx"], "processing");
  progress(job, 0, { status: "success", tags: ["x"] });
  renderBatch();
  const running = await screen.findByRole("list", { name: "Running jobs" });
  const item = within(running).getByRole("listitem", { name: /job job-abc1/i });
  expect(item).toHaveTextContent("tagging · 1 of 2 documents");
  expect(screen.getByRole("form", { name: "Tag documents" })).toBeInTheDocument();
  await user.click(within(item).getByRole("button", { name: /follow/i }));
  expect(await within(await screen.findByRole("region", { name: /tagging job/i })).findByText("Live")).toBeInTheDocument();
  expect(tagsOf("Annual report.docx")).toEqual(["x"]);
  expect(screen.queryByRole("form", { name: "Tag documents" })).not.toBeInTheDocument();
});

test("a remembered job that has finished shows its results from the status, with no socket, until dismissed", async () => {
  const user = userEvent.setup({ delay: null });
  const job = addJob("job-done", ["Annual report.docx", "Board minutes.docx"], "processing");
  progress(job, 0, { status: "success", tags: ["annual", "report"] });
  progress(job, 1, { status: "success", tags: ["board", "minutes"] });
  job.status = "completed";
  remember("job-done");
  renderBatch();
  expect(await screen.findByText("Tagging complete")).toBeInTheDocument();
  expect(screen.getByText("All 2 documents were tagged. The new tags show under My documents on the Documents tab.")).toBeInTheDocument();
  expect(tagsOf("Board minutes.docx")).toEqual(["board", "minutes"]);
  expect(screen.getByText("2 of 2 documents · 2 tagged · 0 failed")).toBeInTheDocument();
  expect(sockets).toHaveLength(0);
  expect(statusRequests).toHaveLength(1);
  await user.click(screen.getByRole("button", { name: "Tag more documents" }));
  expect(await screen.findByRole("form", { name: "Tag documents" })).toBeInTheDocument();
  expect(screen.queryByText("Tagging complete")).not.toBeInTheDocument();
});

test("a remembered job the server no longer knows is forgotten with a note", async () => {
  const user = userEvent.setup({ delay: null });
  remember("job-vanished");
  renderBatch();
  const note = await screen.findByText(/The server no longer knows the tagging job this pane was following \(Job job-vani\)/);
  expect(screen.getByRole("form", { name: "Tag documents" })).toBeInTheDocument();
  expect(screen.queryByRole("alert")).not.toBeInTheDocument(); // a note, not an error
  expect(localStorage.getItem("sidecar.batch.job")).toBe("null");
  expect(sockets).toHaveLength(0);
  await user.click(screen.getByRole("button", { name: "Dismiss this note" }));
  expect(note).not.toBeInTheDocument();
});

test("a job that disappears while followed over the socket (Job not found) is forgotten with the same note", async () => {
  addJob("job-5", ["Annual report.docx"], "processing");
  remember("job-5");
  onConnect = (socket) => {
    send(socket, { type: "error", job_id: socket.jobId, error: "Job not found" });
    closeSoon(socket, 1008);
  };
  renderBatch();
  expect(await screen.findByText(/The server no longer knows the tagging job/)).toBeInTheDocument();
  expect(localStorage.getItem("sidecar.batch.job")).toBe("null");
});

test("SOCKET LOSS: the pane polls the status every 3 s while reconnecting with backoff, then a reconnect stops the polling and shows Live", async () => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  const job = addJob("job-7", ["Annual report.docx", "Budget 2026.docx"], "processing");
  remember("job-7");
  // 1st socket works; the next three attempts are refused at once; the 5th works.
  onConnect = (socket) => {
    const attempt = sockets.length;
    if (attempt >= 2 && attempt <= 4) socket.client.close(1011, "restarting");
    else send(socket, catchup(job));
  };
  renderBatch();
  const section = await screen.findByRole("region", { name: /tagging job/i });
  await within(section).findByText("Live");
  expect(statusRequests).toHaveLength(1); // the first look at the remembered job

  // The server goes away mid-job (abnormal close) while a document finishes.
  progress(job, 0, { status: "success", tags: ["while", "offline"] });
  const lostAt = Date.now();
  failStatus = 1; // the first check fails too: the pane says so and keeps checking
  await act(async () => {
    sockets[0]!.client.close(1011, "server going away");
    await settle();
  });
  expect(within(section).getByText("Connection lost — checking every 3 s, reconnecting…")).toBeInTheDocument();
  expect(within(section).queryByText("Live")).not.toBeInTheDocument();
  await act(async () => {
    await jest.advanceTimersByTimeAsync(100);
  });
  expect(within(section).getByText(/^Last check: Sidecar can't reach the server/)).toBeInTheDocument();

  for (let step = 0; step < 16; step += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
    if (sockets.length === 5) break;
  }
  // Polling showed what happened meanwhile; the failed check is forgotten once one works.
  expect(tagsOf("Annual report.docx")).toEqual(["while", "offline"]);
  expect(within(section).queryByText(/^Last check:/)).not.toBeInTheDocument();
  // Reconnects after 1, 2, 4 and 8 s of backoff.
  expect(sockets).toHaveLength(5);
  const attempts = sockets.slice(1).map((s) => s.at - lostAt);
  expect(attempts.map((t) => Math.round(t / 500) * 500)).toEqual([1000, 3000, 7000, 15000]);
  // Status every 3 s while lost: the first at once, then one every 3 s.
  const polls = statusRequests.slice(1).map((r) => r.at - lostAt);
  expect(polls.length).toBeGreaterThanOrEqual(5);
  expect(polls[0]!).toBeLessThan(500);
  for (let i = 1; i < polls.length; i += 1) expect(Math.abs(polls[i]! - polls[i - 1]! - 3000)).toBeLessThanOrEqual(250);

  // Back: Live, and no more status requests.
  await act(async () => {
    await jest.advanceTimersByTimeAsync(50);
  });
  expect(within(section).getByText("Live")).toBeInTheDocument();
  expect(within(section).queryByText(/checking every 3 s/)).not.toBeInTheDocument();
  const pollsWhenBack = statusRequests.length;
  for (let step = 0; step < 10; step += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
  }
  expect(statusRequests).toHaveLength(pollsWhenBack);
  expect(sockets).toHaveLength(5);
});

test("after ten failed reconnects the pane keeps polling, says so, and Reconnect now starts over", async () => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  const job = addJob("job-8", ["Annual report.docx"], "processing");
  remember("job-8");
  let accept = false;
  onConnect = (socket) => {
    if (sockets.length === 1 || accept) send(socket, catchup(job));
    else socket.client.close(1011);
  };
  renderBatch();
  const section = await screen.findByRole("region", { name: /tagging job/i });
  await within(section).findByText("Live");
  await act(async () => {
    sockets[0]!.client.close(1006);
    await settle();
  });
  // 1+2+4+8+16+30×5 s = 181 s of backoff for ten attempts.
  for (let step = 0; step < 200; step += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
  }
  expect(sockets).toHaveLength(11);
  const pollsBefore = statusRequests.length;
  expect(within(section).getByText(/Connection lost — checking every 3 s\. Sidecar has stopped trying to reconnect\./)).toBeInTheDocument();
  for (let step = 0; step < 9; step += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
  }
  expect(statusRequests.length - pollsBefore).toBe(3);
  expect(sockets).toHaveLength(11);

  accept = true;
  await act(async () => {
    screen.getByRole("button", { name: "Reconnect now" }).click();
    await jest.advanceTimersByTimeAsync(50);
  });
  expect(sockets).toHaveLength(12);
  expect(within(section).getByText("Live")).toBeInTheDocument();
});

test("a socket that says Authentication required gets a refreshed token through the client's one refresh and reconnects", async () => {
  addJob("job-3", ["Annual report.docx"], "processing");
  remember("job-3");
  validTokens = new Set(["e2"]); // the stored token has expired for the socket
  const { session } = renderBatch();
  const section = await screen.findByRole("region", { name: /tagging job/i });
  expect(await within(section).findByText("Live")).toBeInTheDocument();
  expect(refreshCalls).toBe(1);
  expect(sockets.map((s) => s.token)).toEqual(["e", "e2"]);
  expect(session.credentials("sidecar")).toMatchObject({ ejentoToken: "e2" });
});

test("when the token can't be renewed the session's sign-in appears; signing in again follows the job live again", async () => {
  addJob("job-4", ["Annual report.docx"], "processing");
  remember("job-4");
  validTokens = new Set(["e3"]);
  refreshAnswer = () => HttpResponse.json({ detail: "Refresh token expired" }, { status: 401 });
  const { session } = renderBatch();
  const section = await screen.findByRole("region", { name: /tagging job/i });
  expect(await within(section).findByText("Signed out — sign in again to keep following this job live.")).toBeInTheDocument();
  expect(session.slot("sidecar").status).toBe("expired"); // the pane's sign-in dialog opens on this
  expect(refreshCalls).toBe(1);
  act(() => session.signIn("sidecar", { kind: "ejento", accessToken: "r3", ejentoToken: "e3", expiresAt: Date.now() + 3_600_000, who: "demo@sidecar.local", method: "password" }));
  expect(await within(section).findByText("Live")).toBeInTheDocument();
  expect(sockets.at(-1)!.token).toBe("e3");
});
