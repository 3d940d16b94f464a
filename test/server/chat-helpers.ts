// Helpers of the chat tests: questions over real HTTP (the SSE stream read with fetch and a small
// line reader), and shape checks of Ejento's bodies, field by field, against both the shared
// wire schemas (src/shared/wire/chat.ts: every field there, no other) and the fields the vendor's
// own clients read (docs/vendors.md = /work/shared/api/ejento.md A4–A6).
import type { z } from "zod";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { Answer, ChatEvent } from "../../src/shared/wire/chat";
import { bearer, postJson } from "./helpers";

export const path = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
export const streamPath = (agentId: number | string) => path(endpoints.streamAgentResponse.path, { agent_id: agentId });
export const answerPath = (agentId: number | string) => path(endpoints.createAgentResponse.path, { agent_id: agentId });

// ---- the fields ejento.md says Ejento's clients read --------------------------------------------

/** A4.1: a thread of `data.chat_threads[]` (and of A4.2's create). */
export const EJENTO_THREAD_FIELDS = ["id", "title", "agent", "user", "corpus_id", "chat_id", "created_by", "created_on", "modified_by", "modified_on", "is_deleted"];
/** A4.3: an entry of `data.agent_responses[]`. */
export const EJENTO_HISTORY_FIELDS = ["id", "question", "query_source", "thread", "user", "created_by", "created_on", "is_cleared", "stage", "response", "feedback", "comments"];
/** A4.3: its `response` (the first row, which the client reads, and thread_name/agent_response_id/id of the second). */
export const EJENTO_STORED_ANSWER_FIELDS = ["success", "answer", "message", "references", "guardrail_triggered", "blocked", "followup_questions", "thread_name", "agent_response_id", "id"];
/** A4.3: a feedback entry. */
export const EJENTO_FEEDBACK_FIELDS = ["id", "is_upvote", "is_downvote"];
/** A5.3 / A5.5: the non-streaming data and the `end` event's output. */
export const EJENTO_ANSWER_FIELDS = ["answer", "references", "followup_questions", "thread_id", "chat_thread_name", "agent_response_id", "chatlog_id", "guardrail_triggered", "blocked"];
/** A5.5: a reference. */
export const EJENTO_REFERENCE_FIELDS = ["number", "order", "url"];
/** A6 Document Polling / Get a Document: a corpus document. */
export const EJENTO_CORPUS_DOCUMENT_FIELDS = ["id", "type", "source", "upload_from", "step", "is_failed", "is_deleted", "corpus", "created_by", "created_on", "modified_on"];
/** A3.3 / A6: a corpus. */
export const EJENTO_CORPUS_FIELDS = ["id", "name"];

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * `value` has exactly the fields of `schema` (each of the right type: a strict parse) and every
 * field Ejento's clients read; every `*_on` field is an ISO-8601 moment.
 */
export function expectShape(value: unknown, schema: z.ZodObject, ejentoFields: readonly string[]): void {
  const parsed = schema.strict().safeParse(value);
  if (!parsed.success) throw new Error(`does not match the schema: ${parsed.error.message}\n${JSON.stringify(value, null, 2)}`);
  const record = value as Record<string, unknown>;
  const required = Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name);
  for (const name of required) expect([name, name in record]).toEqual([name, true]);
  for (const name of ejentoFields) expect([name, name in record]).toEqual([name, true]);
  for (const [name, field] of Object.entries(record)) {
    if (name.endsWith("_on") && field !== null) expect([name, ISO.test(String(field))]).toEqual([name, true]);
  }
}

/** `body` is Ejento's envelope: exactly success, message, data (and `extra`), success true. */
export function expectEnvelope(body: unknown, extra: readonly string[] = []): void {
  expect(Object.keys(body as object).sort()).toEqual(["data", "message", "success", ...extra].sort());
  expect((body as { success: unknown }).success).toBe(true);
  expect(typeof (body as { message: unknown }).message).toBe("string");
}

/** `body` is Ejento's error envelope. */
export function expectFailure(body: unknown): void {
  expect(Object.keys(body as object).sort()).toEqual(["data", "message", "success"]);
  expect(body).toMatchObject({ success: false, data: null });
  expect(((body as { message: string }).message ?? "").length).toBeGreaterThan(0);
}

// ---- questions -------------------------------------------------------------------------------

export function ask(userQuery: string, extra: Record<string, unknown> = {}) {
  return { user_query: userQuery, chat_thread_id: null, query_source: "word-addin", history: [], overrides: {}, ...extra };
}

/** Reads `data: {json}` lines of an SSE response; `onEvent` returning false stops reading. */
export async function readEvents(response: Response, onEvent?: (event: ChatEvent) => boolean | void): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
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
      const event = JSON.parse(line.slice(5).trim()) as ChatEvent;
      events.push(event);
      if (onEvent?.(event) === false) {
        await reader.cancel().catch(() => undefined);
        return events;
      }
    }
  }
  return events;
}

export async function stream(url: string, token: string, body: unknown, agentId: number | string = 1) {
  const response = await postJson(url, streamPath(agentId), token, body, { accept: "text/event-stream" });
  return { response, events: response.status === 200 ? await readEvents(response) : [] };
}

export function endOf(events: ChatEvent[]): Answer {
  const end = events[events.length - 1];
  if (!end || end.step !== "end" || !end.output) throw new Error(`no end event: ${JSON.stringify(events.slice(-2))}`);
  return end.output;
}

export function thoughtsOf(events: ChatEvent[]): string {
  return events.flatMap((event) => (event.step === "tools_stream" ? [event.delta] : [])).join("");
}

/** A JSON call with any method. */
export async function call(url: string, method: string, route: string, token: string | null, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url + route, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...(token ? bearer(token) : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
