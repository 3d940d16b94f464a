import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { SIDECAR_DOCUMENT_ID_PROPERTY } from "../../src/taskpane/office/document-host";
import { FakeHost } from "../support/fake-host";
import { renderPane, server as origin } from "../support/render-pane";

const api = setupServer();

const sections = [
  { section_id: "s-results", section_title: "Results", section_order: 3 },
  { section_id: "s-background", section_title: "Background", section_order: 1 },
  { section_id: "s-methods", section_title: "Methods", section_order: 2 },
];
const sourcesBySection: Record<string, Array<Record<string, unknown>>> = {
  "s-background": [
    { document_source_id: "src-1", document_source_name: "Nutrition report.docx", referenced_text: "Europeans lack the consciousness.", s3_key: "o/documents/src-1.docx", passage_id: "p7" },
  ],
  "s-methods": [],
  "s-results": [
    { document_source_id: "src-2", document_source_name: "Trial data.docx", referenced_text: "Mortality fell by a third.", s3_key: "o/documents/src-2.docx", passage_id: "p3" },
  ],
};
let bodies: Array<Record<string, unknown>> = [];

function handlers() {
  return [
    http.post(`${origin}/get-sections-for-document`, async ({ request }) => {
      const { document_id } = (await request.json()) as { document_id: string };
      if (document_id !== "gen-1") return HttpResponse.json({ detail: "Document not found" }, { status: 404 });
      return HttpResponse.json({ sections });
    }),
    http.post(`${origin}/get-sources-for-selected-text`, async ({ request }) => {
      const body = (await request.json()) as { section_id?: string; selected_text?: string };
      bodies.push(body);
      let sectionId = body.section_id;
      if (!sectionId && body.selected_text) {
        if (/mortality/i.test(body.selected_text)) sectionId = "s-results";
        else return HttpResponse.json({ detail: "No section contains the selected text." }, { status: 404 });
      }
      const section = sections.find((s) => s.section_id === sectionId)!;
      return HttpResponse.json({ section_id: section.section_id, section_title: section.section_title, sources: sourcesBySection[section.section_id] });
    }),
    http.post(`${origin}/get-source-context`, () =>
      HttpResponse.json({ document_id: "src-1", document_name: "Nutrition report.docx", before: ["The paragraph before."], passage: "Europeans lack the consciousness.", after: ["The paragraph after."] }),
    ),
    http.get(`${origin}/api/v1/documents/`, () => HttpResponse.json({ documents: [] })),
  ];
}

beforeAll(() => api.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  bodies = [];
  api.use(...handlers());
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
});
afterAll(() => api.close());

function openSources(host: FakeHost) {
  localStorage.setItem("sidecar.session", JSON.stringify({ accessToken: "r", ejentoToken: "e", expiresAt: Date.now() + 3_600_000, email: "demo@sidecar.local" }));
  localStorage.setItem("sidecar.tab", JSON.stringify("sources"));
  return renderPane(host);
}

function generatedDocument() {
  const host = new FakeHost("Board brief.docx");
  host.customProperties.set(SIDECAR_DOCUMENT_ID_PROPERTY, "gen-1");
  return host;
}

test("the section dropdown lists the generated document's sections in document order; choosing one shows its sources and moves Word to its heading", async () => {
  const user = userEvent.setup();
  const host = generatedDocument();
  openSources(host);
  await user.click(await screen.findByRole("combobox", { name: "Section" }));
  expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual(["Background", "Methods", "Results"]);
  await user.click(screen.getByRole("option", { name: "Background" }));

  const card = await screen.findByRole("group", { name: "Source 1: Nutrition report.docx" });
  expect(card).toHaveTextContent("Europeans lack the consciousness.");
  expect(screen.getByRole("heading", { name: "Sources for this section" })).toBeInTheDocument();
  expect(host.headingMoves).toEqual([{ title: "Background", occurrence: 1 }]);

  // The passage in context: the paragraphs around it in its source document.
  await user.click(within(card).getByRole("button", { name: "Show in context" }));
  const context = await within(card).findByLabelText("Passage in context");
  expect(context).toHaveTextContent("The paragraph before.");
  expect(context).toHaveTextContent("The paragraph after.");
});

test("a heading that is a whole paragraph shows its first words and an ellipsis; the full text is on hover and to assistive technology", async () => {
  const long = "36. The definition should be broadly enough framed to cover every form of support that a member state grants";
  api.use(
    http.post(`${origin}/get-sections-for-document`, () =>
      HttpResponse.json({ sections: [{ section_id: "s-background", section_title: "Background", section_order: 1 }, { section_id: "s-methods", section_title: long, section_order: 2 }] }),
    ),
  );
  const user = userEvent.setup();
  const host = generatedDocument();
  openSources(host);
  await user.click(await screen.findByRole("combobox", { name: "Section" }));
  const option = screen.getByRole("option", { name: long });
  expect(option.textContent).toBe("36. The definition should be broadly enough…");
  expect(option).toHaveAttribute("title", long);
  await user.click(option);
  const combobox = screen.getByRole("combobox", { name: "Section" });
  expect(combobox).toHaveTextContent(/^36\. The definition should be broadly enough…$/);
  expect(combobox).toHaveAttribute("title", long);
  await screen.findByRole("heading", { name: "Sources for this section" });
  // The section's caption: short on screen, whole for a screen reader (the short form is hidden from it).
  const caption = screen.getAllByTitle(long).find((element) => element.tagName === "SPAN")!;
  expect(within(caption).getByText("36. The definition should be broadly enough…")).toHaveAttribute("aria-hidden", "true");
  expect(within(caption).getByText(long)).toBeInTheDocument();
  // Word is still moved to the heading by its full text.
  expect(host.headingMoves).toEqual([{ title: long, occurrence: 1 }]);
});

test("selecting text in the document moves the panel to the section that holds it; clearing the selection keeps it", async () => {
  const user = userEvent.setup();
  const host = generatedDocument();
  openSources(host);
  await screen.findByRole("combobox", { name: "Section" });
  host.select("Mortality fell by a third in the treated group.");
  expect(await screen.findByRole("heading", { name: "Sources for the selected text" })).toBeInTheDocument();
  expect(screen.getByRole("combobox", { name: "Section" })).toHaveTextContent("Results");
  expect(await screen.findByRole("group", { name: "Source 1: Trial data.docx" })).toBeInTheDocument();
  expect(bodies.at(-1)).toEqual({ document_id: "gen-1", selected_text: "Mortality fell by a third in the treated group." });

  const requests = bodies.length;
  host.select("");
  await new Promise((r) => setTimeout(r, 600));
  expect(bodies.length).toBe(requests);
  expect(screen.getByRole("combobox", { name: "Section" })).toHaveTextContent("Results");

  // A selection outside every section says so and keeps the last section.
  host.select("Some words that are in no section");
  expect(await screen.findByText(/not inside any section/i)).toBeInTheDocument();
  expect(screen.getByRole("combobox", { name: "Section" })).toHaveTextContent("Results");
  await user.click(screen.getByRole("combobox", { name: "Section" }));
});

test("a selected sentence shows the passage it best matches first, and says so; the rest of the section's sources follow", async () => {
  sourcesBySection["s-results"] = [
    { document_source_id: "src-2", document_source_name: "Trial data.docx", referenced_text: "Mortality fell by a third.\nThe trial ran for two years in four countries.", s3_key: "o/documents/src-2.docx", passage_id: "p3" },
    { document_source_id: "src-3", document_source_name: "Safety review.docx", referenced_text: "Adverse events were rare: nausea in 4 per cent of patients, headache in 2 per cent.", s3_key: "o/documents/src-3.docx", passage_id: "p9" },
    { document_source_id: "src-4", document_source_name: "Costs.docx", referenced_text: "Treatment cost 300 euros per patient per year.", s3_key: "o/documents/src-4.docx", passage_id: "p1" },
  ];
  try {
    const host = generatedDocument();
    openSources(host);
    await screen.findByRole("combobox", { name: "Section" });
    host.select("Mortality dropped, and adverse events such as nausea were rare in patients.");
    await screen.findByRole("heading", { name: "Sources for the selected text" });
    const best = await screen.findByRole("region", { name: "Best match for your selection" });
    // The sentence is about adverse events and nausea in patients: the safety passage first.
    expect(within(best).getAllByRole("group").map((card) => card.getAttribute("aria-label"))).toEqual(["Source 1: Safety review.docx"]);
    const rest = screen.getByRole("region", { name: "Other sources of this section" });
    expect(within(rest).getAllByRole("group").map((card) => card.getAttribute("aria-label"))).toEqual(["Source 2: Trial data.docx", "Source 3: Costs.docx"]);

    // A selection longer than a sentence is about the section: its sources in the server's order.
    host.select("Mortality fell by a third. The trial ran for two years. Adverse events were rare. Treatment cost 300 euros.");
    await waitFor(() => expect(screen.queryByRole("region", { name: "Best match for your selection" })).not.toBeInTheDocument());
    expect(screen.getAllByRole("group", { name: /^Source \d/ }).map((card) => card.getAttribute("aria-label"))).toEqual([
      "Source 1: Trial data.docx",
      "Source 2: Safety review.docx",
      "Source 3: Costs.docx",
    ]);
  } finally {
    sourcesBySection["s-results"] = [
      { document_source_id: "src-2", document_source_name: "Trial data.docx", referenced_text: "Mortality fell by a third.", s3_key: "o/documents/src-2.docx", passage_id: "p3" },
    ];
  }
});

test("a section without recorded sources says so", async () => {
  const user = userEvent.setup();
  openSources(generatedDocument());
  await user.click(await screen.findByRole("combobox", { name: "Section" }));
  await user.click(screen.getByRole("option", { name: "Methods" }));
  expect(await screen.findByText(/no sources are recorded for this section/i)).toBeInTheDocument();
});

test("the last section shown comes back when the pane is reopened", async () => {
  const user = userEvent.setup();
  const first = openSources(generatedDocument());
  await user.click(await screen.findByRole("combobox", { name: "Section" }));
  await user.click(screen.getByRole("option", { name: "Results" }));
  await screen.findByRole("group", { name: "Source 1: Trial data.docx" });
  first.unmount();
  renderPane(generatedDocument());
  expect(await screen.findByRole("group", { name: "Source 1: Trial data.docx" })).toBeInTheDocument();
  expect(screen.getByRole("combobox", { name: "Section" })).toHaveTextContent("Results");
});

test("a document Sidecar does not know offers to upload it, and then shows its sections", async () => {
  const user = userEvent.setup();
  api.use(
    http.post(`${origin}/api/v1/documents/local`, () =>
      HttpResponse.json({ document_id: "gen-1", document_name: "Notes.docx", s3_key: "k", status: "Ready" }, { status: 201 }),
    ),
  );
  const host = new FakeHost("Notes.docx");
  openSources(host);
  expect(await screen.findByText("This document isn't in Sidecar yet")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Upload this document" }));
  expect(await screen.findByRole("combobox", { name: "Section" })).toBeInTheDocument();
});

test("a document without headings and a server that is down read as words", async () => {
  api.use(http.post(`${origin}/get-sections-for-document`, () => HttpResponse.json({ sections: [] })));
  const view = openSources(generatedDocument());
  expect(await screen.findByText("No sections")).toBeInTheDocument();
  view.unmount();
  localStorage.removeItem("sidecar.sources.section");
  api.use(http.post(`${origin}/get-sections-for-document`, () => HttpResponse.error()));
  renderPane(generatedDocument());
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Can't reach the server");
  await waitFor(() => expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument());
});

test("a long document's sections (550) get a filter, and the dropdown shows a bounded number of them with a note of the rest", async () => {
  const many = Array.from({ length: 550 }, (_, i) => ({ section_id: `s-${i + 1}`, section_title: `Chapter ${i + 1}: part ${i % 7 === 0 ? "harvest" : "winter"}`, section_order: i + 1 }));
  api.use(
    http.post(`${origin}/get-sections-for-document`, () => HttpResponse.json({ sections: many })),
    http.post(`${origin}/get-sources-for-selected-text`, async ({ request }) => {
      const { section_id } = (await request.json()) as { section_id: string };
      const section = many.find((s) => s.section_id === section_id)!;
      return HttpResponse.json({ section_id, section_title: section.section_title, sources: [] });
    }),
  );
  const user = userEvent.setup();
  openSources(generatedDocument());
  const filter = await screen.findByRole("searchbox", { name: "Filter sections by title" });
  await user.click(screen.getByRole("combobox", { name: "Section" }));
  const listbox = await screen.findByRole("listbox");
  // 60 sections and a disabled note of the 490 others, not 550 options.
  expect(within(listbox).getAllByRole("option")).toHaveLength(61);
  expect(within(listbox).getByRole("option", { name: "490 more: type in the filter to find them" })).toHaveAttribute("aria-disabled", "true");
  await user.keyboard("{Escape}");

  // Filtering finds one far down the list; choosing it shows its sources.
  await user.type(filter, "Chapter 498:");
  expect(screen.getByText("1 of 550 sections match “Chapter 498:”")).toBeInTheDocument();
  await user.click(screen.getByRole("combobox", { name: "Section" }));
  await user.click(await screen.findByRole("option", { name: "Chapter 498: part harvest" }));
  await waitFor(() => expect(screen.getByRole("combobox", { name: "Section" })).toHaveTextContent("Chapter 498: part harvest"));
  // With the filter cleared, the chosen section is still shown and selected among the first ones.
  await user.clear(filter);
  await user.click(screen.getByRole("combobox", { name: "Section" }));
  const options = within(await screen.findByRole("listbox")).getAllByRole("option");
  expect(options).toHaveLength(61);
  expect(options[0]).toHaveAccessibleName("Chapter 498: part harvest");
  expect(options[0]).toHaveAttribute("aria-selected", "true");
});

test("when the server knows which passage a selected sentence was written from, that passage comes first under “Written from”", async () => {
  sourcesBySection["s-results"] = [
    { document_source_id: "src-2", document_source_name: "Trial data.docx", referenced_text: "Mortality fell by a third.", s3_key: "o/documents/src-2.docx", passage_id: "p3" },
    { document_source_id: "src-3", document_source_name: "Safety review.docx", referenced_text: "Adverse events were rare.", s3_key: "o/documents/src-3.docx", passage_id: "p9" },
  ];
  // The server answers which passage the sentence came from (the local server's sentence-level sources).
  api.use(
    http.post(`${origin}/get-sources-for-selected-text`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      const sources = sourcesBySection["s-results"]!;
      return HttpResponse.json({ section_id: "s-results", section_title: "Results", sources, ...(body.selected_text ? { selected_text_sources: [sources[1]] } : {}) });
    }),
  );
  try {
    const host = generatedDocument();
    openSources(host);
    await screen.findByRole("combobox", { name: "Section" });
    // Its words would best match the trial passage; the server says it was written from the safety review.
    host.select("Mortality fell by a third in the treated group.");
    const behind = await screen.findByRole("region", { name: "Written from" });
    expect(within(behind).getAllByRole("group").map((card) => card.getAttribute("aria-label"))).toEqual(["Source 1: Safety review.docx"]);
    expect(within(screen.getByRole("region", { name: "Other sources of this section" })).getAllByRole("group").map((card) => card.getAttribute("aria-label"))).toEqual([
      "Source 2: Trial data.docx",
    ]);
    expect(screen.queryByRole("region", { name: "Best match for your selection" })).not.toBeInTheDocument();
  } finally {
    sourcesBySection["s-results"] = [
      { document_source_id: "src-2", document_source_name: "Trial data.docx", referenced_text: "Mortality fell by a third.", s3_key: "o/documents/src-2.docx", passage_id: "p3" },
    ];
  }
});

test("a selection inside a section Sidecar wrote in place shows that section's sources, found by its content control, also in a document Sidecar doesn't know", async () => {
  // The written section's sources live under the generated document it came from (gen-1).
  api.use(
    http.post(`${origin}/get-sources-for-selected-text`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      bodies.push(body);
      const sources = [
        { document_source_id: "src-2", document_source_name: "Trial data.docx", referenced_text: "Mortality fell by a third.", passage_id: "p3" },
        { document_source_id: "src-3", document_source_name: "Safety review.docx", referenced_text: "Adverse events were rare.", passage_id: "p9" },
      ];
      return HttpResponse.json({ section_id: "s-results", section_title: "Results", sources, ...(body.selected_text ? { selected_text_sources: [sources[1]] } : {}) });
    }),
  );
  // The open document was never uploaded: without the content control there would be nothing to show.
  const host = new FakeHost("My draft.docx");
  openSources(host);
  await screen.findByText("This document isn't in Sidecar yet");
  // The writer renamed the heading: the content control still says which section this is.
  host.selectionHeading = { title: "Findings (edited)", occurrence: 1 };
  host.selectionWritten = { documentId: "gen-1", sectionId: "s-results", title: "Results" };
  host.select("Adverse events were rare in both arms.[2]");

  const behind = await screen.findByRole("region", { name: "Written from" });
  expect(within(behind).getAllByRole("group").map((card) => card.getAttribute("aria-label"))).toEqual(["Source 1: Safety review.docx"]);
  expect(screen.getByText(/Written in place by Sidecar:/)).toHaveTextContent("Written in place by Sidecar: Results");
  expect(bodies).toContainEqual({ document_id: "gen-1", section_id: "s-results", selected_text: "Adverse events were rare in both arms.[2]" });

  // A selection outside it, with no Sidecar document open: nothing new is asked, the panel stays.
  const asked = bodies.length;
  host.selectionWritten = undefined;
  host.select("Some words of my own here.");
  await new Promise((resolve) => setTimeout(resolve, 600));
  expect(bodies).toHaveLength(asked);
});
