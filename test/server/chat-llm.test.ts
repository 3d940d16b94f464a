// Chat with an OpenAI-compatible model configured (SIDECAR_LLM_*): the answer is the model's
// streamed deltas relayed as assistant_stream, the system prompt carries the numbered passages,
// and the end event carries the same references as the extractive answer. The "model" is a tiny
// fake server started here.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { endpoints } from "../../src/shared/contract/endpoints";
import { postJson, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

interface Received {
  authorization: string | undefined;
  body: { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
}

const PIECES = ["Europeans underrate ", "nutrition problems ", "[1], and obesity ", "is rising [2]."];

let fake: http.Server;
let fakeUrl: string;
const received: Received[] = [];
let server: TestServer;

beforeAll(async () => {
  fake = http.createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    request.on("end", () => {
      received.push({ authorization: request.headers.authorization, body: JSON.parse(raw) as Received["body"] });
      response.writeHead(200, { "content-type": "text/event-stream" });
      let i = 0;
      const next = () => {
        if (i < PIECES.length) {
          response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: PIECES[i] } }] })}\n\n`);
          i++;
          setTimeout(next, 5);
        } else {
          response.end("data: [DONE]\n\n");
        }
      };
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { role: "assistant" } }] })}\n\n`);
      next();
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`;
  server = await startServer({
    SIDECAR_CHAT_DELTA_DELAY_MS: "0",
    SIDECAR_LLM_BASE_URL: fakeUrl,
    SIDECAR_LLM_API_KEY: "test-key",
    SIDECAR_LLM_MODEL: "tiny-model",
  });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => fake.close(resolve));
});

it("relays the model's deltas and ends with the passages as references", async () => {
  const token = (await signIn(server.url)).ejento_access_token;
  const name = "openxml-sdk-nutrition-report.docx";
  const documentId = ((await (await upload(server.url, token, readFixture(name), name)).json()) as { document_id: string }).document_id;
  const response = await postJson(server.url, endpoints.streamAgentResponse.path.replace("{agent_id}", "1"), token, {
    user_query: "What does the WHO say about obesity?",
    chat_thread_id: null,
    history: [{ user: "Earlier question", bot: "Earlier answer" }],
    overrides: { document_ids: [documentId] },
  });
  expect(response.status).toBe(200);
  const events = (await response.text())
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as { step: string; delta?: string; output?: { answer: string; references: Array<{ number: number; document_id: string }> } });
  const deltas = events.filter((event) => event.step === "assistant_stream").map((event) => event.delta);
  expect(deltas).toEqual(PIECES);
  const end = events[events.length - 1];
  expect(end?.step).toBe("end");
  expect(end?.output?.answer).toBe(PIECES.join(""));
  expect(end?.output?.references.length).toBeGreaterThanOrEqual(2);
  for (const reference of end?.output?.references ?? []) expect(reference.document_id).toBe(documentId);

  expect(received).toHaveLength(1);
  const request = received[0] as Received;
  expect(request.authorization).toBe("Bearer test-key");
  expect(request.body).toMatchObject({ model: "tiny-model", stream: true });
  const [system, ...rest] = request.body.messages;
  expect(system?.role).toBe("system");
  expect(system?.content).toMatch(/\[1\] openxml-sdk-nutrition-report\.docx/);
  expect(system?.content).toMatch(/obesity/);
  expect(rest.map((message) => message.role)).toEqual(["user", "assistant", "user"]);
  expect(rest[2]?.content).toBe("What does the WHO say about obesity?");
});

it("ends with an error event when the model fails", async () => {
  const broken = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0", SIDECAR_LLM_BASE_URL: "http://127.0.0.1:9" });
  try {
    const token = (await signIn(broken.url)).ejento_access_token;
    const name = "openxml-sdk-nutrition-report.docx";
    await upload(broken.url, token, readFixture(name), name);
    const response = await postJson(broken.url, endpoints.streamAgentResponse.path.replace("{agent_id}", "1"), token, { user_query: "What about obesity?" });
    const events = (await response.text()).split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)) as { step: string; message?: string });
    expect(events[events.length - 1]).toMatchObject({ step: "error" });
    expect(events[events.length - 1]?.message).toMatch(/language model/);
  } finally {
    await broken.close();
  }
});

it("a request to reword the selected text: the model gets the selection and rewording instructions (no passages), and its text is the answer, citing nothing", async () => {
  const token = (await signIn(server.url)).ejento_access_token;
  const name = "openxml-sdk-nutrition-report.docx";
  const documentId = ((await (await upload(server.url, token, readFixture(name), name)).json()) as { document_id: string }).document_id;
  const before = received.length;
  const response = await postJson(server.url, endpoints.streamAgentResponse.path.replace("{agent_id}", "1"), token, {
    user_query: "Rewrite the selected text to be shorter.",
    chat_thread_id: null,
    overrides: { document_ids: [documentId], selected_text: "Obesity is rising across Europe, and Europeans underrate it." },
  });
  const events = (await response.text())
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice(6)) as { step: string; message?: string; delta?: string; output?: { answer: string; references: unknown[] } });
  expect(events[0]).toMatchObject({ step: "status", message: "Rewording the selected text" });
  expect(events.filter((event) => event.step === "assistant_stream").map((event) => event.delta)).toEqual(PIECES);
  const end = events[events.length - 1];
  expect(end).toMatchObject({ step: "end", output: { answer: PIECES.join(""), references: [] } });
  expect(events.some((event) => event.step === "tools_stream")).toBe(false);

  expect(received).toHaveLength(before + 1);
  const [system, user] = (received[before] as Received).body.messages;
  expect(system?.content).toMatch(/Answer with the rewritten text only/);
  expect(system?.content).toContain('"""Obesity is rising across Europe, and Europeans underrate it."""');
  expect(system?.content).not.toMatch(/Passages:/);
  expect(user).toEqual({ role: "user", content: "Rewrite the selected text to be shorter." });
});
