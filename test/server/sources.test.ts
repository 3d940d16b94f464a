// The Sources panel's view of generated documents over real HTTP: their template sections, the
// sources recorded for each (by section id, or found from selected text), a source passage in
// the context of its document, the presigned link to the source file; organization isolation;
// and the outline cache behind it all (one build per document version, bounded).
import path from "node:path";
import { readDocxParagraphs } from "../../src/server/docx/paragraphs";
import { OutlineCache, type SourceEntry as Source } from "../../src/server/services/sections/outline-cache";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { UploadedDocument as Uploaded } from "../../src/shared/wire/documents";
import type { SectionSources as WireSectionSources, SourceContext as Context } from "../../src/shared/wire/sections";
import type { TemplateSection } from "../../src/shared/wire/templates";
import {
  FIXTURE_DIR,
  getJson,
  namedFields,
  normalizeSpace,
  postJson,
  readFixture,
  signIn,
  startServer,
  upload,
  waitForDocument,
  type TestServer,
} from "./helpers";

/** The local server's sources carry passage_id and passage_index. */
type SectionSources = Omit<WireSectionSources, "sources"> & { sources: Source[] };

const NUTRITION = "openxml-sdk-nutrition-report.docx";
const COMPLEX = "openxml-sdk-complex0.docx";
const TEMPLATE_ID = "builtin-study-report-summary";
const OUTPUT_NAME = "Sources panel study";
const limits = { maxUnpackedBytes: 500 * 1024 * 1024, maxEntries: 5000 };

let server: TestServer;
let token: string;
let otherToken: string;
const uploaded = new Map<string, Uploaded>();
let generatedId: string;
let templateSections: TemplateSection[];
/** Sections of the generated document with their stored text. */
let stored: Array<{ section_id: string; section_title: string; text: string }>;

async function post<T = Record<string, unknown>>(path: string, body: unknown, as = token) {
  const response = await postJson(server.url, path, as, body);
  return { status: response.status, body: (await response.json()) as T & Partial<ErrorBody> };
}

const sources = (body: unknown, as = token) => post<SectionSources>(endpoints.getSourcesForSelectedText.path, body, as);
const context = (body: unknown, as = token) => post<Context>(endpoints.getSourceContext.path, body, as);

const fullText = new Map<string, string>();
async function fullTextOf(fixture: string): Promise<string> {
  if (!fullText.has(fixture)) {
    const paragraphs = await readDocxParagraphs(path.join(FIXTURE_DIR, fixture), limits);
    fullText.set(fixture, normalizeSpace(paragraphs.map((p) => p.text).filter((t) => t.trim()).join(" ")));
  }
  return fullText.get(fixture) as string;
}

function fixtureOf(documentId: string): string {
  for (const [name, document] of uploaded) if (document.document_id === documentId) return name;
  throw new Error(`not an uploaded fixture: ${documentId}`);
}

/** The longest sentence of a text (unique within a generated document: no sentence appears twice). */
function longestSentence(text: string): string {
  return text.split(/(?<=[.!?])\s+/).reduce((best, sentence) => (sentence.length > best.length ? sentence : best), "");
}

beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
  otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
  for (const name of [NUTRITION, COMPLEX]) {
    const response = await upload(server.url, token, readFixture(name), name);
    uploaded.set(name, (await response.json()) as Uploaded);
  }
  const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(
    server.url,
    endpoints.listDocumentSets.path,
    token,
  );
  const workspace = sets.body.document_sets[0] as { document_set_id: string; document_set_name: string };
  const templates = await getJson<{ templates: Array<{ template_id: string; document_type: string; sections: TemplateSection[] }> }>(
    server.url,
    endpoints.listTemplates.path,
    token,
  );
  const template = templates.body.templates.find((t) => t.template_id === TEMPLATE_ID);
  if (!template) throw new Error("no built-in study report template");
  templateSections = template.sections;
  const response = await postJson(server.url, endpoints.generateDocument.path, token, {
    document_type: template.document_type,
    file_paths: [NUTRITION, COMPLEX].map((name) => uploaded.get(name)?.s3_key),
    connector_data_id: workspace.document_set_id,
    workspace_name: workspace.document_set_name,
    template_id: TEMPLATE_ID,
    output_name: OUTPUT_NAME,
  });
  expect(response.status).toBe(202);
  generatedId = ((await response.json()) as { task_id: string }).task_id;
  expect((await waitForDocument(server.url, token, generatedId)).final.status).toBe("Ready");
  stored = await server.app.sidecar.storage.generation.sections(generatedId);
});
afterAll(() => server.close());

describe("a generated document's sections and sources", () => {
  test("get-sections-for-document: the template's sections, as stored at generation, in order", async () => {
    const { status, body } = await post<{ sections: unknown[] }>(endpoints.getSectionsForDocument.path, { document_id: generatedId });
    expect(status).toBe(200);
    expect(body.sections).toEqual(
      templateSections.map((section, index) => ({ section_id: section.section_id, section_title: section.section_name, section_order: index })),
    );
  });

  test("by section_id: each section's recorded sources, each a real passage of its source document", async () => {
    let total = 0;
    for (const section of stored) {
      const { status, body } = await sources({ document_id: generatedId, section_id: section.section_id });
      expect(status).toBe(200);
      expect(body.section_id).toBe(section.section_id);
      expect(body.section_title).toBe(section.section_title);
      const recorded = await server.app.sidecar.storage.generation.sources(generatedId, section.section_id);
      expect(body.sources.map((s) => s.passage_id)).toEqual(recorded.map((s) => s.passage_id));
      for (const source of body.sources) {
        total += 1;
        const fixture = fixtureOf(source.document_source_id);
        const document = uploaded.get(fixture) as Uploaded;
        expect(source).toEqual({
          document_source_id: document.document_id,
          document_source_name: document.document_name,
          referenced_text: expect.any(String),
          s3_key: document.s3_key,
          passage_id: `${document.document_id}:${source.passage_index}`,
          passage_index: expect.any(Number),
        });
        expect(await fullTextOf(fixture)).toContain(normalizeSpace(source.referenced_text));
      }
    }
    expect(total).toBeGreaterThanOrEqual(stored.length - 2);
  });

  test("by selected text only: a sentence of a section's text finds that section and its sources", async () => {
    for (const section of stored) {
      const sentence = longestSentence(section.text);
      expect(sentence.length).toBeGreaterThan(30);
      const bySentence = await sources({ document_id: generatedId, selected_text: sentence });
      expect(bySentence.status).toBe(200);
      const byId = await sources({ document_id: generatedId, section_id: section.section_id });
      const { selected_text_sources: _behind, ...sectionPart } = bySentence.body;
      expect(sectionPart).toEqual(byId.body);
      // ...also as Word gives it: curly apostrophes, paragraph marks, non-breaking spaces, other case.
      const asWord = sentence.replace(/'/g, "’").replace(/ /g, (_, offset: number) => (offset % 3 === 0 ? "\u00a0" : offset % 3 === 1 ? "\r" : "  ")).toUpperCase();
      expect((await sources({ document_id: generatedId, selected_text: asWord })).body.section_id).toBe(section.section_id);
      // get-section-from-text agrees.
      const fromText = await post(endpoints.getSectionFromText.path, { document_id: generatedId, text: sentence });
      expect(fromText.body).toEqual({
        section_id: section.section_id,
        section_title: section.section_title,
        section_order: stored.indexOf(section),
      });
    }
  });

  test("a selected sentence: the passage it was written from, beside the section's sources", async () => {
    let checked = 0;
    for (const section of stored) {
      const recorded = (await server.app.sidecar.storage.generation.sentencesOfDocument(generatedId)).filter((sentence) => sentence.sectionId === section.section_id);
      for (const sentence of recorded.filter((s) => s.passageIds.length > 0 && s.text.length > 30).slice(0, 3)) {
        const { status, body } = await sources({ document_id: generatedId, section_id: section.section_id, selected_text: sentence.text });
        expect(status).toBe(200);
        // Extracts: the sentence is the passage's own words, and only that passage is behind it.
        expect(body.selected_text_sources?.map((source) => source.passage_id)).toEqual(sentence.passageIds);
        for (const source of body.selected_text_sources ?? []) expect(normalizeSpace(source.referenced_text)).toContain(normalizeSpace(sentence.text));
        expect(body.sources.length).toBeGreaterThanOrEqual(body.selected_text_sources?.length ?? 0);
        // Part of the sentence, as a person selects a clause, is enough.
        const clause = sentence.text.slice(5, 5 + 25);
        expect((await sources({ document_id: generatedId, section_id: section.section_id, selected_text: clause })).body.selected_text_sources?.map((source) => source.passage_id)).toEqual(sentence.passageIds);
        checked += 1;
      }
      // Two sentences from different passages: both passages.
      const fromTwo = recorded.filter((s) => s.passageIds.length > 0);
      const other = fromTwo.find((s) => s.passageIds[0] !== fromTwo[0]?.passageIds[0]);
      if (fromTwo[0] && other) {
        const { body } = await sources({ document_id: generatedId, section_id: section.section_id, selected_text: `${fromTwo[0].text} ${other.text}` });
        expect(new Set(body.selected_text_sources?.map((source) => source.passage_id))).toEqual(new Set([...fromTwo[0].passageIds, ...other.passageIds]));
        // As written into a document where Word can't make footnotes: a citation mark after the sentence.
        const end = `${fromTwo[0].text.slice(-25)}[1] `;
        const marked = await sources({ document_id: generatedId, section_id: section.section_id, selected_text: end });
        expect(marked.body.selected_text_sources?.map((source) => source.passage_id)).toEqual(fromTwo[0].passageIds);
      }
    }
    expect(checked).toBeGreaterThan(3);
    // Text the server did not write (a heading, a note) has no sentence-level sources.
    const first = stored[0] as (typeof stored)[number];
    expect((await sources({ document_id: generatedId, section_id: first.section_id, selected_text: first.section_title })).body.selected_text_sources).toBeUndefined();
  });

  test("a selection of a section heading with the start of its text, and one running into the next section", async () => {
    const [first, second] = stored as [(typeof stored)[number], (typeof stored)[number]];
    const headingAndBody = `${second.section_title}\r${second.text.slice(0, 60)}`;
    expect((await sources({ document_id: generatedId, selected_text: headingAndBody })).body.section_id).toBe(second.section_id);
    const across = `${first.text.slice(-50)}\r${second.section_title}\r${second.text.slice(0, 30)}`;
    expect((await sources({ document_id: generatedId, selected_text: across })).body.section_id).toBe(first.section_id);
  });

  test("section_id wins when both are sent", async () => {
    const [first, second] = stored as [(typeof stored)[number], (typeof stored)[number]];
    const { body } = await sources({ document_id: generatedId, section_id: first.section_id, selected_text: longestSentence(second.text) });
    expect(body.section_id).toBe(first.section_id);
  });

  test("the document's title (above the first section) and made-up text → 404", async () => {
    const title = await sources({ document_id: generatedId, selected_text: OUTPUT_NAME });
    expect(title.status).toBe(404);
    expect(title.body.detail).toMatch(/above the first heading/);
    const madeUp = await sources({ document_id: generatedId, selected_text: "The trial enrolled four hundred astronauts on Mars in 1850." });
    expect(madeUp.status).toBe(404);
    expect(madeUp.body.detail).toMatch(/No section of "Sources panel study.docx" contains the selected text/);
  });

  test("neither section_id nor selected_text → 422; an unknown section → 404 naming it; ids are compared byte for byte", async () => {
    for (const body of [{ document_id: generatedId }, { document_id: generatedId, section_id: null, selected_text: "  " }, { document_id: generatedId, section_id: "" }]) {
      const response = await sources(body);
      expect(response.status).toBe(422);
      expect(response.body.detail?.[0]).toMatchObject({ loc: ["body", "section_id"], msg: expect.stringMatching(/send a section_id or the selected_text/) });
    }
    const notText = await sources({ document_id: generatedId, section_id: 42 });
    expect(notText.status).toBe(422);
    expect(namedFields(notText.body)).toEqual(["section_id"]);
    const unknown = await sources({ document_id: generatedId, section_id: "no-such-section" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/has no section with the id "no-such-section"/);
    const padded = await sources({ document_id: generatedId, section_id: ` ${stored[0]?.section_id}` });
    expect(padded.status).toBe(404);
  });

  test("another organization: 403 for its sections, sources and section-from-text; unknown document 404", async () => {
    const sectionId = stored[0]?.section_id;
    expect((await post(endpoints.getSectionsForDocument.path, { document_id: generatedId }, otherToken)).status).toBe(403);
    expect((await sources({ document_id: generatedId, section_id: sectionId }, otherToken)).status).toBe(403);
    expect((await post(endpoints.getSectionFromText.path, { document_id: generatedId, text: "Background" }, otherToken)).status).toBe(403);
    expect((await sources({ document_id: "nope", section_id: sectionId })).status).toBe(404);
  });
});

describe("a source passage in context", () => {
  const allSources = async () =>
    (await Promise.all(stored.map((section) => server.app.sidecar.storage.generation.sources(generatedId, section.section_id)))).flat().map((s) => ({
        document_source_id: s.document_source_id,
        passage_id: s.passage_id,
        passage_index: s.passage_index,
        referenced_text: s.referenced_text,
      }));

  test("the passage with the paragraphs that really surround it in the source document", async () => {
    const checked = new Set<string>();
    for (const source of await allSources()) {
      if (checked.has(source.passage_id)) continue;
      checked.add(source.passage_id);
      const { status, body } = await context({ document_source_id: source.document_source_id, passage_id: source.passage_id });
      expect(status).toBe(200);
      const fixture = fixtureOf(source.document_source_id);
      const document = uploaded.get(fixture) as Uploaded;
      expect(body).toMatchObject({
        document_id: document.document_id,
        document_name: document.document_name,
        s3_key: document.s3_key,
        passage_id: source.passage_id,
        passage_index: source.passage_index,
        passage: source.referenced_text,
      });
      expect(body.before.length).toBeLessThanOrEqual(3);
      expect(body.after.length).toBeLessThanOrEqual(3);
      for (const paragraph of [...body.before, ...body.after]) expect(paragraph.trim()).not.toBe("");
      // Before, passage and after are one stretch of the source, in this order.
      const stretch = normalizeSpace([...body.before, body.passage, ...body.after].join(" "));
      expect(await fullTextOf(fixture)).toContain(stretch);
      // Only the document's start or end leaves fewer than three on a side.
      const text = await fullTextOf(fixture);
      if (body.before.length < 3) expect(text.startsWith(normalizeSpace([...body.before, body.passage].join(" ")))).toBe(true);
      if (body.after.length < 3) expect(text.endsWith(normalizeSpace([body.passage, ...body.after].join(" ")))).toBe(true);
    }
    expect(checked.size).toBeGreaterThan(3);
  });

  test("paragraphs asks for more or less context; out of range → 422 naming it", async () => {
    const all = await allSources();
    const source = all.find((s) => s.passage_index >= 3) ?? all[0];
    const one = await context({ document_source_id: source?.document_source_id, passage_id: source?.passage_id, paragraphs: 1 });
    expect(one.status).toBe(200);
    expect(one.body.before.length).toBeLessThanOrEqual(1);
    expect(one.body.after.length).toBeLessThanOrEqual(1);
    const none = await context({ document_source_id: source?.document_source_id, passage_id: source?.passage_id, paragraphs: 0 });
    expect([none.body.before, none.body.after]).toEqual([[], []]);
    const bad = await context({ document_source_id: source?.document_source_id, passage_id: source?.passage_id, paragraphs: 500 });
    expect(bad.status).toBe(422);
    expect(bad.body.detail?.[0]).toMatchObject({ msg: "paragraphs: must be a whole number from 0 to 20" });
  });

  test("another organization → 403; a passage of another document or none → 404; missing fields → 422 naming them", async () => {
    const [source] = await allSources();
    if (!source) throw new Error("no sources recorded");
    const body = { document_source_id: source.document_source_id, passage_id: source.passage_id };
    expect((await context(body, otherToken)).status).toBe(403);
    const otherDocument = [...uploaded.values()].find((d) => d.document_id !== source.document_source_id) as Uploaded;
    const mismatched = await context({ document_source_id: otherDocument.document_id, passage_id: source.passage_id });
    expect(mismatched.status).toBe(404);
    expect(mismatched.body.detail).toMatch(/has no passage/);
    expect((await context({ document_source_id: source.document_source_id, passage_id: "nope:1" })).status).toBe(404);
    expect((await context({ document_source_id: "nope", passage_id: source.passage_id })).status).toBe(404);
    const noSource = await context({ passage_id: source.passage_id });
    expect([noSource.status, namedFields(noSource.body)]).toEqual([422, ["document_source_id"]]);
    const noPassage = await context({ document_source_id: source.document_source_id });
    expect([noPassage.status, namedFields(noPassage.body)]).toEqual([422, ["passage_id"]]);
  });

  test("the source file itself downloads through a presigned URL made from the source's s3_key", async () => {
    const [source] = (await Promise.all(stored.map((section) => server.app.sidecar.storage.generation.sources(generatedId, section.section_id)))).flat();
    const presigned = await post<{ url: string }>(endpoints.presignedUrl.path, { key: source?.s3_key });
    expect(presigned.status).toBe(200);
    const file = await fetch(presigned.body.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(readFixture(fixtureOf(source?.document_source_id as string)))).toBe(true);
  });
});

describe("while generating, and after the document changes", () => {
  test("a generated document that is not Ready yet → 409 saying so", async () => {
    const slow = await startServer({ SIDECAR_PIPELINE_STEP_DELAY_MS: "5000" });
    try {
      const slowToken = (await signIn(slow.url)).ejento_access_token;
      const file = (await (await upload(slow.url, slowToken, readFixture(NUTRITION), NUTRITION)).json()) as Uploaded;
      const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(slow.url, endpoints.listDocumentSets.path, slowToken);
      const set = sets.body.document_sets[0] as { document_set_id: string; document_set_name: string };
      const generated = await postJson(slow.url, endpoints.generateDocument.path, slowToken, {
        document_type: "CSR",
        file_paths: [file.s3_key],
        connector_data_id: set.document_set_id,
        workspace_name: set.document_set_name,
        template_id: TEMPLATE_ID,
        output_name: "Slow one",
      });
      const id = ((await generated.json()) as { task_id: string }).task_id;
      const response = await postJson(slow.url, endpoints.getSectionsForDocument.path, slowToken, { document_id: id });
      expect(response.status).toBe(409);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/is still being generated \((Pending|Ingesting)\)/);
    } finally {
      await slow.close();
    }
  });

  test("when a generation completes again, the sections are read afresh (the cache follows the document's version)", async () => {
    const storage = server.app.sidecar.storage;
    const before = await post<{ sections: Array<{ section_id: string }> }>(endpoints.getSectionsForDocument.path, { document_id: generatedId });
    expect(before.body.sections.length).toBe(templateSections.length);
    await storage.generation.complete(generatedId, Buffer.from("a different file"), [
      { sectionId: "only-section", sectionTitle: "Only section", level: 1, text: "Nothing else is left.", sources: [] },
    ]);
    const after = await post(endpoints.getSectionsForDocument.path, { document_id: generatedId });
    expect(after.body).toEqual({ sections: [{ section_id: "only-section", section_title: "Only section", section_order: 0 }] });
    expect((await sources({ document_id: generatedId, selected_text: "nothing else is left" })).body).toEqual({
      section_id: "only-section",
      section_title: "Only section",
      sources: [],
    });
  });

  test("the outline cache builds once per document version and stays within its bounds", async () => {
    const storage = server.app.sidecar.storage;
    const cache = new OutlineCache(storage, limits, undefined, { maxEntries: 2, maxChars: 1e9 });
    const nutrition = await storage.documents.get((uploaded.get(NUTRITION) as Uploaded).document_id);
    const complex = await storage.documents.get((uploaded.get(COMPLEX) as Uploaded).document_id);
    if (!nutrition || !complex) throw new Error("uploads missing");
    const [a, b] = await Promise.all([cache.outline(nutrition), cache.outline(nutrition)]);
    expect(a).toBe(b);
    expect(await cache.outline(nutrition)).toBe(a);
    const changed = await cache.outline({ ...nutrition, updated_at: "2100-01-01T00:00:00.000Z" });
    expect(changed).not.toBe(a);
    expect(changed.listing).toEqual(a.listing);
    await cache.outline(complex);
    expect(cache.size).toBeLessThanOrEqual(2);
    const tiny = new OutlineCache(storage, limits, undefined, { maxEntries: 100, maxChars: 10 });
    await tiny.outline(nutrition);
    await tiny.outline(complex);
    expect(tiny.size).toBe(1);
  });
});
