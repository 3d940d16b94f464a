// Generation and rewording with a model configured (issue 16): a fake OpenAI-compatible server
// started here writes each section; its [n] citations become footnotes and the section's sources,
// a sentence saying the sources don't cover something passes through without a footnote, and a
// model that doesn't answer in time leaves a section of extracts with a note, never a failed job.
// Chat's rewording goes to the model too.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { writeGeneratedDocx } from "../../src/server/docx/write-docx";
import { endpoints } from "../../src/shared/contract/endpoints";
import { readEvents, streamPath, ask } from "./chat-helpers";
import { bearer, getJson, postJson, readBackDocx, signIn, startServer, waitForDocument, type TestServer } from "./helpers";
import { GOVERNANCE, uploadCorpusDocument } from "./quality-corpus";

type Mode = "write" | "slow";
let mode: Mode = "write";
const requests: Array<{ stream: boolean; messages: Array<{ role: string; content: string }> }> = [];
let fake: http.Server;
let server: TestServer;
let token: string;
let source: { document_id: string; s3_key: string };

const WRITTEN = "Internet governance is shaped by governments, companies and civil society together [1].\n\nThe sources do not cover how it is funded.";
const REWORDED = ["Internet governance: ", "shared rules for the Internet [1]."];

beforeAll(async () => {
  fake = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      const body = JSON.parse(raw) as (typeof requests)[number];
      requests.push(body);
      if (body.stream) {
        response.writeHead(200, { "content-type": "text/event-stream" });
        for (const piece of REWORDED) response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
        response.end("data: [DONE]\n\n");
        return;
      }
      const answer = () => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: WRITTEN } }] }));
      };
      if (mode === "slow") setTimeout(answer, 1500);
      else answer();
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  server = await startServer({
    SIDECAR_CHAT_DELTA_DELAY_MS: "0",
    SIDECAR_LLM_BASE_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`,
    SIDECAR_LLM_MODEL: "tiny-model",
    SIDECAR_LLM_TIMEOUT_MS: "300",
  });
  token = (await signIn(server.url)).ejento_access_token;
  source = await uploadCorpusDocument(server.url, token, GOVERNANCE);
}, 30_000);

afterAll(async () => {
  await server?.close();
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

async function generateOne(name: string): Promise<string> {
  const form = new FormData();
  // Built-in templates have several sections; one section keeps the model's calls countable.
  const template = await writeGeneratedDocx({ documentId: "t", title: "T", sections: [{ title: "Definition", paragraphs: ["What Internet governance means."] }] });
  form.append("file", new Blob([new Uint8Array(template)]), "One section.docx");
  const uploaded = (await (await fetch(server.url + endpoints.uploadTemplate.path, { method: "POST", headers: bearer(token), body: form })).json()) as { template_id: string };
  const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(server.url, endpoints.listDocumentSets.path, token);
  const response = await postJson(server.url, endpoints.generateDocument.path, token, {
    document_type: "Report",
    file_paths: [source.s3_key],
    connector_data_id: sets.body.document_sets[0]!.document_set_id,
    workspace_name: sets.body.document_sets[0]!.document_set_name,
    template_id: uploaded.template_id,
    output_name: name,
    document_instructions: "Keep it short.",
  });
  const id = ((await response.json()) as { task_id: string }).task_id;
  expect((await waitForDocument(server.url, token, id, { timeoutMs: 20_000 })).final.status).toBe("Ready");
  return id;
}

async function read(id: string) {
  const { body } = await getJson<{ document: { s3_key: string; sections: Array<{ section_id: string; text: string }> } }>(server.url, `/api/v1/documents/${id}?include=section_text`, token);
  const presigned = (await (await postJson(server.url, endpoints.presignedUrl.path, token, { key: body.document.s3_key })).json()) as { url: string };
  const docx = readBackDocx(new Uint8Array(await (await fetch(presigned.url)).arrayBuffer()));
  const sources = (await (await postJson(server.url, endpoints.getSourcesForSelectedText.path, token, { document_id: id, section_id: body.document.sections[0]!.section_id })).json()) as {
    sources: Array<{ referenced_text: string }>;
  };
  return { id, document: body.document, docx, sources: sources.sources };
}

test("the model writes the section: its citations become footnotes and sources; “not covered” passes through", async () => {
  mode = "write";
  requests.length = 0;
  const { id: documentId, document, docx, sources } = await read(await generateOne("Model written"));
  expect(requests).toHaveLength(1);
  const [system, user] = requests[0]!.messages;
  expect(system!.content).toMatch(/cite the passage/);
  expect(system!.content).toMatch(/do not cover/);
  expect(user!.content).toContain("Section to write: Definition");
  expect(user!.content).toContain("Instructions for the whole document: Keep it short.");
  const passageOne = /\[1\] [^\n]+\n([\s\S]+?)(?:\n\n\[2\] |$)/.exec(user!.content)![1]!;

  expect(document.sections[0]!.text).toBe("Internet governance is shaped by governments, companies and civil society together.\n\nThe sources do not cover how it is funded.");
  const body = docx.paragraphs.filter((p) => p.style === null);
  expect(body[0]).toMatchObject({ text: "Internet governance is shaped by governments, companies and civil society together.", footnotes: [expect.stringMatching(/^Internet governance report\.docx, “.+”\.$/)] });
  expect(body[1]).toEqual({ style: null, text: "The sources do not cover how it is funded." });
  // The section's sources are the passages the model cited: passage 1 only.
  expect(sources.map((s) => s.referenced_text)).toEqual([passageOne]);
  // Sentence by sentence: the cited sentence has passage 1 behind it; "not covered" cites nothing.
  const id = document.sections[0]!.section_id;
  const ask = async (selected: string) =>
    ((await (await postJson(server.url, endpoints.getSourcesForSelectedText.path, token, { document_id: documentId, section_id: id, selected_text: selected })).json()) as {
      selected_text_sources?: Array<{ referenced_text: string }>;
    }).selected_text_sources;
  expect((await ask("Internet governance is shaped by governments, companies and civil society together."))?.map((s) => s.referenced_text)).toEqual([passageOne]);
  expect(await ask("The sources do not cover how it is funded.")).toBeUndefined();
});

test("a model that does not answer in time leaves a section of extracts with a note; the job is Ready", async () => {
  mode = "slow";
  const { document } = await read(await generateOne("Model too slow"));
  expect(document.sections[0]!.text).toContain("This section is made of extracts from the sources: The language model did not answer within 300 ms.");
  expect(document.sections[0]!.text).toMatch(/Internet governance/);
});

test("rewording selected text goes to the model", async () => {
  requests.length = 0;
  const response = await fetch(server.url + streamPath(2), {
    method: "POST",
    headers: { ...bearer(token), "content-type": "application/json" },
    body: JSON.stringify(ask("Reword the selected text more concisely", { overrides: { document_ids: [source.document_id], selected_text: "Internet governance is the development and application of shared rules." } })),
  });
  const events = await readEvents(response);
  const end = events.find((event) => event.step === "end") as { output: { answer: string } } | undefined;
  expect(end?.output.answer).toBe(REWORDED.join(""));
  expect(requests[0]!.stream).toBe(true);
  expect(requests[0]!.messages[0]!.content).toContain("Internet governance is the development and application of shared rules.");
});

test("the capabilities answer names the connected model", async () => {
  const response = await fetch(server.url + endpoints.capabilities.path, { headers: bearer(token) });
  expect(((await response.json()) as { data: unknown }).data).toEqual({ answers: "model", model: { configured: true, name: "tiny-model" }, rewording: true, generation: "model" });
});
