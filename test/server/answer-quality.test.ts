// Extractive answers that answer (issue 16), over real HTTP without a model: the sentence that
// answers comes first, quoted and cited; a definitional question gets the definition, not a hedged
// remark about it; only cited passages become references; "Summarise" covers every top-level
// section in order; several documents are named; rewording says it needs a model.
import { REWRITE_NEEDS_MODEL } from "../../src/server/services/chat/chat";
import { isDefinitional, isRewriteRequest } from "../../src/server/services/chat/extract";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { Answer } from "../../src/shared/wire/chat";
import { answerPath, ask } from "./chat-helpers";
import { postJson, signIn, startServer, type TestServer } from "./helpers";
import { BEES, corpusDocument, GOVERNANCE, uploadCorpusDocument, VOLCANOES } from "./quality-corpus";

let server: TestServer;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
  token = (await signIn(server.url)).ejento_access_token;
  for (const name of [GOVERNANCE, BEES, VOLCANOES]) ids[name] = (await uploadCorpusDocument(server.url, token, name)).document_id;
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function answer(question: string, documents: string[], extra: Record<string, unknown> = {}, agent = 1): Promise<Answer> {
  const response = await postJson(server.url, answerPath(agent), token, ask(question, { overrides: { document_ids: documents.map((name) => ids[name]), ...extra } }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Answer }).data;
}

const DEFINITION = corpusDocument(GOVERNANCE).sections[1]!.paragraphs[0]!;

test("a definitional question is answered with the document's definition, quoted first and cited", async () => {
  const output = await answer("What working definition of Internet governance does the report propose?", [GOVERNANCE, BEES, VOLCANOES]);
  const firstLine = output.answer.split("\n")[0]!;
  expect(firstLine).toBe(`“${DEFINITION}” [1]`);
  const first = output.references.find((reference) => reference.number === 1);
  expect(first?.text).toContain(DEFINITION);
  // The hedged remark about the definition is not the answer.
  expect(firstLine).not.toMatch(/seems to fit|arguably/);
});

test("only the passages an answer cites are its references, numbered in the order they are cited", async () => {
  for (const question of ["What does ICANN coordinate?", "What are lahars?", "How often do beekeepers inspect a hive?"]) {
    const output = await answer(question, [GOVERNANCE, BEES, VOLCANOES]);
    const cited = [...output.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    const firstCited = [...new Set(cited)];
    expect(output.references.map((reference) => reference.number)).toEqual(firstCited);
    expect(firstCited).toEqual(firstCited.map((_, i) => i + 1));
    // At most a few supporting sentences, each cited once.
    expect(cited.length).toBeLessThanOrEqual(4);
  }
});

test("an answer drawing on several documents names the document of each sentence; one drawing on one does not", async () => {
  const several = await answer("What do seismometers and beekeepers record or inspect?", [BEES, VOLCANOES]);
  const documentsCited = new Set(several.references.map((reference) => reference.document_id));
  expect(documentsCited.size).toBe(2);
  expect(several.answer).toContain(`*${BEES}:*`);
  expect(several.answer).toContain(`*${VOLCANOES}:*`);
  const one = await answer("What are pyroclastic flows?", [VOLCANOES]);
  expect(one.answer).not.toContain(`*${VOLCANOES}:*`);
});

test("“Summarise this document” gives each top-level section's lead sentence, in order, cited", async () => {
  const document = corpusDocument(GOVERNANCE);
  const output = await answer("Summarise this document", [GOVERNANCE]);
  const lines = output.answer.split("\n").filter((line) => line.startsWith("- "));
  expect(lines).toHaveLength(document.sections.length);
  document.sections.forEach((section, i) => {
    const line = lines[i]!;
    expect(line).toContain(`**${section.title}:**`);
    expect(line).toContain(section.paragraphs[0]!.slice(0, 60));
    const number = Number(/\[(\d+)\]/.exec(line)?.[1]);
    expect(output.references.find((reference) => reference.number === number)?.text).toContain(section.paragraphs[0]!);
  });
});

test("rewording without a model says that it needs one instead of returning an extract; the drafting agent too", async () => {
  for (const agent of [1, 2]) {
    const output = await answer("Reword the selected text more concisely", [GOVERNANCE], { selected_text: DEFINITION }, agent);
    expect(output.answer).toBe(REWRITE_NEEDS_MODEL);
    expect(output.references).toEqual([]);
  }
});

test("the capabilities answer says answers are extracts and rewording is not available without a model; 401 without a token", async () => {
  const response = await fetch(server.url + endpoints.capabilities.path, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    success: true,
    message: "",
    data: { answers: "extracts", model: { configured: false, name: null }, rewording: false, generation: "extracts" },
  });
  expect((await fetch(server.url + endpoints.capabilities.path)).status).toBe(401);
});

test("which questions ask for a definition, and which ask for a rewording", () => {
  const definitional = ["What is volcanic tremor?", "What are drones?", "What's a lahar?", "Define Internet governance", "What does multistakeholder mean?", "What working definition of Internet governance does the report propose?", "Give me the meaning of tremor"];
  const not = ["Who proposed the definition of Internet governance?", "How is the root coordinated?", "When was the forum created?", "Summarise this document", "What do critics say about the model?"];
  expect(definitional.filter((q) => !isDefinitional(q))).toEqual([]);
  expect(not.filter((q) => isDefinitional(q))).toEqual([]);
  const rewording = ["Reword the selected text more concisely", "Rewrite this paragraph", "Rephrase it", "Make it shorter", "Make the selected text more formal", "Simplify this"];
  const questions = ["What does the report recommend?", "Draft an introduction for this report", "Summarise this document"];
  expect(rewording.filter((q) => !isRewriteRequest(q))).toEqual([]);
  expect(questions.filter((q) => isRewriteRequest(q))).toEqual([]);
});
