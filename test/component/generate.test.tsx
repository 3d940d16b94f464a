import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { nextPollDelay } from "../../src/taskpane/features/generate/api/get-generation-status";
import { reloadRecentGenerations } from "../../src/taskpane/features/generate/recent-generations";
import { documentIdSetting } from "../../src/taskpane/office/host-context";
import { FakeHost } from "../support/fake-host";
import { listenToAnnouncements, stopWatchingScrolling, watchScrolling } from "../support/announcements";
import { renderPane, server as origin } from "../support/render-pane";

const api = setupServer();

interface ServerState {
  statusRequests: number[];
  /** Answers a status request made at the given time (ms since the test started). */
  answer: (elapsed: number) => Response | { status: string; progress?: number | null; error?: string | null; queued_at?: string | null; finished_at?: string | null };
  generateBodies: Array<Record<string, unknown>>;
  startedAt: number;
}
let state: ServerState;

const templates = [
  {
    template_id: "tpl-brief",
    template_name: "Briefing note",
    document_type: "Briefing",
    sections: [
      { section_id: "s2", section_name: "Key facts", order_index: 2, level: 1 },
      { section_id: "s1", section_name: "Purpose", order_index: 1, level: 1 },
    ],
  },
];

function handlers() {
  return [
    http.get(`${origin}/api/v1/templates/`, () => HttpResponse.json({ templates })),
    http.get(`${origin}/api/v1/document-sets/`, () => HttpResponse.json({ document_sets: [{ document_set_id: "set-1", document_set_name: "Demo workspace" }] })),
    http.post(`${origin}/api/v1/document-sets/`, async ({ request }) => {
      const { document_set_name } = (await request.json()) as { document_set_name: string };
      return HttpResponse.json({ document_set_id: "set-2", document_set_name }, { status: 201 });
    }),
    http.get(`${origin}/api/v1/documents/`, () =>
      HttpResponse.json({
        documents: [
          { document_id: "doc-open", document_name: "Open doc.docx", created_at: "", updated_at: "", workspace_id: null, template: null, s3_key: "o/documents/doc-open.docx" },
          { document_id: "doc-other", document_name: "Other.docx", created_at: "", updated_at: "", workspace_id: null, template: null },
        ],
      }),
    ),
    http.get(`${origin}/api/v1/documents/:id`, ({ params }) =>
      HttpResponse.json({ document: { document_id: params.id, document_name: `${String(params.id)}.docx`, s3_key: `o/documents/${String(params.id)}.docx`, sections: [] } }),
    ),
    http.post(`${origin}/api/v1/documents/generate`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      state.generateBodies.push(body);
      state.startedAt = Date.now();
      return HttpResponse.json({ message: "accepted", task_id: `task-${state.generateBodies.length}` }, { status: 202 });
    }),
    http.get(`${origin}/api/v1/documents/status/:id`, ({ params }) => {
      const elapsed = Date.now() - state.startedAt;
      state.statusRequests.push(elapsed);
      const answer = state.answer(elapsed);
      if (answer instanceof Response) return answer;
      return HttpResponse.json({ task_id: params.id, progress: null, error: null, ...answer });
    }),
    http.post(`${origin}/generate-presigned-url`, async ({ request }) => {
      const { key } = (await request.json()) as { key: string };
      return HttpResponse.json({ url: `${origin}/files/${encodeURIComponent(key)}?signature=abc` });
    }),
    http.get(`${origin}/files/:key`, () => new HttpResponse(new Uint8Array([0x50, 0x4b, 3, 4, 9, 9]), { headers: { "content-type": "application/octet-stream" } })),
  ];
}

beforeAll(() => api.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  state = { statusRequests: [], answer: () => ({ status: "Generating", progress: 50 }), generateBodies: [], startedAt: Date.now() };
  api.use(...handlers());
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
  reloadRecentGenerations();
  jest.useRealTimers();
});
afterAll(() => api.close());

function signedIn(host = new FakeHost()) {
  localStorage.setItem(
    "sidecar.session",
    JSON.stringify({ accessToken: "r", ejentoToken: "e", expiresAt: Date.now() + 3_600_000, email: "demo@sidecar.local" }),
  );
  localStorage.setItem("sidecar.tab", JSON.stringify("generate"));
  return renderPane(host);
}

afterEach(() => {
  stopWatchingScrolling();
});

test("the poll delay backs off from about 1 s to 5 s", () => {
  expect([0, 1, 2, 3, 4, 5, 6, 20].map(nextPollDelay)).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000, 5000]);
});

test("Generate sends the chosen template, set, sources (the open document preselected) and name, then follows the job to Ready", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.settings.set(documentIdSetting, "doc-open");
  state.answer = (elapsed) => (elapsed < 300 ? { status: "Ingesting", progress: 20 } : { status: "Ready", progress: 100 });
  signedIn(host);

  // The template's sections are shown in their order.
  const sections = await screen.findByRole("list", { name: "Sections of the template" });
  expect(within(sections).getAllByRole("listitem").map((li) => within(li).getByRole("button").getAttribute("aria-label"))).toEqual([
    "Write “Purpose” into this document",
    "Write “Key facts” into this document",
  ]);
  const openDoc = await screen.findByRole("checkbox", { name: "Open doc.docx (this document)" });
  await waitFor(() => expect(openDoc).toBeChecked());
  await user.click(screen.getByRole("checkbox", { name: "Other.docx" }));
  const name = screen.getByLabelText(/name of the new document/i);
  await user.clear(name);
  await user.type(name, "Board brief.docx");
  await user.click(screen.getByRole("button", { name: "Generate" }));

  const card = await screen.findByRole("group", { name: "Generation Board brief" });
  expect(state.generateBodies[0]).toEqual({
    document_type: "Briefing",
    file_paths: ["o/documents/doc-open.docx", "o/documents/doc-other.docx"],
    connector_data_id: "set-1",
    workspace_name: "Demo workspace",
    template_id: "tpl-brief",
    output_name: "Board brief",
    document_instructions: null,
  });
  await within(card).findByRole("button", { name: "Open in Word" }, { timeout: 5000 });
  // Open downloads the result through the presigned URL and hands it to Word.
  await user.click(within(card).getByRole("button", { name: "Open in Word" }));
  await within(card).findByText("Opened in a new Word window.");
  expect(host.openedDocuments).toHaveLength(1);
  expect([...host.openedDocuments[0]!.bytes]).toEqual([0x50, 0x4b, 3, 4, 9, 9]);
  expect(host.openedDocuments[0]!.name).toBe("task-1.docx");
  // A fresh name is offered for the next generation.
  expect(screen.getByLabelText(/name of the new document/i)).not.toHaveValue("Board brief");
});

test("a template section named by a heading that is a whole paragraph shows its first words and an ellipsis; the full text is on hover and to assistive technology", async () => {
  const long = "36. The definition should be broadly enough framed to cover every form of support that a member state grants";
  api.use(
    http.get(`${origin}/api/v1/templates/`, () =>
      HttpResponse.json({
        templates: [
          {
            template_id: "tpl-rules",
            template_name: "State aid rules.docx",
            document_type: "General",
            sections: [
              { section_id: "s1", section_name: "Scope", order_index: 1, level: 1 },
              { section_id: "s2", section_name: long, order_index: 2, level: 1 },
            ],
          },
        ],
      }),
    ),
  );
  signedIn();
  const sections = await screen.findByRole("list", { name: "Sections of the template" });
  const [scope, definition] = within(sections).getAllByRole("listitem");
  expect(scope).toHaveTextContent(/^ScopeWrite$/);
  expect(within(definition!).getByText("36. The definition should be broadly enough…")).toHaveAttribute("aria-hidden", "true");
  expect(within(definition!).getByTitle(long)).toBeInTheDocument();
  // What a screen reader reads: the heading whole.
  expect(within(definition!).getByText(long)).not.toHaveAttribute("aria-hidden");
});

test("a 60-second generation costs at most 35 status requests, Ready shows within one interval, and polling then stops", async () => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  const ready = 60_000;
  state.answer = (elapsed) => (elapsed < ready ? { status: "Generating", progress: Math.round((elapsed / ready) * 100) } : { status: "Ready", progress: 100 });
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-60", outputName: "Sixty", templateName: "Briefing note", startedAt: Date.now(), request: {} }]),
  );
  state.startedAt = Date.now();
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Sixty" });
  for (let t = 0; t < 90; t += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
  }
  expect(within(card).getByRole("button", { name: "Open in Word" })).toBeInTheDocument();
  const beforeReady = state.statusRequests.filter((t) => t < ready);
  const firstReady = state.statusRequests.find((t) => t >= ready)!;
  expect(state.statusRequests.length).toBeLessThanOrEqual(35);
  expect(firstReady - ready).toBeLessThanOrEqual(5000);
  // exactly one request saw Ready: nothing after it
  expect(state.statusRequests.length).toBe(beforeReady.length + 1);
  // The first waits grow from 1 s: requests at about 0, 1, 2.5, 4.75 s.
  expect(state.statusRequests.slice(0, 4).map((t) => Math.round(t / 250) * 250)).toEqual([0, 1000, 2500, 4750]);
});

test("network errors while polling read as reconnecting, never as Failed, and polling goes on", async () => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  state.answer = (elapsed) => (elapsed < 4_000 ? HttpResponse.error() : { status: "Ready", progress: 100 });
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-net", outputName: "Flaky", templateName: "Briefing note", startedAt: Date.now(), request: {} }]),
  );
  state.startedAt = Date.now();
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Flaky" });
  await within(card).findByText("Reconnecting…");
  expect(within(card).queryByText(/failed/i)).not.toBeInTheDocument();
  for (let t = 0; t < 15; t += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
  }
  expect(within(card).getByRole("button", { name: "Open in Word" })).toBeInTheDocument();
  expect(within(card).queryByText("Reconnecting…")).not.toBeInTheDocument();
});

test("a finished generation shows how long it took, and the figure stays the same on later visits", async () => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  state.answer = (elapsed) => (elapsed < 12_000 ? { status: "Generating", progress: 50 } : { status: "Ready", progress: 100 });
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-t", outputName: "Timed", templateName: "Briefing note", startedAt: Date.now(), request: {} }]),
  );
  state.startedAt = Date.now();
  const first = signedIn();
  let card = await screen.findByRole("group", { name: "Generation Timed" });
  for (let t = 0; t < 20; t += 1) {
    await act(async () => {
      await jest.advanceTimersByTimeAsync(1000);
    });
  }
  await within(card).findByRole("button", { name: "Open in Word" });
  const took = within(card).getByText(/Briefing note · Ready · took/).textContent ?? "";
  // Seen Ready at the first poll after 12 s (polls are at most 5 s apart).
  const seconds = Number(/took (\d+) s/.exec(took)?.[1]);
  expect(seconds).toBeGreaterThanOrEqual(12);
  expect(seconds).toBeLessThanOrEqual(17);
  await act(async () => {
    await jest.advanceTimersByTimeAsync(97_000);
  });
  expect(within(card).getByText(/Briefing note · Ready · took/).textContent).toBe(took);

  // Closed, and opened again five minutes later: still how long it took.
  first.unmount();
  reloadRecentGenerations();
  await act(async () => {
    await jest.advanceTimersByTimeAsync(300_000);
  });
  renderPane(new FakeHost());
  card = await screen.findByRole("group", { name: "Generation Timed" });
  await within(card).findByRole("button", { name: "Open in Word" });
  expect(within(card).getByText(/Briefing note · Ready/).textContent).toBe(took);
});

/** The card's line under the name ("Briefing note · Ready · took 1 min 37 s"). */
function captionOf(card: HTMLElement): string {
  return within(card).getByText(/^Briefing note · /).textContent ?? "";
}

test("a generation that finished while the pane was closed shows how long it took by the server's times, and the figure never grows", async () => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  // Asked for ten minutes ago, done 97 s later, on the server (the local server's status says when).
  const queued = Date.now() - 600_000;
  state.answer = () => ({ status: "Ready", progress: 100, queued_at: new Date(queued).toISOString(), finished_at: new Date(queued + 97_000).toISOString() });
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-old", outputName: "Earlier", templateName: "Briefing note", startedAt: queued, request: {} }]),
  );
  const first = signedIn();
  let card = await screen.findByRole("group", { name: "Generation Earlier" });
  await within(card).findByRole("button", { name: "Open in Word" });
  expect(captionOf(card)).toBe("Briefing note · Ready · took 1 min 37 s");
  await act(async () => {
    await jest.advanceTimersByTimeAsync(97_000);
  });
  expect(captionOf(card)).toBe("Briefing note · Ready · took 1 min 37 s");

  // Closed, and opened again five minutes later: the same figure.
  first.unmount();
  reloadRecentGenerations();
  await act(async () => {
    await jest.advanceTimersByTimeAsync(300_000);
  });
  renderPane(new FakeHost());
  card = await screen.findByRole("group", { name: "Generation Earlier" });
  await within(card).findByRole("button", { name: "Open in Word" });
  expect(captionOf(card)).toBe("Briefing note · Ready · took 1 min 37 s");
});

test("against a documents service whose status has no times (Artos), the document's created and updated times say how long it took", async () => {
  state.answer = () => ({ status: "Ready", progress: null });
  // docs/vendors.md, Artos §3.1: list timestamps without a time zone.
  api.use(
    http.get(`${origin}/api/v1/documents/`, () =>
      HttpResponse.json({
        documents: [
          { document_id: "task-artos", document_name: "Vendor.docx", created_at: "2026-01-25 12:00:00.000000", updated_at: "2026-01-25 12:01:37.250000", workspace_id: "set-1", template: null },
        ],
      }),
    ),
  );
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-artos", outputName: "Vendor", templateName: "Briefing note", startedAt: Date.now() - 3_600_000, request: {} }]),
  );
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Vendor" });
  await within(card).findByRole("button", { name: "Open in Word" });
  await waitFor(() => expect(captionOf(card)).toBe("Briefing note · Ready · took 1 min 37 s"));
});

test("a generation that finished while the pane was closed, with no times from the server, doesn't pass off the time since it started as its duration", async () => {
  state.answer = () => ({ status: "Ready", progress: 100 });
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-old", outputName: "Earlier", templateName: "Briefing note", startedAt: Date.now() - 97_000, request: {} }]),
  );
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Earlier" });
  await within(card).findByRole("button", { name: "Open in Word" });
  expect(captionOf(card)).toBe("Briefing note · Ready");
});

test("while the server can't be reached, the card says so, that the job is picked up when it is back, and where its address is set", async () => {
  state.answer = () => HttpResponse.error();
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-down", outputName: "Down", templateName: "Briefing note", startedAt: Date.now(), request: {} }]),
  );
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Down" });
  const note = await within(card).findByRole("status");
  expect(note).toHaveTextContent("Sidecar can't reach the server; it will pick the job up when the server is back.");
  // The screen as it is named: the Account tab, its Connection heading, the Server settings form.
  expect(note).toHaveTextContent("Account → Connection → Server settings");
  expect(note).not.toHaveTextContent(/keeps trying|goes on on the server|Connection settings/);
});

test("with separate services, the card names the documents service it can't reach and where its address is set", async () => {
  localStorage.setItem(
    "sidecar.connection",
    JSON.stringify({ mode: "separate", serverUrl: "", apiKey: "", documents: { url: origin }, ejento: { url: "http://ejento.test", apiKey: "" } }),
  );
  localStorage.setItem("sidecar.sessions", JSON.stringify({ documents: { kind: "artos", token: "artos-1", userId: "u-7", who: "user u-7" } }));
  localStorage.setItem("sidecar.tab", JSON.stringify("generate"));
  state.answer = () => HttpResponse.error();
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-down", outputName: "Down", templateName: "Briefing note", startedAt: Date.now(), request: {} }]),
  );
  renderPane();
  const card = await screen.findByRole("group", { name: "Generation Down" });
  const note = await within(card).findByRole("status");
  expect(note).toHaveTextContent("Sidecar can't reach Documents (Artos); it will pick the job up when Documents (Artos) is back.");
  expect(note).toHaveTextContent("Account → Connection → Documents (Artos)");
  expect(note).not.toHaveTextContent(/the server/);
});

test("a followed generation is picked up again after the pane is closed and reopened", async () => {
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-7", outputName: "Resumed", templateName: "Briefing note", startedAt: Date.now() - 5000, request: {} }]),
  );
  const first = signedIn();
  await screen.findByRole("group", { name: "Generation Resumed" });
  const before = state.statusRequests.length;
  expect(before).toBeGreaterThan(0);
  first.unmount();
  reloadRecentGenerations(); // a new pane session reads the list from storage
  state.answer = () => ({ status: "Ready", progress: 100 });
  renderPane(new FakeHost());
  const card = await screen.findByRole("group", { name: "Generation Resumed" });
  await within(card).findByRole("button", { name: "Open in Word" });
  expect(state.statusRequests.length).toBeGreaterThan(before);
});

test("Failed shows the server's reason and Try again starts it under a new name", async () => {
  const user = userEvent.setup();
  state.answer = () => ({ status: "Failed", progress: 40, error: "None of the source documents has any text to write from." });
  const request = {
    document_type: "Briefing",
    file_paths: ["k"],
    connector_data_id: "set-1",
    workspace_name: "Demo workspace",
    template_id: "tpl-brief",
    output_name: "Empty brief",
  };
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-f", outputName: "Empty brief", templateName: "Briefing note", startedAt: Date.now(), request }]),
  );
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Empty brief" });
  const alert = await within(card).findByRole("alert");
  expect(alert).toHaveTextContent("Generation failed");
  expect(alert).toHaveTextContent("None of the source documents has any text to write from.");
  state.answer = () => ({ status: "Generating", progress: 10 });
  await user.click(within(alert).getByRole("button", { name: "Try again with a new name" }));
  await screen.findByRole("group", { name: "Generation Empty brief (2)" });
  expect(state.generateBodies[0]).toEqual({ ...request, output_name: "Empty brief (2)" });
  expect(screen.queryByRole("group", { name: "Generation Empty brief" })).not.toBeInTheDocument();
});

test("while the templates are still loading, the name and Generate wait for them: nothing typed is run into the default name, nothing asks for a template", async () => {
  const user = userEvent.setup();
  let releaseTemplates!: () => void;
  const templatesHeld = new Promise<void>((resolve) => (releaseTemplates = resolve));
  api.use(
    http.get(`${origin}/api/v1/templates/`, async () => {
      await templatesHeld;
      return HttpResponse.json({ templates });
    }),
  );
  const host = new FakeHost();
  host.settings.set(documentIdSetting, "doc-open");
  signedIn(host);
  // The documents are there (the open one chosen), the templates are not.
  await waitFor(() => expect(screen.getByRole("checkbox", { name: "Open doc.docx (this document)" })).toBeChecked());
  expect(screen.getByText("Loading templates and documents…")).toBeInTheDocument();
  const name = screen.getByLabelText(/name of the new document/i);
  expect(name).toBeDisabled();
  const generate = screen.getByRole("button", { name: "Generate" });
  expect(generate).toBeDisabled();
  await user.click(generate);
  expect(screen.queryByText("Choose a template.")).not.toBeInTheDocument();
  expect(state.generateBodies).toHaveLength(0);
  // Once they are in, the first template is chosen with its default name, which the person replaces.
  releaseTemplates();
  await screen.findByRole("list", { name: "Sections of the template" });
  await waitFor(() => expect(name).toBeEnabled());
  expect((name as HTMLInputElement).value).toMatch(/^Briefing note /);
  await user.clear(name);
  await user.type(name, "Early brief");
  await user.click(screen.getByRole("button", { name: "Generate" }));
  await screen.findByRole("group", { name: "Generation Early brief" });
  expect(state.generateBodies).toEqual([expect.objectContaining({ template_id: "tpl-brief", output_name: "Early brief", file_paths: ["o/documents/doc-open.docx"] })]);
});

test("Generate brings the new generation's card into view and gives it the focus; Ready is said to screen readers once", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.settings.set(documentIdSetting, "doc-open");
  state.answer = (elapsed) => (elapsed < 300 ? { status: "Generating", progress: 20 } : { status: "Ready", progress: 100 });
  const heard = listenToAnnouncements();
  const scrolled = watchScrolling();
  signedIn(host);
  await waitFor(() => expect(screen.getByRole("checkbox", { name: "Open doc.docx (this document)" })).toBeChecked());
  const name = screen.getByLabelText(/name of the new document/i);
  await user.clear(name);
  await user.type(name, "Focus brief");
  await user.click(screen.getByRole("button", { name: "Generate" }));

  const card = await screen.findByRole("group", { name: "Generation Focus brief" });
  await waitFor(() => expect(document.activeElement).toBe(card));
  expect(card).toHaveAttribute("tabindex", "-1");
  expect(scrolled).toHaveBeenCalledWith(card, { block: "nearest" });
  // The card is described by its line: template and status.
  expect(card).toHaveAccessibleDescription(/^Briefing note · /);

  await within(card).findByRole("button", { name: "Open in Word" }, { timeout: 5000 });
  await waitFor(() => expect(heard).toContain("Generation of Focus brief finished: ready to open."));
  // Once: not again as the card renders on.
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  expect(heard.filter((message) => message.startsWith("Generation of Focus brief"))).toHaveLength(1);
});

test("a followed generation that fails while the pane watches is said to screen readers once, with the reason; Try again focuses the new card", async () => {
  const user = userEvent.setup();
  let failed = false;
  state.answer = () => (failed ? { status: "Failed", progress: 40, error: "No source has any text." } : { status: "Generating", progress: 10 });
  const request = { document_type: "Briefing", file_paths: ["k"], connector_data_id: "set-1", workspace_name: "Demo workspace", template_id: "tpl-brief", output_name: "Doomed" };
  localStorage.setItem("sidecar.generations", JSON.stringify([{ taskId: "task-d", outputName: "Doomed", templateName: "Briefing note", startedAt: Date.now(), request }]));
  const heard = listenToAnnouncements();
  watchScrolling();
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Doomed" });
  await within(card).findByText(/Briefing note · Generating/);
  // Opening the pane moves no focus to a card it found.
  expect(document.activeElement).not.toBe(card);
  failed = true;
  const alert = await within(card).findByRole("alert", undefined, { timeout: 5000 });
  await waitFor(() => expect(heard).toContain("Generation of Doomed failed: No source has any text."));

  state.answer = () => ({ status: "Generating", progress: 10 });
  await user.click(within(alert).getByRole("button", { name: "Try again with a new name" }));
  const again = await screen.findByRole("group", { name: "Generation Doomed (2)" });
  await waitFor(() => expect(document.activeElement).toBe(again));
  expect(heard.filter((message) => message.startsWith("Generation of Doomed failed"))).toHaveLength(1);
});

test("a generation found already finished when the pane opens is not announced", async () => {
  state.answer = () => ({ status: "Ready", progress: 100 });
  localStorage.setItem(
    "sidecar.generations",
    JSON.stringify([{ taskId: "task-done", outputName: "Done before", templateName: "Briefing note", startedAt: Date.now() - 60_000, request: {} }]),
  );
  const heard = listenToAnnouncements();
  signedIn();
  const card = await screen.findByRole("group", { name: "Generation Done before" });
  await within(card).findByRole("button", { name: "Open in Word" });
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  expect(heard).toEqual([]);
});
