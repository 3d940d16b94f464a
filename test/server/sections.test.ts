// The Sources panel's view of uploaded documents over real HTTP: their sections (headings
// recognised the way Word does, messy headings tidied, stable distinct ids, the same as GET
// document), and finding the section that holds text selected in Word, however Word's text
// differs from the stored text in whitespace, quotes, dashes, line breaks and case.
import { Bookmark, Document, HeadingLevel, LevelFormat, Packer, PageNumber, Paragraph, TextRun } from "docx";
import { addUser } from "../../src/server/services/users";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { UploadedDocument as Uploaded } from "../../src/shared/wire/documents";
import type { SectionListing as Section } from "../../src/shared/wire/sections";
import { bearer, fixtureNames, getJson, namedFields, postJson, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

const NUTRITION = "openxml-sdk-nutrition-report.docx";
const COMPLEX = "openxml-sdk-complex0.docx";

let server: TestServer;
let token: string;
let otherToken: string;
const uploaded = new Map<string, Uploaded>();

async function post(path: string, body: unknown, as = token) {
  const response = await postJson(server.url, path, as, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & Partial<ErrorBody> };
}

async function sectionsOf(documentId: string, as = token): Promise<Section[]> {
  const { status, body } = await post(endpoints.getSectionsForDocument.path, { document_id: documentId }, as);
  expect(status).toBe(200);
  return body.sections as Section[];
}

async function sectionFromText(documentId: string, text: string) {
  return post(endpoints.getSectionFromText.path, { document_id: documentId, text });
}

async function uploadBytes(bytes: Uint8Array, name: string): Promise<Uploaded> {
  const response = await upload(server.url, token, bytes, name);
  expect([200, 201]).toContain(response.status);
  return (await response.json()) as Uploaded;
}

const id = (name: string) => (uploaded.get(name) as Uploaded).document_id;

beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
  otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
  for (const name of fixtureNames()) uploaded.set(name, await uploadBytes(readFixture(name), name));
  // Two sign-ins (password hashing) and every fixture read and stored: over 5 s on PostgreSQL on a busy machine.
}, 30_000);
afterAll(() => server.close());

// ---- a document built with custom heading styles --------------------------------------------

/**
 * Headings from every route Word has: a style basedOn Heading1 (two levels of basedOn), a style
 * with its own outline level, a localised built-in heading (id "berschrift2", name "heading 2"),
 * a direct outline level; and what is NOT a heading: a Heading 2 paragraph with a direct outline
 * level 9 (body text), a style basedOn Heading2 that resets the level to body text, empty
 * headings (only a tab and spaces, only a bookmark, only a PAGE field code).
 */
async function customHeadingsDocx(): Promise<Buffer> {
  const document = new Document({
    styles: {
      paragraphStyles: [
        { id: "ChapterTitle", name: "Chapter Title", basedOn: "Heading1", run: { bold: true } },
        { id: "AppendixTitle", name: "Appendix Title", basedOn: "ChapterTitle" },
        { id: "Outlined", name: "Outlined", basedOn: "Normal", paragraph: { outlineLevel: 1 } },
        { id: "berschrift2", name: "heading 2", basedOn: "Normal" },
        { id: "Quiet", name: "Quiet", basedOn: "Heading2", paragraph: { outlineLevel: 9 } },
      ],
    },
    numbering: {
      config: [{ reference: "headings", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1." }] }],
    },
    sections: [
      {
        children: [
          new Paragraph("Prepared for the steering committee, March 2024."),
          new Paragraph({ text: "Introduction", style: "ChapterTitle" }),
          new Paragraph("This study looks at sodium intake in schools. The results and discussion follow below."),
          new Paragraph({ text: "Scope", style: "Outlined" }),
          new Paragraph("Only primary schools took part… secondary schools come later."),
          new Paragraph({ text: "Ortliche Ergebnisse", style: "berschrift2" }),
          new Paragraph("The “local” results differ – sometimes a lot."),
          new Paragraph({ children: [new TextRun("Direct outline level")], outlineLevel: 2 }),
          new Paragraph("A paragraph with a direct outline level is a heading too."),
          new Paragraph({ text: "Not a heading (outline level 9)", heading: HeadingLevel.HEADING_2, outlineLevel: 9 }),
          new Paragraph({ text: "Not a heading either (style reset to body text)", style: "Quiet" }),
          new Paragraph({ text: "\t  ", heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new Bookmark({ id: "empty", children: [] })], heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun({ children: [PageNumber.CURRENT] })], heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: "Results and discussion", heading: HeadingLevel.HEADING_1 }),
          new Paragraph("All endpoints were met."),
          new Paragraph({ text: "Summary", heading: HeadingLevel.HEADING_1 }),
          new Paragraph("First summary."),
          new Paragraph({ text: "Summary", heading: HeadingLevel.HEADING_1 }),
          new Paragraph("Second summary."),
          // Empty sections with list-numbered headings stay separate sections.
          new Paragraph({ text: "Background", heading: HeadingLevel.HEADING_1, numbering: { reference: "headings", level: 0 } }),
          new Paragraph({ text: "Methods", heading: HeadingLevel.HEADING_1, numbering: { reference: "headings", level: 0 } }),
          // ...and so do ones with typed outline numbers.
          new Paragraph({ text: "7 Limitations", heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: "8 Outlook", heading: HeadingLevel.HEADING_2 }),
          // A heading wrapped over two paragraphs (no body between): one title.
          new Paragraph({ text: "Appendix: tables of", style: "AppendixTitle" }),
          new Paragraph({ text: "sodium intake by school", heading: HeadingLevel.HEADING_1 }),
          new Paragraph("Table A1 lists intake per school."),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

const CUSTOM_SECTIONS: Array<[string, string]> = [
  ["introduction", "Introduction"],
  ["scope", "Scope"],
  ["ortliche-ergebnisse", "Ortliche Ergebnisse"],
  ["direct-outline-level", "Direct outline level"],
  ["results-and-discussion", "Results and discussion"],
  ["summary", "Summary"],
  ["summary-2", "Summary"],
  ["background", "Background"],
  ["methods", "Methods"],
  ["7-limitations", "7 Limitations"],
  ["8-outlook", "8 Outlook"],
  ["appendix-tables-of-sodium-intake-by-school", "Appendix: tables of sodium intake by school"],
];

// ---- sections ---------------------------------------------------------------------------------

const NUTRITION_SECTIONS: Array<[string, string]> = [
  [
    "5-european-health-forum-gastein-on-the-future-of-health-in-europe-25-to-28",
    "5. EUROPEAN HEALTH FORUM GASTEIN – on the Future of Health in Europe 25 to 28 September 2002 Parallelforum IV: Health Determinants – Nutrition and Food Policy",
  ],
  ["international-forum-gastein", "International Forum Gastein"],
  ["not-only-a-problem-of-developing-countries", "Not only a problem of developing countries"],
  ["notes-for-the-eu-and-national-governments", "Notes for the EU and national governments"],
  ["the-west-east-divide", "The West-East Divide"],
  ["time-for-action", "Time for action"],
];

const COMPLEX_SECTIONS: Array<[string, string]> = [
  ["word-complex-document", "Word Complex Document"],
  ["special-characters-leader-tabs", "Special Characters & Leader Tabs:"],
  ["format-columns-equal-width-column", "Format Columns: Equal Width Column"],
  ["one-column", "One Column"],
  ["two-columns", "Two Columns"],
  ["three-columns", "Three Columns"],
  ["variable-width-columns", "Variable Width Columns:"],
  ["left-small-column-right-wide-column", "Left Small Column, Right Wide Column"],
  ["left-wide-column-right-small-column", "Left Wide Column, Right Small Column"],
  ["format-columns-line-between", "Format Columns: Line Between"],
  ["left-wide-column-right-small-column-2", "Left Wide Column, Right Small Column"],
  ["three-columns-2", "Three Columns"],
  ["ansi-and-international-characters", "ANSI and International Characters:"],
  ["arial", "Arial"],
];

/** What every fixture is expected to have; the rest have no headings at all. */
const EXPECTED: Record<string, Array<[string, string]>> = {
  [NUTRITION]: NUTRITION_SECTIONS,
  [COMPLEX]: COMPLEX_SECTIONS,
  "python-docx-par-known-styles.docx": [["heading-1", "Heading 1"]],
};

describe("get-sections-for-document", () => {
  test.each(fixtureNames())("%s: its headings, in order, with distinct ids", async (name) => {
    const sections = await sectionsOf(id(name));
    expect(sections.map((s) => [s.section_id, s.section_title])).toEqual(EXPECTED[name] ?? []);
    sections.forEach((section, index) => {
      expect(section.section_order).toBe(index);
      expect(section.section_title).toBe(section.section_title.trim());
      expect(section.section_title).not.toBe("");
    });
    expect(new Set(sections.map((s) => s.section_id)).size).toBe(sections.length);
  });

  test("the nutrition report: no empty titles, and its heading split over four paragraphs is one section", async () => {
    const titles = (await sectionsOf(id(NUTRITION))).map((s) => s.section_title);
    for (const fragment of ["on the Future of Health in Europe", "25 to 28 September 2002", "Parallelforum IV: Health Determinants – Nutrition and Food Policy"]) {
      expect(titles).not.toContain(fragment);
      expect(titles.filter((title) => title.includes(fragment))).toHaveLength(1);
    }
  });

  test("the ISO Strict and BOM-prefixed documents still parse (no headings: an empty list)", async () => {
    expect(await sectionsOf(id("mammoth-strict-format.docx"))).toEqual([]);
    expect(await sectionsOf(id("mammoth-utf8-bom.docx"))).toEqual([]);
  });

  test("custom heading styles, localised ids, outline levels; empty headings skipped; numbered empty sections kept", async () => {
    const custom = await uploadBytes(await customHeadingsDocx(), "Custom headings.docx");
    const sections = await sectionsOf(custom.document_id);
    expect(sections.map((s) => [s.section_id, s.section_title])).toEqual(CUSTOM_SECTIONS);
    expect(sections.map((s) => s.section_order)).toEqual(CUSTOM_SECTIONS.map((_, index) => index));
  });

  test("ids are stable: the same bytes under another name have the same sections", async () => {
    const copy = await uploadBytes(readFixture(NUTRITION), "Nutrition (copy).docx");
    expect(copy.document_id).not.toBe(id(NUTRITION));
    expect(await sectionsOf(copy.document_id)).toEqual(await sectionsOf(id(NUTRITION)));
    const again = await uploadBytes(readFixture(COMPLEX), "Complex, again.docx");
    expect(await sectionsOf(again.document_id)).toEqual(await sectionsOf(id(COMPLEX)));
  });

  test.each(fixtureNames())("GET document for %s has the same section ids, titles and order", async (name) => {
    const listed = await sectionsOf(id(name));
    const { status, body } = await getJson<{ document: { sections: Array<Section & { text: string }> } }>(
      server.url,
      fillPath(endpoints.getDocument.path, { document_id: id(name) }),
      token,
    );
    expect(status).toBe(200);
    expect(body.document.sections.map(({ section_id, section_title, section_order }) => ({ section_id, section_title, section_order }))).toEqual(listed);
    // Without `include=section_text` the sections come without their text (the answer stays small
    // for a long document).
    expect(body.document.sections.filter((section) => "text" in section)).toEqual([]);
  });

  test("GET document: an unknown include is a 422 naming the field", async () => {
    const { status, body } = await getJson<ErrorBody>(server.url, `${fillPath(endpoints.getDocument.path, { document_id: id(NUTRITION) })}?include=everything`, token);
    expect(status).toBe(422);
    expect(JSON.stringify(body)).toMatch(/include/);
  });

  test("GET document: each section's text is the body under its heading, when asked for", async () => {
    const { body } = await getJson<{ document: { sections: Array<Section & { text: string }> } }>(
      server.url,
      `${fillPath(endpoints.getDocument.path, { document_id: id(NUTRITION) })}?include=section_text`,
      token,
    );
    const byId = new Map(body.document.sections.map((s) => [s.section_id, s.text]));
    expect(byId.get("the-west-east-divide")).toMatch(/^Liselotte Schäfer Elinder reported/);
    expect(byId.get("the-west-east-divide")).toMatch(/he claimed\.$/);
    expect(byId.get("time-for-action")).toMatch(/^In the Parallel Forum/);
    expect(byId.get("international-forum-gastein")?.split("\n")[0]).toBe("Tauernplatz 1");
  });

  test("unknown document → 404, another organization's → 403, no document_id → 422 naming it, no sign-in → 401", async () => {
    const unknown = await post(endpoints.getSectionsForDocument.path, { document_id: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/no document with the id "00000000-0000-4000-8000-000000000000"/);
    const foreign = await post(endpoints.getSectionsForDocument.path, { document_id: id(NUTRITION) }, otherToken);
    expect(foreign.status).toBe(403);
    expect(foreign.body.detail).toMatch(/another organization/);
    for (const body of [{}, { document_id: "  " }, { document_id: 7 }]) {
      const bad = await post(endpoints.getSectionsForDocument.path, body);
      expect(bad.status).toBe(422);
      expect(namedFields(bad.body)).toEqual(["document_id"]);
    }
    for (const body of [[], null]) {
      const bad = await post(endpoints.getSectionsForDocument.path, body);
      expect(bad.status).toBe(422);
      expect(bad.body.detail?.[0]).toMatchObject({ loc: ["body"], msg: expect.stringMatching(/JSON object \{"document_id"/) });
    }
    const anonymous = await postJson(server.url, endpoints.getSectionsForDocument.path, null, { document_id: id(NUTRITION) });
    expect(anonymous.status).toBe(401);
  });
});

// ---- get-section-from-text --------------------------------------------------------------------

describe("get-section-from-text", () => {
  let custom: Uploaded;
  beforeAll(async () => {
    custom = await uploadBytes(await customHeadingsDocx(), "Custom headings.docx");
  });

  const NOT_ONLY = "not-only-a-problem-of-developing-countries";

  test.each<[string, string, string]>([
    ["the stored text as it is", "“Unhealthy nutrition and the resulting illnesses are a burdens – not only for developing countries,” declared Karen Lock", NOT_ONLY],
    ["straight quotes and a hyphen for curly quotes and an en dash", '"Unhealthy nutrition and the resulting illnesses are a burdens - not only for developing countries," declared Karen Lock', NOT_ONLY],
    ["an em dash and single curly quotes", "‘Unhealthy nutrition and the resulting illnesses are a burdens — not only for developing countries,’ declared", NOT_ONLY],
    ["runs of spaces and tabs", "Unhealthy   nutrition\tand  the \t resulting illnesses", NOT_ONLY],
    ["non-breaking and other Unicode spaces", "Unhealthy\u00a0nutrition\u00a0and the\u202fresulting\u2009illnesses", NOT_ONLY],
    ["Word's paragraph marks (\\r)", "declared Karen Lock of the London School of\rHygiene and Tropical Medicine", NOT_ONLY],
    ["\\n and \\r\\n line breaks", "declared Karen Lock of the London\nSchool of Hygiene and\r\nTropical Medicine", NOT_ONLY],
    ["a manual line break (\\v) and a form feed", "declared Karen Lock of the London School\vof Hygiene\fand Tropical Medicine", NOT_ONLY],
    ["upper case", "EUROPEANS LACK THE CONSCIOUSNESS THAT NUTRITION IS A PROBLEM", NOT_ONLY],
    ["soft hyphens and zero-width characters", "Euro\u00adpeans lack the con\u200bsciousness that nu\u200ctrition\ufeff is a problem", NOT_ONLY],
    ["Word's non-breaking (\\x1e) and optional (\\x1f) hyphens", "the foot\u001eand\u001emouth disease and nitro\u001ffen in turkey", "international-forum-gastein"],
    ["a German opening quote „ and a closing “ as straight quotes", 'In the Parallel Forum "Health Determinants - Nutrition and Food Policy" not only scientists', "time-for-action"],
    ["the whole section heading", "The West-East Divide", "the-west-east-divide"],
    ["a heading with its body", "Time for action\r\rIn the Parallel Forum „Health Determinants – Nutrition and Food Policy“ not only", "time-for-action"],
    [
      "two sections: the one the selection starts in",
      "Firstly the fishing sector has to be reformed, only then other measures make sense. \r\rThe West-East Divide \r\rLiselotte Schäfer Elinder reported",
      "notes-for-the-eu-and-national-governments",
    ],
    ["the split title block", "5. EUROPEAN HEALTH FORUM GASTEIN –\r\ron the Future of Health in Europe\r25 to 28 September 2002", NUTRITION_SECTIONS[0]![0]],
    ["a list number in front (tolerant match)", "1. Europeans lack the consciousness that nutrition is a problem in highly developed countries.", NOT_ONLY],
    ["a footnote mark inside (tolerant match)", "The food scandals of the past years2 have made the Europeans very sensitive in terms of food quality", "international-forum-gastein"],
  ])("%s", async (_label, text, sectionId) => {
    const { status, body } = await sectionFromText(id(NUTRITION), text);
    expect(status).toBe(200);
    const expected = NUTRITION_SECTIONS.findIndex(([sid]) => sid === sectionId);
    expect(body).toEqual({ section_id: sectionId, section_title: NUTRITION_SECTIONS[expected]![1], section_order: expected });
  });

  test("an apostrophe typed as ’ and an ellipsis typed as ... find their sections", async () => {
    expect((await sectionFromText(id(COMPLEX), "(that’s two and three-quarters of an inch) wide")).body.section_id).toBe("two-columns");
    expect((await sectionFromText(custom.document_id, "only primary schools took part... secondary schools")).body.section_id).toBe("scope");
    expect((await sectionFromText(custom.document_id, 'The "local" results differ - sometimes')).body.section_id).toBe("ortliche-ergebnisse");
  });

  test("a selection that starts with a heading's full title is that heading's section, even if the words occur earlier", async () => {
    expect((await sectionFromText(custom.document_id, "Results and Discussion")).body.section_id).toBe("results-and-discussion");
    expect((await sectionFromText(custom.document_id, "Results and discussion\rAll endpoints")).body.section_id).toBe("results-and-discussion");
    // The same words inside the introduction's body, with what follows them there.
    expect((await sectionFromText(custom.document_id, "The results and discussion follow below.")).body.section_id).toBe("introduction");
  });

  test("duplicate titles: each heading's text finds its own section", async () => {
    expect((await sectionFromText(custom.document_id, "Second summary.")).body).toEqual({ section_id: "summary-2", section_title: "Summary", section_order: 6 });
    expect((await sectionFromText(custom.document_id, "Summary\rFirst summary")).body.section_id).toBe("summary");
    expect((await sectionFromText(id(COMPLEX), "Three Columns\r\rThere are three equally wide columns")).body.section_id).toBe("three-columns");
  });

  test("a made-up sentence → 404, even one made of the document's words", async () => {
    for (const text of [
      "Penguins in Antarctica negotiated a trade agreement on marmalade.",
      "The European Commission has banned all fruit in Finland since 1990.",
      "Nutritionally speaking, penguins",
    ]) {
      const { status, body } = await sectionFromText(id(NUTRITION), text);
      expect(status).toBe(404);
      expect(body.detail).toMatch(/No section of "openxml-sdk-nutrition-report.docx" contains the selected text/);
    }
  });

  test("text above the first heading belongs to no section → 404 saying so", async () => {
    const { status, body } = await sectionFromText(custom.document_id, "Prepared for the steering committee");
    expect(status).toBe(404);
    expect(body.detail).toMatch(/above the first heading/);
    const styled = await sectionFromText(id("python-docx-par-known-styles.docx"), "no specified style");
    expect(styled.status).toBe(404);
    // ...but a selection that starts there and runs on past the first heading is in that section.
    expect((await sectionFromText(custom.document_id, "March 2024.\rIntroduction\rThis study")).body.section_id).toBe("introduction");
    expect((await sectionFromText(id("python-docx-par-known-styles.docx"), "Body Text")).body.section_id).toBe("heading-1");
  });

  test("a document without headings → 404 saying it has none", async () => {
    const { status, body } = await sectionFromText(id("mammoth-tables.docx"), "Top left");
    expect(status).toBe(404);
    expect(body.detail).toMatch(/has no headings/);
  });

  test("missing or blank text → 422 naming it; another organization's document → 403", async () => {
    for (const [body, field] of [
      [{ document_id: id(NUTRITION) }, "text"],
      [{ document_id: id(NUTRITION), text: " \r\n " }, "text"],
      [{ text: "Time for action" }, "document_id"],
    ] as const) {
      const response = await post(endpoints.getSectionFromText.path, body);
      expect(response.status).toBe(422);
      expect(response.body.detail).toEqual([{ loc: ["body", field], msg: `${field}: is required`, type: expect.any(String) }]);
    }
    const foreign = await post(endpoints.getSectionFromText.path, { document_id: id(NUTRITION), text: "Time for action" }, otherToken);
    expect(foreign.status).toBe(403);
  });

  test("an uploaded document has no recorded sources: get-sources-for-selected-text answers an empty list", async () => {
    const byText = await post(endpoints.getSourcesForSelectedText.path, { document_id: id(NUTRITION), selected_text: "Time for action" });
    expect(byText.status).toBe(200);
    expect(byText.body).toEqual({ section_id: "time-for-action", section_title: "Time for action", sources: [] });
    const byId = await post(endpoints.getSourcesForSelectedText.path, { document_id: id(COMPLEX), section_id: "three-columns-2" });
    expect(byId.body).toEqual({ section_id: "three-columns-2", section_title: "Three Columns", sources: [] });
  });

  test("many selection lookups answer quickly once the document is cached", async () => {
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      const response = await fetch(server.url + endpoints.getSectionFromText.path, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(token) },
        body: JSON.stringify({ document_id: id(NUTRITION), text: "Liselotte Schäfer Elinder reported in her speech" }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    // 200 sequential round trips, generously bounded for a loaded CI machine.
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
