// Templates (built-in and uploaded from a .docx with headings) and document sets, over real HTTP.
import type { TemplateResponse as Template } from "../../src/server/services/templates";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { DocumentSet } from "../../src/shared/wire/document-sets";
import {
  bearer,
  getJson,
  namedFields,
  postJson,
  readFixture,
  signIn,
  startServer,
  storedFiles,
  upload,
  waitForDocument,
  type TestServer,
} from "./helpers";


const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

let server: TestServer;
let token: string;
let otherToken: string;

async function uploadTemplate(
  bytes: Uint8Array,
  filename: string,
  fields: Array<[string, string]> = [],
  fieldsAfterFile = false,
  as = token,
  url = server.url,
): Promise<{ status: number; body: Template & { detail?: string } }> {
  const form = new FormData();
  const file = () => form.append("file", new Blob([new Uint8Array(bytes)], { type: DOCX_TYPE }), filename);
  if (!fieldsAfterFile) for (const [name, value] of fields) form.append(name, value);
  file();
  if (fieldsAfterFile) for (const [name, value] of fields) form.append(name, value);
  const response = await fetch(url + endpoints.uploadTemplate.path, { method: "POST", headers: bearer(as), body: form });
  return { status: response.status, body: (await response.json()) as Template & { detail?: string } };
}

async function listTemplates(as = token): Promise<Template[]> {
  const { status, body } = await getJson<{ templates: Template[] }>(server.url, endpoints.listTemplates.path, as);
  expect(status).toBe(200);
  return body.templates;
}

async function listSets(as = token): Promise<DocumentSet[]> {
  const { status, body } = await getJson<{ document_sets: DocumentSet[] }>(server.url, endpoints.listDocumentSets.path, as);
  expect(status).toBe(200);
  return body.document_sets;
}

beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
  otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
});
afterAll(() => server.close());

describe("templates", () => {
  test("the list has the built-in templates, each with 4-8 sections that carry instructions", async () => {
    const builtIns = (await listTemplates()).filter((t) => t.built_in);
    expect(builtIns.map((t) => [t.template_name, t.document_type])).toEqual(
      expect.arrayContaining([
        ["Study report summary", "CSR"],
        ["Briefing note", "Briefing"],
      ]),
    );
    expect(builtIns.find((t) => t.template_name === "Study report summary")?.sections.map((s) => s.section_name)).toEqual([
      "Background",
      "Objectives",
      "Methods",
      "Results",
      "Safety",
      "Conclusions",
    ]);
    expect(builtIns.find((t) => t.template_name === "Briefing note")?.sections.map((s) => s.section_name)).toEqual([
      "Purpose",
      "Key facts",
      "Issues",
      "Options",
      "Recommendation",
    ]);
    for (const template of builtIns) {
      expect(template.sections.length).toBeGreaterThanOrEqual(4);
      expect(template.sections.length).toBeLessThanOrEqual(8);
      template.sections.forEach((section, index) => {
        expect(section).toMatchObject({ order_index: index, level: 1 });
        expect(section.instructions.length).toBeGreaterThan(40);
      });
      expect(new Set(template.sections.map((s) => s.section_id)).size).toBe(template.sections.length);
    }
    // The same for every organization, with the same ids.
    expect((await listTemplates(otherToken)).filter((t) => t.built_in)).toEqual(builtIns);
  });

  test("built-in templates have the same ids on every server (fixed ids, not made per database)", async () => {
    const dataDir = server.dataDir;
    const before = (await listTemplates()).filter((t) => t.built_in);
    const again = await startServer({ SIDECAR_DATA_DIR: `${dataDir}-copy` });
    try {
      const againToken = (await signIn(again.url)).ejento_access_token;
      const { body } = await getJson<{ templates: Template[] }>(again.url, endpoints.listTemplates.path, againToken);
      expect(body.templates.filter((t) => t.built_in).map((t) => [t.template_id, t.sections.map((s) => s.section_id)])).toEqual(
        before.map((t) => [t.template_id, t.sections.map((s) => s.section_id)]),
      );
    } finally {
      await again.close();
    }
  });

  test("uploading the nutrition report makes a template of its headings, with the text under each as instructions", async () => {
    const { status, body } = await uploadTemplate(readFixture("openxml-sdk-nutrition-report.docx"), "Nutrition report.docx", [
      ["template_name", "Forum report"],
      ["document_type", "Press release"],
    ]);
    expect(status).toBe(201);
    expect(body).toMatchObject({ template_name: "Forum report", document_type: "Press release", built_in: false });
    const names = body.sections.map((s) => s.section_name);
    expect(names).toEqual(
      expect.arrayContaining(["Not only a problem of developing countries", "Notes for the EU and national governments", "The West-East Divide", "Time for action"]),
    );
    body.sections.forEach((section, index) => {
      expect(section.order_index).toBe(index);
      expect([1, 2, 3]).toContain(section.level);
    });
    const westEast = body.sections.find((s) => s.section_name === "The West-East Divide") as Template["sections"][number];
    expect(westEast.level).toBe(2);
    expect(westEast.instructions).toMatch(/^Liselotte Schäfer Elinder reported in her speech/);
    expect(westEast.instructions).not.toContain("Time for action");
    expect(body.sections.filter((s) => s.instructions.length > 100).length).toBeGreaterThanOrEqual(4);

    // Listed for this organization only, and usable for generation.
    expect((await listTemplates()).map((t) => t.template_id)).toContain(body.template_id);
    expect((await listTemplates(otherToken)).map((t) => t.template_id)).not.toContain(body.template_id);
    const source = (await (await upload(server.url, token, readFixture("openxml-sdk-nutrition-report.docx"), "n.docx")).json()) as { s3_key: string };
    const set = (await listSets())[0] as DocumentSet;
    const generated = await postJson(server.url, endpoints.generateDocument.path, token, {
      document_type: body.document_type,
      file_paths: [source.s3_key],
      connector_data_id: set.document_set_id,
      workspace_name: set.document_set_name,
      template_id: body.template_id,
      output_name: "From an uploaded template",
    });
    expect(generated.status).toBe(202);
    const taskId = ((await generated.json()) as { task_id: string }).task_id;
    expect((await waitForDocument(server.url, token, taskId)).final.status).toBe("Ready");
    const document = await getJson<{ document: { sections: Array<{ section_id: string; text: string }> } }>(
      server.url,
      endpoints.getDocument.path.replace("{document_id}", taskId),
      token,
    );
    expect(document.body.document.sections.map((s) => s.section_id)).toEqual(body.sections.map((s) => s.section_id));
    // Another organization cannot generate with it.
    const theirs = await postJson(server.url, endpoints.generateDocument.path, otherToken, {
      document_type: "x",
      file_paths: ["x"],
      connector_data_id: "x",
      workspace_name: "x",
      template_id: body.template_id,
      output_name: "x",
    });
    expect(((await theirs.json()) as { detail: string }).detail).toMatch(/^Template not found/);
  });

  test("fields after the file work too; without them the name is the file's and the type General", async () => {
    const after = await uploadTemplate(readFixture("openxml-sdk-complex0.docx"), "Complex.docx", [["template_name", "Late field"]], true);
    expect(after.status).toBe(201);
    expect(after.body.template_name).toBe("Late field");
    const bare = await uploadTemplate(readFixture("python-docx-par-known-styles.docx"), "Known styles.docx");
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ template_name: "Known styles", document_type: "General" });
    expect(bare.body.sections).toEqual([
      { section_id: expect.any(String), section_name: "Heading 1", order_index: 0, level: 1, instructions: "Body Text" },
    ]);
  });

  test.each(["mammoth-single-paragraph.docx", "mammoth-simple-list.docx", "mammoth-empty.docx"])(
    "%s has no headings → 400 saying templates need headings",
    async (name) => {
      const { status, body } = await uploadTemplate(readFixture(name), name);
      expect(status).toBe(400);
      expect(body.detail).toMatch(/no headings, and a template needs them/);
    },
  );

  test("the upload gets the same safety checks as a document upload, and leaves no temp files", async () => {
    const text = await uploadTemplate(Buffer.from("just some text"), "notes.docx");
    expect(text.status).toBe(400);
    expect(text.body.detail).toMatch(/not a Word document \(\.docx\)/);
    const pdf = await uploadTemplate(Buffer.from("%PDF-1.7\n..."), "report.docx");
    expect(pdf.body.detail).toMatch(/This file is a PDF/);
    const truncated = readFixture("openxml-sdk-nutrition-report.docx").subarray(0, 5000);
    const cut = await uploadTemplate(truncated, "cut.docx");
    expect(cut.status).toBe(400);
    expect(cut.body.detail).toMatch(/damaged or incomplete/);

    const json = await postJson(server.url, endpoints.uploadTemplate.path, token, { file: "x" });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { detail: string }).detail).toMatch(/multipart\/form-data, in a file field named "file"/);

    const form = new FormData();
    form.append("template", new Blob([new Uint8Array(readFixture("openxml-sdk-complex0.docx"))]), "x.docx");
    const wrongField = await fetch(server.url + endpoints.uploadTemplate.path, { method: "POST", headers: bearer(token), body: form });
    expect(wrongField.status).toBe(400);
    expect(((await wrongField.json()) as { detail: string }).detail).toMatch(/in a field named "template"/);

    const fieldsOnly = new FormData();
    fieldsOnly.append("template_name", "No file");
    const noFile = await fetch(server.url + endpoints.uploadTemplate.path, { method: "POST", headers: bearer(token), body: fieldsOnly });
    expect(noFile.status).toBe(400);
    expect(((await noFile.json()) as { detail: string }).detail).toMatch(/has no file/);

    expect((await storedFiles(server)).tmp).toEqual([]);
  });

  test("a template over the upload size limit → 413", async () => {
    const small = await startServer({ SIDECAR_MAX_UPLOAD_BYTES: "4096" });
    try {
      const smallToken = (await signIn(small.url)).ejento_access_token;
      const { status, body } = await uploadTemplate(readFixture("openxml-sdk-complex0.docx"), "big.docx", [], false, smallToken, small.url);
      expect(status).toBe(413);
      expect(body.detail).toMatch(/too large: the limit is/);
      expect((await storedFiles(small)).tmp).toEqual([]);
    } finally {
      await small.close();
    }
  });

  test("templates need a sign-in", async () => {
    expect((await fetch(server.url + endpoints.listTemplates.path)).status).toBe(401);
    expect((await fetch(server.url + endpoints.uploadTemplate.path, { method: "POST" })).status).toBe(401);
  });
});

describe("document sets", () => {
  test("the demo organization starts with a Demo workspace; another organization with none", async () => {
    const sets = await listSets();
    expect(sets.map((s) => s.document_set_name)).toContain("Demo workspace");
    expect(sets[0]).toEqual({
      document_set_id: expect.any(String),
      document_set_name: "Demo workspace",
      organization_id: expect.any(String),
      details: null,
      documents: expect.any(Array),
      version: 1,
      created_at: expect.any(String),
    });
    const fresh = await startServer();
    try {
      await addUser(fresh.app.sidecar.storage, { organizationName: "Acme", email: "a@acme.example", password: "acme-password" });
      const acme = (await signIn(fresh.url, "a@acme.example", "acme-password")).ejento_access_token;
      const { body } = await getJson<{ document_sets: DocumentSet[] }>(fresh.url, endpoints.listDocumentSets.path, acme);
      expect(body.document_sets).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  test("create → 201; the same name again (any case, extra spaces) → 200 with the same set", async () => {
    const created = await postJson(server.url, endpoints.createDocumentSet.path, token, { document_set_name: "Q1 CSR Documents" });
    expect(created.status).toBe(201);
    const set = (await created.json()) as DocumentSet;
    expect(set).toMatchObject({ document_set_name: "Q1 CSR Documents", details: null, documents: [], version: 1 });

    const again = await postJson(server.url, endpoints.createDocumentSet.path, token, { document_set_name: "  q1 csr   documents " });
    expect(again.status).toBe(200);
    expect(((await again.json()) as DocumentSet).document_set_id).toBe(set.document_set_id);
    expect((await listSets()).filter((s) => s.document_set_name.toLowerCase() === "q1 csr documents")).toHaveLength(1);

    // Another organization's set of the same name is its own.
    const theirs = await postJson(server.url, endpoints.createDocumentSet.path, otherToken, { document_set_name: "Q1 CSR Documents" });
    expect(theirs.status).toBe(201);
    expect(((await theirs.json()) as DocumentSet).document_set_id).not.toBe(set.document_set_id);
    expect((await listSets()).map((s) => s.document_set_id)).not.toContain(((await listSets(otherToken))[0] as DocumentSet).document_set_id);
  });

  test.each([
    ["no name", {}, /give the document set a name/],
    ["a blank name", { document_set_name: "   " }, /give the document set a name/],
    ["a name that is not a string", { document_set_name: 42 }, /must be a string/],
    ["a name that is too long", { document_set_name: "x".repeat(201) }, /at most 200 characters/],
  ])("%s → 422 naming document_set_name", async (_label, body, message) => {
    const response = await postJson(server.url, endpoints.createDocumentSet.path, token, body);
    expect(response.status).toBe(422);
    const answer = (await response.json()) as ErrorBody;
    expect(namedFields(answer)).toEqual(["document_set_name"]);
    expect(answer.detail[0]).toMatchObject({ msg: expect.stringMatching(message) });
  });

  test("a set lists the documents generated into it", async () => {
    const created = await postJson(server.url, endpoints.createDocumentSet.path, token, { document_set_name: "With a document" });
    const set = (await created.json()) as DocumentSet;
    const source = (await (await upload(server.url, token, readFixture("openxml-sdk-complex0.docx"), "c.docx")).json()) as { s3_key: string };
    const response = await postJson(server.url, endpoints.generateDocument.path, token, {
      document_type: "Briefing",
      file_paths: [source.s3_key],
      connector_data_id: set.document_set_id,
      workspace_name: set.document_set_name,
      template_id: "builtin-briefing-note",
      output_name: "In a set",
    });
    const taskId = ((await response.json()) as { task_id: string }).task_id;
    await waitForDocument(server.url, token, taskId);
    expect((await listSets()).find((s) => s.document_set_id === set.document_set_id)?.documents).toEqual([taskId]);
  });

  test("document sets need a sign-in", async () => {
    expect((await fetch(server.url + endpoints.listDocumentSets.path)).status).toBe(401);
    expect((await postJson(server.url, endpoints.createDocumentSet.path, null, { document_set_name: "x" })).status).toBe(401);
  });
});
