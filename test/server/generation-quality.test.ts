// Generation that follows the request (issue 16), over real HTTP: each section's passages come
// from its title, its instructions and the person's instructions, from every chosen source that has
// something relevant (and the section says which had nothing); the .docx has a Title-styled title
// and a footnote on every sentence naming the document and section it comes from. With a model
// (a fake OpenAI-compatible server started here) the model writes the sections, its citations
// become footnotes and sources, "not covered" passes through, and a timeout falls back to extracts
// with a note.
import { splitSentences } from "../../src/shared/text";
import { endpoints } from "../../src/shared/contract/endpoints";
import { bearer, getJson, postJson, readBackDocx, signIn, startServer, waitForDocument, type TestServer } from "./helpers";
import { writeGeneratedDocx } from "../../src/server/docx/write-docx";
import { BEES, CORPUS, corpusDocument, GOVERNANCE, uploadCorpusDocument, VOLCANOES } from "./quality-corpus";

interface Source {
  document_source_id: string;
  document_source_name: string;
  referenced_text: string;
  passage_id: string;
}

interface Setup {
  server: TestServer;
  token: string;
  ids: Record<string, { document_id: string; s3_key: string }>;
  templateId: string;
  setId: string;
}

async function setUp(env: Record<string, string> = {}): Promise<Setup> {
  const server = await startServer(env);
  const token = (await signIn(server.url)).ejento_access_token;
  const ids: Setup["ids"] = {};
  for (const name of [GOVERNANCE, BEES, VOLCANOES]) ids[name] = await uploadCorpusDocument(server.url, token, name);
  // A template whose headings are the sections and whose text under each is its instructions.
  const template = await writeGeneratedDocx({
    documentId: "template",
    title: "Quality template",
    sections: CORPUS.generation.template_sections.map((section) => ({ title: section.section_name, paragraphs: section.instructions ? [section.instructions] : [] })),
  });
  const form = new FormData();
  form.append("template_name", "Quality template");
  form.append("file", new Blob([new Uint8Array(template)]), "Quality template.docx");
  const uploaded = await fetch(server.url + endpoints.uploadTemplate.path, { method: "POST", headers: bearer(token), body: form });
  expect(uploaded.status).toBe(201);
  const templateId = ((await uploaded.json()) as { template_id: string }).template_id;
  const sets = await getJson<{ document_sets: Array<{ document_set_id: string }> }>(server.url, endpoints.listDocumentSets.path, token);
  return { server, token, ids, templateId, setId: sets.body.document_sets[0]!.document_set_id };
}

async function generate(s: Setup, name: string, sources: string[], instructions?: string): Promise<string> {
  const response = await postJson(s.server.url, endpoints.generateDocument.path, s.token, {
    document_type: "Report",
    file_paths: sources.map((source) => s.ids[source]!.s3_key),
    connector_data_id: s.setId,
    workspace_name: "Demo workspace",
    template_id: s.templateId,
    output_name: name,
    ...(instructions ? { document_instructions: instructions } : {}),
  });
  expect(response.status).toBe(202);
  const id = ((await response.json()) as { task_id: string }).task_id;
  expect((await waitForDocument(s.server.url, s.token, id, { timeoutMs: 20_000 })).final.status).toBe("Ready");
  return id;
}

/** Section title → its recorded sources (the Sources panel's answer). */
async function sectionSources(s: Setup, documentId: string): Promise<Map<string, Source[]>> {
  const listed = (await (await postJson(s.server.url, endpoints.getSectionsForDocument.path, s.token, { document_id: documentId })).json()) as {
    sections: Array<{ section_id: string; section_title: string }>;
  };
  const out = new Map<string, Source[]>();
  for (const section of listed.sections) {
    const answer = (await (await postJson(s.server.url, endpoints.getSourcesForSelectedText.path, s.token, { document_id: documentId, section_id: section.section_id })).json()) as {
      sources: Source[];
    };
    out.set(section.section_title, answer.sources);
  }
  return out;
}

async function downloaded(s: Setup, documentId: string) {
  const { body } = await getJson<{ document: { s3_key: string } }>(s.server.url, `/api/v1/documents/${documentId}`, s.token);
  const presigned = (await (await postJson(s.server.url, endpoints.presignedUrl.path, s.token, { key: body.document.s3_key })).json()) as { url: string };
  return readBackDocx(new Uint8Array(await (await fetch(presigned.url)).arrayBuffer()));
}

/** The corpus text under a heading of a document, to check a footnote points at a real passage. */
function sectionText(documentName: string, heading: string): string {
  return corpusDocument(documentName).sections.find((section) => section.title === heading)?.paragraphs.join(" ") ?? "";
}

describe("without a model", () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setUp();
  }, 60_000);
  afterAll(async () => s?.server.close());

  test("a Title-styled title, and every sentence footnoted with the document and section of the passage it comes from", async () => {
    const id = await generate(s, "Governance brief", [GOVERNANCE, BEES, VOLCANOES], CORPUS.generation.instructions);
    const docx = await downloaded(s, id);
    expect(docx.paragraphs[0]).toEqual({ style: "Title", text: "Governance brief" });
    let footnoted = 0;
    for (const paragraph of docx.paragraphs.filter((p) => p.style === null && p.footnotes)) {
      const sentences = splitSentences(paragraph.text);
      expect(paragraph.footnotes).toHaveLength(sentences.length);
      sentences.forEach((sentence, i) => {
        const note = /^(.+\.docx), “(.+)”\.$/.exec(paragraph.footnotes![i]!);
        expect(note).not.toBeNull();
        // The footnote points at the section the sentence was taken from.
        expect(sectionText(note![1]!, note![2]!)).toContain(sentence);
        footnoted++;
      });
    }
    expect(footnoted).toBeGreaterThanOrEqual(6);
    // The Recommendations section holds the workshop's recommendations, not a sentence that merely
    // uses the word ("its Recommendation D.50 deals with …").
    const at = docx.paragraphs.findIndex((p) => p.style === "Heading1" && p.text === "Recommendations");
    const recommendations = docx.paragraphs.slice(at + 1).map((p) => p.text).join(" ");
    expect(recommendations).toContain("The workshop recommends that governments publish their positions");
    expect(recommendations).not.toContain("D.50");
  });

  test("every chosen source with something relevant is used, and a section says which chosen source had nothing", async () => {
    const id = await generate(s, "Three sources", [GOVERNANCE, BEES, VOLCANOES]);
    const sources = await sectionSources(s, id);
    const monitoring = new Set(sources.get("Monitoring and inspections")!.map((source) => source.document_source_name));
    // The handbook monitors volcanoes; the guide inspects hives: both have something for this section.
    expect(monitoring).toEqual(new Set([BEES, VOLCANOES]));
    const { body } = await getJson<{ document: { sections: Array<{ section_title: string; text?: string; section_text?: string }> } }>(
      s.server.url,
      `/api/v1/documents/${id}`,
      s.token,
    );
    const docx = await downloaded(s, id);
    const texts = docx.paragraphs.map((p) => p.text);
    expect(texts).toContain(`Nothing in “${GOVERNANCE}” matched this section.`);
    expect(body.document.sections.length).toBe(CORPUS.generation.template_sections.length);
  });

  test("the person's instructions change the passages a section uses", async () => {
    const plain = await sectionSources(s, await generate(s, "Plain", [GOVERNANCE, BEES, VOLCANOES]));
    const focused = await sectionSources(s, await generate(s, "Focused", [GOVERNANCE, BEES, VOLCANOES], CORPUS.generation.instructions));
    const key = (list: Source[] | undefined) => (list ?? []).map((source) => source.passage_id).sort().join("|");
    const changed = [...plain.keys()].filter((title) => key(plain.get(title)) !== key(focused.get(title)));
    expect(changed.length).toBeGreaterThan(0);
    // A section whose title the sources don't use ("Background") has nothing without instructions;
    // with them, it draws on what they ask about.
    expect(plain.get("Background")).toEqual([]);
    expect(focused.get("Background")!.length).toBeGreaterThan(0);
    for (const source of focused.get("Background")!) expect(source.document_source_name).toBe(GOVERNANCE);
    // Focused on what Internet governance means: the definition is among the Definition section's sources.
    const definition = corpusDocument(GOVERNANCE).sections[1]!.paragraphs[0]!;
    expect(focused.get("Definition")!.some((source) => source.referenced_text.includes(definition))).toBe(true);
  });
});
