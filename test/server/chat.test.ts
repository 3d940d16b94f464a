// Chat over real HTTP (docs/api.md "Chat"; docs/vendors.md Ejento A3–A5): agents, the SSE answer stream read
// with fetch and a small line reader, grounding on the caller's organization's documents with
// citations that point at Sources-panel sections, threads, the non-streaming answer, feedback,
// and a client that leaves mid-stream.
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import type {
  AgentListResponse,
  AgentResponse,
  Answer as EndOutput,
  AnswerResponse,
  ChatEvent as StreamEvent,
  ChatThreadListResponse,
  EjentoError,
  FeedbackResponse,
  ThreadTurnListResponse,
} from "../../src/shared/wire/chat";
import { bearer, getJson, postJson, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

const NUTRITION = "openxml-sdk-nutrition-report.docx";
const COMPLEX = "openxml-sdk-complex0.docx";
const path = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
const streamPath = (agentId: number | string) => path(endpoints.streamAgentResponse.path, { agent_id: agentId });

let server: TestServer;
let token: string;
let otherToken: string;
let nutritionId: string;
let complexId: string;
let otherDocId: string;
const logLines: string[] = [];

function ask(userQuery: string, extra: Record<string, unknown> = {}) {
  return { user_query: userQuery, chat_thread_id: null, query_source: "word-addin", history: [], overrides: {}, ...extra };
}

/** Reads `data: {json}` lines of an SSE response; stops after `limit` events when given. */
async function readEvents(response: Response, onEvent?: (event: StreamEvent) => boolean | void): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith("data:")) continue;
      const event = JSON.parse(line.slice(5).trim()) as StreamEvent;
      events.push(event);
      if (onEvent?.(event) === false) {
        await reader.cancel().catch(() => undefined);
        return events;
      }
    }
  }
  return events;
}

async function stream(body: unknown, who = token, agentId: number | string = 1) {
  const response = await postJson(server.url, streamPath(agentId), who, body, { accept: "text/event-stream" });
  return { response, events: response.status === 200 ? await readEvents(response) : [] };
}

function endOf(events: StreamEvent[]): EndOutput {
  const end = events[events.length - 1];
  if (!end || end.step !== "end" || !end.output) throw new Error(`no end event: ${JSON.stringify(events.slice(-2))}`);
  return end.output;
}

beforeAll(async () => {
  server = await startServer(
    { SIDECAR_CHAT_DELTA_DELAY_MS: "0", LOG_LEVEL: "info" },
    { logStream: { write: (line: string) => logLines.push(line) } },
  );
  token = (await signIn(server.url)).ejento_access_token;
  await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
  otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
  const up = async (who: string, name: string) => ((await (await upload(server.url, who, readFixture(name), name)).json()) as { document_id: string }).document_id;
  nutritionId = await up(token, NUTRITION);
  complexId = await up(token, COMPLEX);
  otherDocId = await up(otherToken, COMPLEX);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("agents", () => {
  it("lists the built-in agents in the Ejento envelope", async () => {
    const { status, body } = await getJson<AgentListResponse>(server.url, endpoints.listAgents.path, token);
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.data.map((agent) => agent.agent_name)).toEqual(["Document assistant", "Drafting assistant"]);
    const [first] = body.data;
    expect(first).toMatchObject({ id: 1, conversation_starter_enabled: true, sample_q1: "Summarise this document" });
    expect(typeof first?.sample_q4).toBe("string");
  });

  it("gets one agent; 404 for an unknown one; 401 as the auth guard answers it", async () => {
    const one = await getJson<AgentResponse>(server.url, path(endpoints.getAgent.path, { agent_id: 2 }), token);
    expect(one.body.data).toMatchObject({ id: 2, agent_name: "Drafting assistant" });
    const missing = await getJson<EjentoError>(server.url, path(endpoints.getAgent.path, { agent_id: 99 }), token);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, data: null });
    expect(missing.body.message).toMatch(/no agent/);
    const anonymous = await fetch(server.url + endpoints.listAgents.path);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toHaveProperty("detail");
  });
});

describe("what an answer holds (issue 13: nothing to delete after inserting it)", () => {
  const questions: Array<[string, string]> = [
    ["nutrition", "Which nutrition problems does the WHO see in Europe?"],
    ["nutrition", "What share of people under 65 died because of cancer?"],
    ["nutrition", "What is said about obesity in children?"],
    ["nutrition", "Summarise this document"],
    ["complex", "What does the document say about the results?"],
  ];

  it.each(questions)("%s: “%s” is answered with its content only, and each follow-up names a topic", async (doc, question) => {
    const { events } = await stream(ask(question, { overrides: { document_ids: [doc === "nutrition" ? nutritionId : complexId] } }));
    const output = endOf(events);
    expect(output.answer).toMatch(/\[1\]/);
    // No canned lead-in: the first line is already content.
    expect(output.answer).not.toMatch(/^(Here is|Here are)\b/);
    expect(output.answer).not.toMatch(/says about this|main points of/);
    for (const followup of output.followup_questions) {
      const about = /^What else do the documents say about (.+)\?$/.exec(followup);
      const section = /^What does the section “(.+)” say\?$/.exec(followup);
      expect(about || section).toBeTruthy();
      // A topic is a phrase of content words, never one stray word ("…say about available?").
      if (about) expect((about[1] as string).split(" ").length).toBeGreaterThanOrEqual(2);
    }
    expect(output.followup_questions).not.toContain("Which passages support this answer?");
  });
});

describe("streamed answers", () => {
  it("streams status, thoughts, deltas and an end whose answer cites sections of the grounding document", async () => {
    const started = Date.now();
    const { response, events } = await stream(ask("Which nutrition problems does the WHO see in Europe?", { overrides: { document_ids: [nutritionId] } }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const steps = events.map((event) => event.step);
    expect(steps[0]).toBe("status");
    expect(events[0]?.message).toBe("Searching your documents");
    const firstDelta = steps.indexOf("assistant_stream");
    expect(steps.indexOf("tools_stream")).toBeGreaterThan(0);
    expect(steps.indexOf("tools_stream")).toBeLessThan(firstDelta);
    expect(steps.slice(firstDelta, -1).every((step) => step === "assistant_stream")).toBe(true);
    expect(steps.filter((step) => step === "assistant_stream").length).toBeGreaterThan(5);
    expect(steps[steps.length - 1]).toBe("end");

    const output = endOf(events);
    const deltas = events.flatMap((event) => (event.step === "assistant_stream" ? [event.delta] : [])).join("");
    expect(deltas).toBe(output.answer);
    const cited = [...output.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(cited.length).toBeGreaterThanOrEqual(2);
    const numbers = output.references.map((reference) => reference.number);
    for (const n of cited) expect(numbers).toContain(n);
    expect(output.references.length).toBeGreaterThanOrEqual(2);
    expect(output.references.length).toBeLessThanOrEqual(4);
    for (const reference of output.references) {
      expect(reference).toMatchObject({ url: "", document_id: nutritionId });
      expect(reference.title).toMatch(/^openxml-sdk-nutrition-report\.docx( — .+)?$/);
      // The cited passage itself, so a citation can show what it cites.
      expect(reference.document_name).toBe("openxml-sdk-nutrition-report.docx");
      expect(typeof reference.passage_id).toBe("string");
      expect((reference.text ?? "").length).toBeGreaterThan(20);
      expect(reference.s3_key).toMatch(/\.docx$/);
    }
    expect(output.references.some((reference) => reference.section_id)).toBe(true);
    const sections = await postJson(server.url, endpoints.getSectionsForDocument.path, token, { document_id: nutritionId });
    const ids = ((await sections.json()) as { sections: Array<{ section_id: string }> }).sections.map((section) => section.section_id);
    for (const reference of output.references) if (reference.section_id) expect(ids).toContain(reference.section_id);
    expect(output.followup_questions.length).toBeGreaterThanOrEqual(2);
    expect(output.followup_questions.length).toBeLessThanOrEqual(3);
    expect(typeof output.thread_id).toBe("number");
    expect(typeof output.agent_response_id).toBe("number");
    expect(output.chat_thread_name.length).toBeLessThanOrEqual(60);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("answers a question about the document as a whole from an overview, and a question nothing matches plainly", async () => {
    const summary = endOf((await stream(ask("Summarise this document", { overrides: { document_ids: [nutritionId] } }))).events);
    expect(summary.references.length).toBeGreaterThanOrEqual(2);
    expect(summary.answer).toMatch(/\[1\]/);
    const none = endOf((await stream(ask("What about quantum chromodynamics lattices?", { overrides: { document_ids: [nutritionId] } }))).events);
    expect(none.references).toEqual([]);
    expect(none.answer).toMatch(/couldn't find anything/);
  });

  it("grounds only on the caller's organization's documents (foreign and unknown ids are ignored and said so)", async () => {
    const { events } = await stream(ask("How wide are the columns?", { overrides: { document_ids: [otherDocId, "no-such-doc"] } }));
    const thoughts = events.flatMap((event) => (event.step === "tools_stream" ? [event.delta] : [])).join("");
    expect(thoughts).toMatch(/Ignored 2 document ids/);
    const output = endOf(events);
    expect(output.references).toEqual([]);
    // Without document_ids: the organization's newest documents (here the caller's two).
    const fallback = endOf((await stream(ask("How wide are the columns?"))).events);
    expect(fallback.references.length).toBeGreaterThan(0);
    for (const reference of fallback.references) expect([nutritionId, complexId]).toContain(reference.document_id);
    expect(fallback.references.some((reference) => reference.document_id === complexId)).toBe(true);
    // The other organization sees only its own document.
    const theirs = endOf((await stream(ask("How wide are the columns?"), otherToken)).events);
    for (const reference of theirs.references) expect(reference.document_id).toBe(otherDocId);
  });

  it("uses the selected text in the query", async () => {
    const output = endOf(
      (await stream(ask("Explain this", { overrides: { document_ids: [complexId, nutritionId], selected_text: "three equally wide columns" } }))).events,
    );
    expect(output.references[0]?.document_id).toBe(complexId);
  });

  it("rejects an empty or too long question with a JSON 422 naming user_query before any stream, and an unknown agent with 404", async () => {
    for (const body of [ask(""), ask("   "), { chat_thread_id: null }, ask("x".repeat(8001))]) {
      const response = await postJson(server.url, streamPath(1), token, body);
      expect(response.status).toBe(422);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      const envelope = (await response.json()) as EjentoError;
      expect(envelope).toMatchObject({ success: false, data: null });
      expect(envelope.message).toMatch(/^user_query: (is required|is too long)/);
    }
    for (const [extra, field] of [
      [{ chat_thread_id: "twelve" }, "chat_thread_id"],
      [{ overrides: { document_ids: "a,b" } }, "overrides.document_ids"],
      [{ history: "earlier" }, "history"],
    ] as const) {
      const response = await postJson(server.url, streamPath(1), token, ask("Hello?", extra));
      expect(response.status).toBe(422);
      expect(((await response.json()) as EjentoError).message).toMatch(new RegExp(`^${field}: `));
    }
    const unknown = await postJson(server.url, streamPath(42), token, ask("Hello?"));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as EjentoError).success).toBe(false);
    const noToken = await postJson(server.url, streamPath(1), null, ask("Hello?"));
    expect(noToken.status).toBe(401);
  });
});

describe("threads", () => {
  it("continues a thread, lists it newest first, and shows its turns oldest first", async () => {
    const first = endOf((await stream(ask("What does the WHO say about obesity?", { overrides: { document_ids: [nutritionId] } }))).events);
    const second = endOf(
      (await stream(ask("And what about fruit and vegetable consumption?", { chat_thread_id: first.thread_id, overrides: { document_ids: [nutritionId] } }))).events,
    );
    expect(second.thread_id).toBe(first.thread_id);
    expect(second.agent_response_id).toBeGreaterThan(first.agent_response_id);

    const threads = await getJson<ChatThreadListResponse>(
      server.url,
      path(endpoints.listChatThreads.path, { agent_id: 1 }),
      token,
    );
    expect(threads.status).toBe(200);
    expect(threads.body.data[0]).toMatchObject({ id: first.thread_id, chat_thread_name: "What does the WHO say about obesity?" });
    expect(threads.body.data.filter((thread) => thread.id === first.thread_id)).toHaveLength(1);
    // The other agent's list and the other person's list don't have it.
    const drafting = await getJson<ChatThreadListResponse>(server.url, path(endpoints.listChatThreads.path, { agent_id: 2 }), token);
    expect(drafting.body.data.map((thread) => thread.id)).not.toContain(first.thread_id);
    const theirs = await getJson<ChatThreadListResponse>(server.url, path(endpoints.listChatThreads.path, { agent_id: 1 }), otherToken);
    expect(theirs.body.data.map((thread) => thread.id)).not.toContain(first.thread_id);

    const turns = await getJson<ThreadTurnListResponse>(
      server.url,
      path(endpoints.listThreadResponses.path, { thread_id: first.thread_id }),
      token,
    );
    expect(turns.body.data.map((turn) => turn.user_query)).toEqual(["What does the WHO say about obesity?", "And what about fruit and vegetable consumption?"]);
    expect(turns.body.data[1]).toMatchObject({ id: second.agent_response_id, answer: second.answer, references: second.references });

    const foreign = await getJson<EjentoError>(server.url, path(endpoints.listThreadResponses.path, { thread_id: first.thread_id }), otherToken);
    expect(foreign.status).toBe(403);
    const missing = await getJson<EjentoError>(server.url, path(endpoints.listThreadResponses.path, { thread_id: 999999 }), token);
    expect(missing.status).toBe(404);
    // Someone else's thread (or another agent's) cannot be continued.
    const hijack = await postJson(server.url, streamPath(1), otherToken, ask("Hi", { chat_thread_id: first.thread_id }));
    expect(hijack.status).toBe(404);
    const otherAgent = await postJson(server.url, streamPath(2), token, ask("Hi", { chat_thread_id: first.thread_id }));
    expect(otherAgent.status).toBe(404);
  });

  it("answers without streaming in the envelope", async () => {
    const response = await postJson(server.url, path(endpoints.createAgentResponse.path, { agent_id: 2 }), token, ask("Draft an introduction about nutrition policy", { overrides: { document_ids: [nutritionId] } }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as AnswerResponse;
    expect(body.success).toBe(true);
    // The draft is its content: cited prose, no lead-in and no bullets.
    expect(body.data.answer).not.toMatch(/^(Here is|Here are)/);
    expect(body.data.answer).not.toMatch(/^- /m);
    expect(body.data.answer).toMatch(/\[1\]/);
    expect(body.data.references[0]?.document_id).toBe(nutritionId);
    expect(typeof body.data.thread_id).toBe("number");
    const bad = await postJson(server.url, path(endpoints.createAgentResponse.path, { agent_id: 2 }), token, ask(""));
    expect(bad.status).toBe(422);
    // A thread id sent as a string of digits (as some Ejento clients send it) continues the thread.
    const again = await postJson(
      server.url,
      path(endpoints.createAgentResponse.path, { agent_id: 2 }),
      token,
      ask("Draft a conclusion", { chat_thread_id: String(body.data.thread_id), overrides: { document_ids: [nutritionId] } }),
    );
    expect(again.status).toBe(200);
    expect(((await again.json()) as AnswerResponse).data.thread_id).toBe(body.data.thread_id);
  });
});

describe("feedback", () => {
  it("records up and down votes; 422 naming vote_type for another value; 404 for unknown or foreign answers", async () => {
    const response = await postJson(server.url, path(endpoints.createAgentResponse.path, { agent_id: 1 }), token, ask("What is the West-East divide?"));
    const { agent_response_id: id } = ((await response.json()) as AnswerResponse).data;
    const feedbackPath = path(endpoints.sendFeedback.path, { agent_response_id: id });
    for (const vote_type of ["upvote", "downvote"]) {
      const sent = await postJson(server.url, feedbackPath, token, { vote_type });
      expect(sent.status).toBe(200);
      expect((await sent.json()) as FeedbackResponse).toEqual({ success: true, message: "", data: { id } });
    }
    expect(server.app.sidecar.storage.chat.getResponse(id)?.vote).toBe("downvote");
    const invalid = await postJson(server.url, feedbackPath, token, { vote_type: "meh" });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()) as EjentoError).toMatchObject({ success: false, message: 'vote_type: must be "upvote" or "downvote"', data: null });
    expect((await postJson(server.url, feedbackPath, otherToken, { vote_type: "upvote" })).status).toBe(404);
    expect((await postJson(server.url, path(endpoints.sendFeedback.path, { agent_response_id: 999999 }), token, { vote_type: "upvote" })).status).toBe(404);
  });
});

describe("a client that leaves mid-stream", () => {
  let slow: TestServer;
  const slowLog: string[] = [];
  beforeAll(async () => {
    slow = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "40", LOG_LEVEL: "info" }, { logStream: { write: (line: string) => slowLog.push(line) } });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it("stops producing deltas, stores nothing, and keeps serving", async () => {
    const slowToken = (await signIn(slow.url)).ejento_access_token;
    const docId = ((await (await upload(slow.url, slowToken, readFixture(NUTRITION), NUTRITION)).json()) as { document_id: string }).document_id;
    const controller = new AbortController();
    const response = await fetch(slow.url + streamPath(1), {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(slowToken) },
      body: JSON.stringify(ask("Which nutrition problems does the WHO see in Europe?", { overrides: { document_ids: [docId] } })),
      signal: controller.signal,
    });
    let deltas = 0;
    await readEvents(response, (event) => {
      if (event.step === "assistant_stream") deltas++;
      if (deltas === 2) {
        controller.abort();
        return false;
      }
      return undefined;
    }).catch(() => undefined);
    expect(deltas).toBe(2);

    // The server notices, logs how far it got, and stops.
    const deadline = Date.now() + 3000;
    let stopped: { deltas_sent: number; deltas_total: number } | undefined;
    while (!stopped && Date.now() < deadline) {
      const line = slowLog.find((entry) => entry.includes("the client went away"));
      if (line) stopped = JSON.parse(line) as { deltas_sent: number; deltas_total: number };
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(stopped).toBeDefined();
    expect(stopped!.deltas_sent).toBeLessThan(5);
    expect(stopped!.deltas_total).toBeGreaterThan(10);
    // No half answer was stored.
    const threads = await getJson<ChatThreadListResponse>(slow.url, path(endpoints.listChatThreads.path, { agent_id: 1 }), slowToken);
    expect(threads.body.data).toEqual([]);

    // And the next question is answered in full.
    const next = await postJson(slow.url, streamPath(1), slowToken, ask("What does the WHO say about obesity?", { overrides: { document_ids: [docId] } }));
    const events = await readEvents(next);
    expect(endOf(events).references.length).toBeGreaterThan(0);
  }, 20_000);
});

afterAll(() => {
  // The log never carries the question text (bodies are redacted).
  expect(logLines.join("").includes("Which nutrition problems")).toBe(false);
});
