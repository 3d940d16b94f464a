// Generating a document from a template over real HTTP: the pipeline's stages, the .docx it
// writes (downloaded through a presigned URL, read back independently), the sources it records,
// the request's checks, and organization isolation.
import path from "node:path";
import { readDocxParagraphs } from "../../src/server/docx/paragraphs";
import type { TemplateResponse as Template } from "../../src/server/services/templates";
import { addUser } from "../../src/server/services/users";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { DocumentDetailResponse, GenerateAccepted, UploadedDocument as Uploaded } from "../../src/shared/wire/documents";
import {
  FIXTURE_DIR,
  bearer,
  getJson,
  listDocuments,
  namedFields,
  normalizeSpace,
  postJson,
  readBackDocx,
  readFixture,
  signIn,
  startServer,
  upload,
  waitForDocument,
  type TestServer,
} from "./helpers";

/** An answer to generate: accepted, or refused with words (400) or the fields it names (422). */
type GenerateAnswer = Partial<GenerateAccepted & ErrorBody>;

const NUTRITION = "openxml-sdk-nutrition-report.docx";
const COMPLEX = "openxml-sdk-complex0.docx";
const TABLES = "mammoth-tables.docx";
const STYLES = "python-docx-par-known-styles.docx";
const limits = { maxUnpackedBytes: 500 * 1024 * 1024, maxEntries: 5000 };

let server: TestServer;
let token: string;
let otherToken: string;
let workspace: { document_set_id: string; document_set_name: string };
let templates: Template[];
const uploaded = new Map<string, Uploaded>();
let outputCounter = 0;

function uniqueOutput(prefix: string): string {
  outputCounter += 1;
  return `${prefix} ${outputCounter}`;
}

function studyTemplate(): Template {
  const template = templates.find((t) => t.template_name === "Study report summary");
  if (!template) throw new Error("no built-in Study report summary");
  return template;
}

function requestFor(files: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const template = studyTemplate();
  return {
    document_type: template.document_type,
    file_paths: files.map((name) => uploaded.get(name)?.s3_key),
    connector_data_id: workspace.document_set_id,
    workspace_name: workspace.document_set_name,
    template_id: template.template_id,
    output_name: uniqueOutput("Report"),
    ...overrides,
  };
}

async function generate(body: unknown, as = token): Promise<{ status: number; body: GenerateAnswer }> {
  const response = await postJson(server.url, endpoints.generateDocument.path, as, body);
  return { status: response.status, body: (await response.json()) as GenerateAnswer };
}

/** One document with its sections' text (asked for: the local server leaves it out otherwise). */
async function getDocument(id: string, as = token) {
  const { status, body } = await getJson<DocumentDetailResponse>(server.url, `${fillPath(endpoints.getDocument.path, { document_id: id })}?include=section_text`, as);
  return { status, body: body as DocumentDetailResponse & { document: { sections: Array<{ text: string }> } } };
}

async function download(key: string): Promise<Response> {
  const presigned = await postJson(server.url, endpoints.presignedUrl.path, token, { key });
  expect(presigned.status).toBe(200);
  const { url } = (await presigned.json()) as { url: string };
  expect(url.startsWith(`${server.url}/files/`)).toBe(true);
  return fetch(url); // no Authorization header
}

const sourceText = new Map<string, string>();
async function fullTextOf(fixture: string): Promise<string> {
  if (!sourceText.has(fixture)) {
    const paragraphs = await readDocxParagraphs(path.join(FIXTURE_DIR, fixture), limits);
    sourceText.set(fixture, normalizeSpace(paragraphs.map((p) => p.text).join(" ")));
  }
  return sourceText.get(fixture) as string;
}

/** Every recorded source of every section is a stored passage of one of `fixtures`, and says so correctly. */
async function expectSourcesFrom(documentId: string, fixtures: string[]): Promise<number> {
  const storage = server.app.sidecar.storage;
  const byId = new Map(fixtures.map((name) => [uploaded.get(name)?.document_id as string, name]));
  let count = 0;
  for (const section of await storage.generation.sections(documentId)) {
    for (const source of await storage.generation.sources(documentId, section.section_id)) {
      count += 1;
      const fixture = byId.get(source.document_source_id);
      expect(fixture).toBeDefined();
      const document = uploaded.get(fixture as string) as Uploaded;
      expect(source.document_source_name).toBe(document.document_name);
      expect(source.s3_key).toBe(document.s3_key);
      expect(await fullTextOf(fixture as string)).toContain(normalizeSpace(source.referenced_text));
      // ...and it is the stored passage it names, so it can be shown in context later.
      const passage = await storage.passages.get(source.passage_id);
      expect(passage).toMatchObject({
        document_id: source.document_source_id,
        passage_index: source.passage_index,
        text: source.referenced_text,
      });
    }
  }
  return count;
}

/** The downloaded .docx: title, one Heading 1 per section in order with text under it, the id property. */
async function expectWellFormedDocx(documentId: string, outputName: string, sectionTitles: string[]) {
  const { body } = await getDocument(documentId);
  const response = await download(body.document.s3_key);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  expect(response.headers.get("content-disposition")).toContain(`filename="${outputName}.docx"`);
  const docx = readBackDocx(new Uint8Array(await response.arrayBuffer()));

  expect(docx.customProperties).toEqual({ SidecarDocumentId: documentId });
  expect(docx.paragraphs[0]).toEqual({ style: "Title", text: outputName });
  const headings = docx.paragraphs.filter((p) => p.style === "Heading1").map((p) => p.text);
  expect(headings).toEqual(sectionTitles);
  // Under each heading, at least one non-empty paragraph; together they are the section's text.
  const under = new Map<string, string[]>();
  let current: string | null = null;
  for (const paragraph of docx.paragraphs.slice(1)) {
    if (paragraph.style === "Heading1") {
      current = paragraph.text;
      under.set(current, []);
    } else if (current !== null) {
      under.get(current)?.push(paragraph.text);
    }
  }
  for (const section of body.document.sections) {
    const paragraphs = under.get(section.section_title) ?? [];
    expect(paragraphs.filter((p) => p.trim()).length).toBeGreaterThan(0);
    expect(paragraphs.join("\n\n")).toBe(section.text);
  }
  return docx;
}

beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  for (const name of [NUTRITION, COMPLEX, TABLES, STYLES]) {
    const response = await upload(server.url, token, readFixture(name), name);
    expect(response.status).toBe(201);
    uploaded.set(name, (await response.json()) as Uploaded);
  }
  const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(
    server.url,
    endpoints.listDocumentSets.path,
    token,
  );
  workspace = sets.body.document_sets.find((set) => set.document_set_name === "Demo workspace") as typeof workspace;
  expect(workspace).toBeDefined();
  templates = (await getJson<{ templates: Template[] }>(server.url, endpoints.listTemplates.path, token)).body.templates;

  await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
  otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
});
afterAll(() => server.close());

describe("generating from the nutrition report", () => {
  let documentId: string;
  const outputName = "Nutrition study summary";

  test("202 with the new document's id, Ready well under 5 s", async () => {
    const started = Date.now();
    const { status, body } = await generate(requestFor([NUTRITION], { output_name: `${outputName}.docx` }));
    expect(status).toBe(202);
    expect(body.message).toMatch(/accepted/i);
    documentId = body.task_id as string;
    const { final } = await waitForDocument(server.url, token, documentId, { intervalMs: 10 });
    const elapsed = Date.now() - started;
    expect(final).toEqual({ task_id: documentId, status: "Ready", progress: 100, error: null, queued_at: expect.any(String), finished_at: expect.any(String) });
    expect(elapsed).toBeLessThan(2500);
    // The status says how long it took (from the request to Ready), within what the client saw.
    const took = Date.parse(final.finished_at!) - Date.parse(final.queued_at!);
    expect(took).toBeGreaterThanOrEqual(0);
    expect(took).toBeLessThanOrEqual(elapsed);
  });

  test("the document has the template's sections, in order, each with text", async () => {
    const template = studyTemplate();
    const { status, body } = await getDocument(documentId);
    expect(status).toBe(200);
    expect(body.document).toMatchObject({
      document_id: documentId,
      document_name: `${outputName}.docx`,
      status: "Ready",
      s3_key: `${(uploaded.get(NUTRITION) as Uploaded).s3_key.split("/")[0]}/documents/${documentId}.docx`,
      workspace_id: workspace.document_set_id,
      template: { template_id: template.template_id, template_name: template.template_name },
    });
    expect(body.document.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(body.document.sections.map((s) => [s.section_id, s.section_title, s.section_order])).toEqual(
      template.sections.map((s, index) => [s.section_id, s.section_name, index]),
    );
    for (const section of body.document.sections) expect(section.text.trim().length).toBeGreaterThan(40);
    // Extractive prose from the report: its words, not the template's.
    const all = body.document.sections.map((s) => s.text).join(" ");
    expect(all).toMatch(/nutrition/i);
    expect(all.length).toBeLessThan(template.sections.length * 1600);
    // No sentence appears twice in the document.
    const sentences = all.split(/(?<=[.!?])\s+/).map((s) => s.toLowerCase());
    expect(sentences.filter((s, i) => sentences.indexOf(s) !== i)).toEqual([]);
  });

  test("the .docx downloads through a presigned URL with no auth header and opens as a Word document", async () => {
    await expectWellFormedDocx(documentId, outputName, studyTemplate().sections.map((s) => s.section_name));
  });

  test("each section's sources are real passages of the report", async () => {
    expect(await expectSourcesFrom(documentId, [NUTRITION])).toBeGreaterThanOrEqual(studyTemplate().sections.length - 2);
  });

  test("the documents list shows it with its status and kind", async () => {
    const listed = (await listDocuments(server.url, token)).find((d) => d.document_id === documentId);
    expect(listed).toMatchObject({
      document_name: `${outputName}.docx`,
      status: "Ready",
      kind: "generated",
      workspace_id: workspace.document_set_id,
      template: { template_id: studyTemplate().template_id, template_name: "Study report summary" },
    });
    const local = (await listDocuments(server.url, token)).find((d) => d.document_id === uploaded.get(NUTRITION)?.document_id);
    expect(local).toMatchObject({ status: "Ready", kind: "local" });
  });

  test("the report's passages are extracted once and reused by later generations", async () => {
    const storage = server.app.sidecar.storage;
    const sourceId = (uploaded.get(NUTRITION) as Uploaded).document_id;
    const before = await storage.passages.listForDocuments([sourceId]);
    expect(before.length).toBeGreaterThan(5);
    for (const passage of before) {
      expect(passage.text.length).toBeLessThanOrEqual(1400);
      expect(passage.heading === null || typeof passage.heading === "string").toBe(true);
    }
    const { body } = await generate(requestFor([NUTRITION]));
    await waitForDocument(server.url, token, body.task_id as string);
    expect(await storage.passages.listForDocuments([sourceId])).toEqual(before);
  });
});

describe("other fixtures and several sources at once", () => {
  test.each([
    ["the complex Word sample", [COMPLEX], "builtin-briefing-note"],
    ["a table and a styled document", [TABLES, STYLES], "builtin-study-report-summary"],
    ["four sources together", [NUTRITION, COMPLEX, TABLES, STYLES], "builtin-literature-review"],
  ])("%s → Ready, a well-formed .docx, sources from the right documents", async (_label, files, templateId) => {
    const template = templates.find((t) => t.template_id === templateId) as Template;
    const outputName = uniqueOutput("Multi");
    const { status, body } = await generate(requestFor(files, { template_id: templateId, document_type: template.document_type, output_name: outputName }));
    expect(status).toBe(202);
    const id = body.task_id as string;
    expect((await waitForDocument(server.url, token, id)).final.status).toBe("Ready");
    await expectWellFormedDocx(id, outputName, template.sections.map((s) => s.section_name));
    await expectSourcesFrom(id, files);
  });

  test("with four sources, sections draw on more than one document; a section nothing matches says so", async () => {
    const { body } = await generate(requestFor([NUTRITION, COMPLEX, TABLES, STYLES], { template_id: "builtin-literature-review" }));
    const id = body.task_id as string;
    await waitForDocument(server.url, token, id);
    const storage = server.app.sidecar.storage;
    const sourceDocs = new Set<string>();
    for (const section of await storage.generation.sections(id)) {
      for (const source of await storage.generation.sources(id, section.section_id)) sourceDocs.add(source.document_source_id);
    }
    expect(sourceDocs.size).toBeGreaterThanOrEqual(2);

    const { body: onlyTables } = await generate(requestFor([TABLES]));
    const tablesId = onlyTables.task_id as string;
    await waitForDocument(server.url, token, tablesId);
    const { body: doc } = await getDocument(tablesId);
    const empty = [];
    for (const section of doc.document.sections) if ((await storage.generation.sources(tablesId, section.section_id)).length === 0) empty.push(section);
    expect(empty.length).toBeGreaterThan(0);
    for (const section of empty) expect(section.text).toMatch(/do not seem to cover/);
  });
});

describe("the pipeline's stages", () => {
  test("a slowed job goes Pending/Ingesting → Generating → Ready with progress rising", async () => {
    const slow = await startServer({ SIDECAR_PIPELINE_STEP_DELAY_MS: "120" });
    try {
      const slowToken = (await signIn(slow.url)).ejento_access_token;
      const file = (await (await upload(slow.url, slowToken, readFixture(NUTRITION), NUTRITION)).json()) as Uploaded;
      const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(
        slow.url,
        endpoints.listDocumentSets.path,
        slowToken,
      );
      const set = sets.body.document_sets[0] as { document_set_id: string; document_set_name: string };
      const response = await postJson(slow.url, endpoints.generateDocument.path, slowToken, {
        document_type: "CSR",
        file_paths: [file.s3_key],
        document_set_key: set.document_set_id,
        document_set_name: set.document_set_name,
        generic_mrt_id: "builtin-study-report-summary",
        output_name: "Slow",
      });
      expect(response.status).toBe(202);
      const id = ((await response.json()) as { task_id: string }).task_id;
      const { final, seen } = await waitForDocument(slow.url, slowToken, id, { intervalMs: 15 });
      expect(final.status).toBe("Ready");
      const statuses = seen.map((s) => s.status).filter((s, i, all) => all.indexOf(s) === i);
      expect(statuses).toEqual(expect.arrayContaining(["Ingesting", "Generating", "Ready"]));
      expect(statuses.indexOf("Ingesting")).toBeLessThan(statuses.indexOf("Generating"));
      const progress = seen.map((s) => s.progress as number);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(new Set(progress).size).toBeGreaterThanOrEqual(4);
      for (const s of seen) expect(s.error).toBeNull();
      // Until it ends there is no finish time; then it is fixed: read again, the same times.
      for (const s of seen.slice(0, -1)) expect(s.finished_at).toBeNull();
      expect(Date.parse(final.finished_at!) - Date.parse(final.queued_at!)).toBeGreaterThanOrEqual(120);
      const again = await getJson<typeof final>(slow.url, fillPath(endpoints.documentStatus.path, { document_id: id }), slowToken);
      expect(again.body).toEqual(final);
    } finally {
      await slow.close();
    }
  });
});

describe("the request", () => {
  test("the alias names work like the primary ones", async () => {
    const template = studyTemplate();
    const { status, body } = await generate({
      document_type: "CSR",
      file_paths: [(uploaded.get(NUTRITION) as Uploaded).s3_key],
      document_set_key: workspace.document_set_id,
      document_set_name: workspace.document_set_name,
      generic_mrt_id: template.template_id,
      output_name: uniqueOutput("Aliased"),
    });
    expect(status).toBe(202);
    expect((await waitForDocument(server.url, token, body.task_id as string)).final.status).toBe("Ready");
  });

  test("the same output_name in the same organization returns the existing task_id and creates nothing", async () => {
    const request = requestFor([NUTRITION], { output_name: "Once only" });
    const first = await generate(request);
    expect(first.status).toBe(202);
    const countBefore = (await listDocuments(server.url, token)).length;
    const again = await generate({ ...request, output_name: "Once only.docx", template_id: "builtin-briefing-note" });
    expect(again.status).toBe(202);
    expect(again.body.task_id).toBe(first.body.task_id);
    expect(again.body.message).toMatch(/already generated/);
    expect((await listDocuments(server.url, token)).length).toBe(countBefore);
    await waitForDocument(server.url, token, first.body.task_id as string);
  });

  test.each([
    ["document_type", "document_type: is required"],
    ["file_paths", /^file_paths: is required/],
    ["connector_data_id", "connector_data_id: is required (or send document_set_key)"],
    ["workspace_name", "workspace_name: is required (or send document_set_name)"],
    ["template_id", "template_id: is required (or send generic_mrt_id)"],
    ["output_name", "output_name: is required"],
  ])("without %s → 422 naming it", async (field, message) => {
    const request = requestFor([NUTRITION]);
    delete request[field];
    const { status, body } = await generate(request);
    expect(status).toBe(422);
    expect(namedFields(body)).toEqual([field]);
    expect(body.detail?.[0]).toMatchObject({ loc: ["body", field], msg: typeof message === "string" ? message : expect.stringMatching(message) });
  });

  test("several missing fields are all named in one answer; blank strings count as missing", async () => {
    const { status, body } = await generate({ document_type: "  ", file_paths: [(uploaded.get(NUTRITION) as Uploaded).s3_key] });
    expect(status).toBe(422);
    expect(namedFields(body)).toEqual(["document_type", "connector_data_id", "workspace_name", "template_id", "output_name"]);
  });

  test.each([
    ["an empty file_paths", { file_paths: [] }, "file_paths", /file_paths: is empty/],
    ["file_paths that is not a list", { file_paths: "a/documents/b.docx" }, "file_paths", /file_paths: must be a list of s3_key strings/],
    ["an output_name of just .docx", { output_name: ".docx" }, "output_name", /output_name: is only "\.docx"/],
    ["an empty selected_section_ids", { selected_section_ids: [] }, "selected_section_ids", /selected_section_ids: is empty/],
  ])("%s → 422 naming it", async (_label, change, field, message) => {
    const response = await generate(requestFor([NUTRITION], change));
    expect(response.status).toBe(422);
    expect(namedFields(response.body)).toEqual([field]);
    expect(response.body.detail?.[0]).toMatchObject({ msg: expect.stringMatching(message) });
  });

  test("a body that is not an object → 422 saying what to send", async () => {
    const response = await generate([]);
    expect(response.status).toBe(422);
    expect(response.body.detail?.[0]).toMatchObject({ loc: ["body"], msg: expect.stringMatching(/Send the generation request as a JSON object/) });
  });

  test("an alias sent in place of a missing primary name is taken; a primary name wins over its alias", async () => {
    const request = requestFor([NUTRITION], { connector_data_id: null, document_set_key: workspace.document_set_id, template_id: "builtin-briefing-note", generic_mrt_id: "no-such-template" });
    const { status, body } = await generate(request);
    expect(status).toBe(202);
    await waitForDocument(server.url, token, body.task_id as string);
  });

  test("an unknown template → 400 template not found", async () => {
    const { status, body } = await generate(requestFor([NUTRITION], { template_id: "no-such-template" }));
    expect(status).toBe(400);
    expect(body.detail).toMatch(/^Template not found: there is no template "no-such-template"/);
  });

  test("an unknown document set → 400 document set not found", async () => {
    const { status, body } = await generate(requestFor([NUTRITION], { connector_data_id: "no-such-set" }));
    expect(status).toBe(400);
    expect(body.detail).toMatch(/^document set not found: .*"no-such-set"/);
  });

  test("a file_path of another organization (or unknown) → 400 naming it", async () => {
    const otherUpload = (await (await upload(server.url, otherToken, readFixture(NUTRITION), NUTRITION)).json()) as Uploaded;
    const mine = (uploaded.get(NUTRITION) as Uploaded).s3_key;
    const { status, body } = await generate(requestFor([], { file_paths: [mine, otherUpload.s3_key, "nope/documents/x.docx"] }));
    expect(status).toBe(400);
    expect(body.detail).toContain(`These file_paths cannot be read: "${otherUpload.s3_key}", "nope/documents/x.docx".`);
    expect(body.detail).not.toContain(mine);
  });

  test("another organization's document set is not found; that organization may reuse an output_name", async () => {
    const set = await postJson(server.url, endpoints.createDocumentSet.path, otherToken, { document_set_name: "Theirs" });
    const theirs = (await set.json()) as { document_set_id: string; document_set_name: string };
    const { body } = await generate(requestFor([NUTRITION], { connector_data_id: theirs.document_set_id }));
    expect(body.detail).toMatch(/^document set not found/);

    const mine = await generate(requestFor([NUTRITION], { output_name: "Shared name" }));
    const theirFile = (await (await upload(server.url, otherToken, readFixture(TABLES), TABLES)).json()) as Uploaded;
    const other = await generate(
      requestFor([], {
        file_paths: [theirFile.s3_key],
        connector_data_id: theirs.document_set_id,
        workspace_name: theirs.document_set_name,
        output_name: "Shared name",
      }),
      otherToken,
    );
    expect(other.status).toBe(202);
    expect(other.body.task_id).not.toBe(mine.body.task_id);
    await waitForDocument(server.url, otherToken, other.body.task_id as string);
    await waitForDocument(server.url, token, mine.body.task_id as string);
  });

  test("selected_section_ids restricts the sections (template order kept); unknown ids → 400", async () => {
    const template = studyTemplate();
    const chosen = [template.sections[4], template.sections[1]].map((s) => (s as Template["sections"][number]).section_id);
    const { status, body } = await generate(requestFor([NUTRITION], { selected_section_ids: chosen, document_instructions: "Focus on Europe." }));
    expect(status).toBe(202);
    const id = body.task_id as string;
    await waitForDocument(server.url, token, id);
    const { body: doc } = await getDocument(id);
    expect(doc.document.sections.map((s) => s.section_id)).toEqual([chosen[1], chosen[0]]);

    const bad = await generate(requestFor([NUTRITION], { selected_section_ids: [chosen[0], "not-a-section"] }));
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/selected_section_ids has ids that are not sections of the template "Study report summary": "not-a-section"/);
  });

  test("a generated document still in progress cannot be a source yet; a Ready one can", async () => {
    const { body } = await generate(requestFor([NUTRITION]));
    const first = body.task_id as string;
    await waitForDocument(server.url, token, first);
    const { body: doc } = await getDocument(first);
    const second = await generate(requestFor([], { file_paths: [doc.document.s3_key] }));
    expect(second.status).toBe(202);
    expect((await waitForDocument(server.url, token, second.body.task_id as string)).final.status).toBe("Ready");
  });

  test("generating needs a sign-in", async () => {
    const response = await postJson(server.url, endpoints.generateDocument.path, null, requestFor([NUTRITION]));
    expect(response.status).toBe(401);
  });
});

describe("status and document across organizations", () => {
  let documentId: string;
  beforeAll(async () => {
    const { body } = await generate(requestFor([NUTRITION]));
    documentId = body.task_id as string;
    await waitForDocument(server.url, token, documentId);
  });

  test("unknown ids → 404 with a detail", async () => {
    for (const path of [endpoints.documentStatus.path, endpoints.getDocument.path]) {
      const response = await fetch(server.url + fillPath(path, { document_id: "00000000-0000-4000-8000-000000000000" }), { headers: bearer(token) });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/no document with the id/);
    }
  });

  test("another organization's document → 403 for status and document", async () => {
    for (const path of [endpoints.documentStatus.path, endpoints.getDocument.path]) {
      const response = await fetch(server.url + fillPath(path, { document_id: documentId }), { headers: bearer(otherToken) });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/another organization/);
    }
    expect((await listDocuments(server.url, otherToken)).map((d) => d.document_id)).not.toContain(documentId);
  });

  test("a local document: status Ready, its headings as sections", async () => {
    const id = (uploaded.get(NUTRITION) as Uploaded).document_id;
    const status = await getJson(server.url, fillPath(endpoints.documentStatus.path, { document_id: id }), token);
    expect(status.body).toEqual({ task_id: id, status: "Ready", progress: 100, error: null });
    const { body } = await getDocument(id);
    expect(body.document.template).toBeNull();
    const titles = body.document.sections.map((s) => s.section_title);
    expect(titles).toContain("The West-East Divide");
    expect(body.document.sections.every((s, i) => s.section_order === i)).toBe(true);
    expect(body.document.sections.find((s) => s.section_title === "The West-East Divide")?.section_id).toBe("the-west-east-divide");
    expect(body.document.sections.find((s) => s.section_title === "The West-East Divide")?.text).toMatch(/Elinder/);
  });
});
