// Writing template sections into the open document from the Generate tab: each section generated
// on its own (selected_section_ids), read out of the generated .docx (a real one, written by the
// server's own writer) and handed to the host with its citations; progress, Stop, and no
// overwrite without asking.
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { writeGeneratedDocx } from "../../src/server/docx/write-docx";
import { documentIdSetting } from "../../src/taskpane/office/host-context";
import { FakeHost } from "../support/fake-host";
import { listenToAnnouncements, stopWatchingScrolling, watchScrolling } from "../support/announcements";
import { renderPane, server as origin } from "../support/render-pane";

const api = setupServer();

const templates = [
  {
    template_id: "tpl-brief",
    template_name: "Briefing note",
    document_type: "Briefing",
    sections: [
      { section_id: "s1", section_name: "Purpose", order_index: 1, level: 1 },
      { section_id: "s2", section_name: "Key facts", order_index: 2, level: 1 },
    ],
  },
];
const names: Record<string, string> = { s1: "Purpose", s2: "Key facts" };

interface State {
  generateBodies: Array<Record<string, unknown>>;
  /** Status of a task: Ready unless the test says otherwise. */
  status: (taskId: string) => { status: string; progress?: number | null; error?: string | null };
  /** The generated .docx of each task (its one section, with a footnoted sentence). */
  files: Map<string, Uint8Array>;
  /** When set, the generate request is answered only once this settles. */
  beforeAccepting?: Promise<void>;
}
let state: State;

async function sectionDocx(sectionId: string): Promise<Uint8Array> {
  const title = names[sectionId]!;
  return new Uint8Array(
    await writeGeneratedDocx({
      documentId: `doc-${sectionId}`,
      title: `Board brief – ${title}`,
      sections: [{ title, paragraphs: [{ sentences: [{ text: `${title} comes from the minutes.`, footnote: `Minutes.docx, ${title}` }, { text: "No note here." }] }] }],
    }),
  );
}

beforeAll(() => api.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  state = { generateBodies: [], status: () => ({ status: "Ready", progress: 100 }), files: new Map() };
  api.use(
    http.get(`${origin}/api/v1/templates/`, () => HttpResponse.json({ templates })),
    http.get(`${origin}/api/v1/document-sets/`, () => HttpResponse.json({ document_sets: [{ document_set_id: "set-1", document_set_name: "Demo workspace" }] })),
    http.get(`${origin}/api/v1/documents/`, () =>
      HttpResponse.json({ documents: [{ document_id: "doc-open", document_name: "Open doc.docx", created_at: "", updated_at: "", workspace_id: null, template: null, s3_key: "o/documents/doc-open.docx" }] }),
    ),
    http.get(`${origin}/api/v1/documents/:id`, ({ params }) =>
      HttpResponse.json({ document: { document_id: params.id, document_name: `${String(params.id)}.docx`, s3_key: `o/documents/${String(params.id)}.docx`, sections: [] } }),
    ),
    http.post(`${origin}/api/v1/documents/generate`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      state.generateBodies.push(body);
      await state.beforeAccepting;
      const taskId = `task-${state.generateBodies.length}`;
      state.files.set(taskId, await sectionDocx((body.selected_section_ids as string[])[0]!));
      return HttpResponse.json({ message: "accepted", task_id: taskId }, { status: 202 });
    }),
    http.get(`${origin}/api/v1/documents/status/:id`, ({ params }) => HttpResponse.json({ task_id: params.id, progress: null, error: null, ...state.status(String(params.id)) })),
    http.post(`${origin}/generate-presigned-url`, async ({ request }) => {
      const { key } = (await request.json()) as { key: string };
      return HttpResponse.json({ url: `${origin}/files/${encodeURIComponent(key)}` });
    }),
    http.get(`${origin}/files/:key`, ({ params }) => {
      const taskId = /documents\/(.+)\.docx$/.exec(decodeURIComponent(String(params.key)))?.[1] ?? "";
      const bytes = state.files.get(taskId);
      return bytes ? new HttpResponse(bytes, { headers: { "content-type": "application/octet-stream" } }) : new HttpResponse(null, { status: 404 });
    }),
  );
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
  stopWatchingScrolling();
});

afterAll(() => api.close());

function signedIn(host: FakeHost) {
  host.settings.set(documentIdSetting, "doc-open");
  localStorage.setItem("sidecar.session", JSON.stringify({ accessToken: "r", ejentoToken: "e", expiresAt: Date.now() + 3_600_000, email: "demo@sidecar.local" }));
  localStorage.setItem("sidecar.tab", JSON.stringify("generate"));
  return renderPane(host);
}

async function ready() {
  await waitFor(() => expect(screen.getByRole("checkbox", { name: "Open doc.docx (this document)" })).toBeChecked());
  const name = screen.getByLabelText(/name of the new document/i);
  await userEvent.clear(name);
  await userEvent.type(name, "Board brief");
  return screen.getByRole("list", { name: "Sections of the template" });
}

function item(list: HTMLElement, title: string): HTMLElement {
  return within(list).getAllByRole("listitem").find((li) => li.textContent?.startsWith(title))!;
}

test("Write all sections: each section generated on its own and written under its heading with its citations, as tracked changes", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.headings = [{ text: "Purpose" }];
  signedIn(host);
  const list = await ready();

  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await within(item(list, "Key facts")).findByText("Written at the cursor (no heading with this title), as tracked changes", undefined, { timeout: 8000 });
  expect(within(item(list, "Purpose")).getByRole("status")).toHaveTextContent("Written under its heading, as tracked changes");

  // One generation per section, in order, each asking for that section only.
  expect(state.generateBodies.map((body) => [body.selected_section_ids, body.output_name, body.file_paths])).toEqual([
    [["s1"], "Board brief – Purpose", ["o/documents/doc-open.docx"]],
    [["s2"], "Board brief – Key facts", ["o/documents/doc-open.docx"]],
  ]);
  // The host got the section's own text (not the title or the heading), its citation as "[1]"
  // with the note's words, tagged with the generated document and the template section.
  expect(host.writeCalls.map((call) => [call.section, call.replace, call.suggest])).toEqual([
    [{ documentId: "task-1", sectionId: "s1", title: "Purpose" }, false, true],
    [{ documentId: "task-2", sectionId: "s2", title: "Key facts" }, false, true],
  ]);
  const purpose = host.writtenSections[0]!.content;
  expect(purpose.plainText).toBe("Purpose comes from the minutes.[1] No note here.");
  expect(purpose.html).toBe("<p>Purpose comes from the minutes.[1] No note here.</p>");
  expect(purpose.notes).toEqual([{ number: 1, text: "Minutes.docx, Purpose" }]);
  // Done: the buttons are back, the sections are marked as in the document once the run's words go.
  expect(screen.getByRole("button", { name: "Write all sections" })).toBeEnabled();
  expect(screen.queryByRole("button", { name: "Stop" })).toBeNull();
});

test("Stop while a section is being generated: it and the ones after it are not written", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  state.status = () => ({ status: "Generating", progress: 40 });
  signedIn(host);
  const list = await ready();

  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await within(item(list, "Purpose")).findByText("Writing… 40%", undefined, { timeout: 5000 });
  expect(within(item(list, "Key facts")).getByRole("status")).toHaveTextContent("Waiting");
  expect(screen.getByRole("progressbar", { name: "Writing sections" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Stop" }));

  await within(item(list, "Purpose")).findByText("Stopped: not written");
  expect(within(item(list, "Key facts")).getByRole("status")).toHaveTextContent("Stopped: not written");
  expect(state.generateBodies).toHaveLength(1);
  expect(host.writeCalls).toEqual([]);
  expect(screen.getByRole("button", { name: "Write all sections" })).toBeEnabled();
});

test("Stop while the pane is still asking for a section's generation: it is stopped, not failed", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  let accept!: () => void;
  state.beforeAccepting = new Promise<void>((resolve) => (accept = resolve));
  signedIn(host);
  const list = await ready();

  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await within(item(list, "Purpose")).findByText("Asking the documents service…");
  await user.click(screen.getByRole("button", { name: "Stop" }));
  // The service answers after the Stop: the pane neither follows nor writes that generation.
  accept();

  await within(item(list, "Purpose")).findByText("Stopped: not written");
  expect(within(item(list, "Key facts")).getByRole("status")).toHaveTextContent("Stopped: not written");
  expect(screen.queryByText("Failed")).toBeNull();
  expect(state.generateBodies).toHaveLength(1);
  expect(host.writeCalls).toEqual([]);
  expect(screen.getByRole("button", { name: "Write all sections" })).toBeEnabled();
});

test("a section written before is only replaced when the person says so", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.writtenSections.push({ section: { documentId: "old", sectionId: "s1", title: "Purpose" }, content: { html: "<p>Old</p>", plainText: "Old" } });
  signedIn(host);
  const list = await ready();
  await within(item(list, "Purpose")).findByText("· in this document", { exact: false });

  // Keep it: not generated again, the next section is written.
  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  const question = await screen.findByText(/Sidecar wrote “Purpose” into this document before/);
  expect(question).toBeInTheDocument();
  await waitFor(() => expect(screen.getByRole("button", { name: "Replace it" })).toHaveFocus());
  await user.click(screen.getByRole("button", { name: "Keep it" }));
  await within(item(list, "Key facts")).findByText(/^Written/, undefined, { timeout: 8000 });
  expect(within(item(list, "Purpose")).getByRole("status")).toHaveTextContent("Kept what was there");
  expect(state.generateBodies.map((body) => body.selected_section_ids)).toEqual([["s2"]]);
  expect(host.writtenSections[0]!.content.plainText).toBe("Old");

  // Replace it: generated again, and the host is told to replace.
  await user.click(screen.getByRole("button", { name: "Write “Purpose” into this document" }));
  await user.click(await screen.findByRole("button", { name: "Replace it" }));
  await within(item(list, "Purpose")).findByText("Replaced what Sidecar wrote before, as tracked changes", undefined, { timeout: 8000 });
  expect(host.writeCalls.at(-1)).toEqual({ section: { documentId: "task-2", sectionId: "s1", title: "Purpose" }, replace: true, suggest: true });
  expect(host.writtenSections[0]!.content.plainText).toBe("Purpose comes from the minutes.[1] No note here.");
});

test("a failed generation is reported with the server's reason and the run goes on; tracked changes can be turned off", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  state.status = (taskId) => (taskId === "task-1" ? { status: "Failed", error: "No passage matched this section." } : { status: "Ready", progress: 100 });
  signedIn(host);
  const list = await ready();
  await user.click(screen.getByRole("switch", { name: "As tracked changes" }));

  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await within(item(list, "Key facts")).findByText("Written under its heading", undefined, { timeout: 8000 });
  expect(within(item(list, "Purpose")).getByRole("status")).toHaveTextContent("Failed");
  const alert = screen.getByRole("alert");
  expect(alert).toHaveTextContent("Couldn't write “Purpose”");
  expect(alert).toHaveTextContent("No passage matched this section.");
  expect(host.writeCalls.map((call) => [call.section.sectionId, call.suggest])).toEqual([["s2", false]]);
});

test("nothing is asked of the server when the form is missing a choice, and a closed document ends the run", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  signedIn(host);
  await ready();
  await user.clear(screen.getByLabelText(/name of the new document/i));
  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  expect(await screen.findByText("Give the new document a name.")).toBeInTheDocument();
  expect(state.generateBodies).toEqual([]);

  await user.type(screen.getByLabelText(/name of the new document/i), "Board brief");
  const { OfficeError } = await import("../../src/taskpane/office/document-host");
  host.writeFailure = new OfficeError("no_document", "Choose a Word document (.docx) to stand for the open document.");
  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await screen.findByText("Choose a Word document (.docx) to stand for the open document.", undefined, { timeout: 8000 });
  await act(async () => undefined);
  // The first failure to write ends the run: the second section is not generated.
  expect(state.generateBodies).toHaveLength(1);
});

test("the open document's own headings as the outline: sent as a template, chosen, and its sections offered for writing; a service without that route says so", async () => {
  const user = userEvent.setup();
  const host = new FakeHost("Quarterly report.docx");
  const own = {
    template_id: "tpl-own",
    template_name: "Quarterly report (its headings)",
    document_type: "Outline",
    sections: [
      { section_id: "h1", section_name: "Results", order_index: 1, level: 1 },
      { section_id: "h2", section_name: "Outlook", order_index: 2, level: 1 },
    ],
  };
  const sent: Array<{ name: string | null; size: number; fileName: string | null }> = [];
  let uploaded = false;
  api.use(
    http.get(`${origin}/api/v1/templates/`, () => HttpResponse.json({ templates: uploaded ? [...templates, own] : templates })),
    http.post(`${origin}/api/v1/templates/upload`, async ({ request }) => {
      const form = await request.formData();
      const file = form.get("file") as File;
      sent.push({ name: form.get("template_name") as string | null, size: file.size, fileName: file.name });
      uploaded = true;
      return HttpResponse.json(own, { status: 201 });
    }),
  );
  signedIn(host);
  await ready();
  await user.click(screen.getByRole("button", { name: "Use this document's headings" }));
  await screen.findByText("Its headings are the template now: write each section under its heading.");
  expect(sent).toEqual([{ name: "Quarterly report (its headings)", size: host.bytes.length, fileName: "Quarterly report.docx" }]);
  expect(screen.getByRole("combobox", { name: /Template/ })).toHaveTextContent("Quarterly report (its headings)");
  expect(screen.getByRole("button", { name: "Write “Outlook” into this document" })).toBeInTheDocument();

  // Artos has no such route.
  api.use(http.post(`${origin}/api/v1/templates/upload`, () => HttpResponse.json({ detail: "Not Found" }, { status: 404 })));
  await user.click(screen.getByRole("button", { name: "Use this document's headings" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Couldn't use this document's headings");
  expect(alert).toHaveTextContent("This documents service can't make a template from a document (Sidecar's own server can). Choose one of its templates instead.");
});

test("Stop while the pane asks whether to replace a section: that section and the rest are stopped, nothing generated", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.writtenSections.push({ section: { documentId: "old", sectionId: "s1", title: "Purpose" }, content: { html: "<p>Old</p>", plainText: "Old" } });
  signedIn(host);
  const list = await ready();
  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await screen.findByText(/Sidecar wrote “Purpose” into this document before/);
  await user.click(screen.getByRole("button", { name: "Stop" }));
  await within(item(list, "Purpose")).findByText("Stopped: not written");
  expect(within(item(list, "Key facts")).getByRole("status")).toHaveTextContent("Stopped: not written");
  expect(screen.queryByText(/Replace it with a new version/)).toBeNull();
  expect(state.generateBodies).toEqual([]);
});

test("Write brings the section being written into view and gives it the focus; the outcome is said to screen readers once", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  host.headings = [{ text: "Purpose" }];
  const heard = listenToAnnouncements();
  const scrolled = watchScrolling();
  signedIn(host);
  const list = await ready();

  await user.click(screen.getByRole("button", { name: "Write “Purpose” into this document" }));
  const purpose = item(list, "Purpose");
  await waitFor(() => expect(document.activeElement).toBe(purpose));
  expect(purpose).toHaveAttribute("tabindex", "-1");
  expect(purpose).toHaveAccessibleName("Purpose");
  expect(scrolled).toHaveBeenCalledWith(purpose, { block: "nearest" });
  await within(purpose).findByText("Written under its heading, as tracked changes", undefined, { timeout: 8000 });
  await waitFor(() => expect(heard).toEqual(["Section “Purpose” is written into the document, under its heading."]));
});

test("Write all sections: the focus follows the section being written; each outcome, written or failed, is said once", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  state.status = (taskId) => (taskId === "task-1" ? { status: "Failed", error: "No passage matched this section." } : { status: "Ready", progress: 100 });
  const heard = listenToAnnouncements();
  const scrolled = watchScrolling();
  signedIn(host);
  const list = await ready();

  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await within(item(list, "Key facts")).findByText("Written under its heading, as tracked changes", undefined, { timeout: 8000 });
  expect(document.activeElement).toBe(item(list, "Key facts"));
  expect(scrolled.mock.calls.map(([element]) => element)).toEqual([item(list, "Purpose"), item(list, "Key facts")]);
  await waitFor(() =>
    expect(heard).toEqual([
      "Section “Purpose” could not be written: No passage matched this section.",
      "Section “Key facts” is written into the document, under its heading.",
    ]),
  );
});

test("Stop takes its button away: the focus goes back to Write all sections", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  state.status = () => ({ status: "Generating", progress: 40 });
  signedIn(host);
  const list = await ready();
  await user.click(screen.getByRole("button", { name: "Write all sections" }));
  await within(item(list, "Purpose")).findByText("Writing… 40%", undefined, { timeout: 5000 });
  await user.click(screen.getByRole("button", { name: "Stop" }));
  await within(item(list, "Key facts")).findByText("Stopped: not written");
  await waitFor(() => expect(screen.getByRole("button", { name: "Write all sections" })).toHaveFocus());
});
