// Chat with an agent (CONTRACT.md "Chat"; ejento.md A4–A5): validate a question, ground it on
// the person's documents, answer (extractive by default, or an OpenAI-compatible model when one
// is configured) as a stream of events, and keep the turn in its thread. Threads are one
// person's; another person's thread is 404 to the response routes and 403 to the history route.
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import { HttpError } from "../../errors";
import type { AgentResponseRow, ChatThreadRow } from "../../storage/chat-store";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { styleOf, type Agent, type AgentService } from "./agents";
import { composeAnswer, deltasOf, followUpQuestions, threadNameFor } from "./compose";
import type { Grounding, GroundingService } from "./grounding";
import { streamModelAnswer, type LlmConfig } from "./llm";

export const MAX_QUESTION_CHARS = 8000;
const MAX_SELECTED_TEXT_CHARS = 8000;
const MAX_DOCUMENT_IDS = 50;
const MAX_HISTORY_TURNS = 20;
export const SEARCHING_STATUS = "Searching your documents";

const BODY_SHAPE =
  '{"user_query": "...", "chat_thread_id": null, "overrides": {"document_ids": ["..."], "selected_text": "..."}}';

export interface Reference {
  number: number;
  order: number;
  url: string;
  title: string;
  document_id: string;
  section_id?: string;
}

export interface AnswerOutput {
  answer: string;
  references: Reference[];
  followup_questions: string[];
  thread_id: number;
  chat_thread_name: string;
  agent_response_id: number;
  guardrail_triggered: false;
  blocked: false;
}

export type ChatEvent =
  | { step: "status"; message: string }
  | { step: "tools_stream"; delta: string; message: string }
  | { step: "assistant_stream"; delta: string; message: string }
  | { step: "end"; success: true; message: string; output: AnswerOutput }
  | { step: "error"; success: false; message: string; output: { error: { details: string }; blocked: false } };

/** A validated question, ready to answer. */
export interface PreparedTurn {
  caller: Caller;
  agent: Agent;
  question: string;
  selectedText: string | null;
  documentIds: string[] | null;
  thread: ChatThreadRow | null;
  history: Array<{ user: string; bot: string }>;
}

export interface ChatOptions {
  deltaDelayMs: number;
  llm: LlmConfig | null;
}

type Body = Record<string, unknown>;

function bad(message: string): HttpError {
  return new HttpError(400, `${message} Send a JSON object ${BODY_SHAPE}.`);
}

/** A whole-number id from a path or body ("12" or 12); null when it isn't one. */
export function parseId(raw: unknown): number | null {
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return raw;
  if (typeof raw === "string" && /^\d{1,15}$/.test(raw.trim()) && Number(raw) > 0) return Number(raw);
  return null;
}

export class ChatService {
  constructor(
    private readonly storage: Storage,
    private readonly agents: AgentService,
    private readonly grounding: GroundingService,
    private readonly options: ChatOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Validates a question (400/404 as HttpError) before anything is streamed. */
  prepare(caller: Caller, agentIdRaw: string, raw: unknown): PreparedTurn {
    const agent = this.agents.get(agentIdRaw);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("The request body is not a JSON object.");
    const body = raw as Body;
    const query = body.user_query;
    if (query === undefined || query === null || (typeof query === "string" && query.trim() === "")) {
      throw bad("Missing required field: user_query (the question; it may not be empty).");
    }
    if (typeof query !== "string") throw bad("user_query must be a string.");
    if (query.length > MAX_QUESTION_CHARS) {
      throw bad(`The question is too long (${query.length} characters); ask in at most ${MAX_QUESTION_CHARS}.`);
    }
    let thread: ChatThreadRow | null = null;
    if (body.chat_thread_id !== undefined && body.chat_thread_id !== null && body.chat_thread_id !== "") {
      const threadId = parseId(body.chat_thread_id);
      if (threadId === null) throw bad("chat_thread_id must be a thread id (a whole number) or null for a new thread.");
      thread = this.storage.chat.getThread(threadId) ?? null;
      if (!thread || thread.user_id !== caller.userId || thread.agent_id !== agent.id) {
        throw new HttpError(404, `There is no chat thread ${threadId} of yours with ${agent.agent_name}. Start a new conversation (chat_thread_id: null).`);
      }
    }
    const overrides = body.overrides;
    if (overrides !== undefined && overrides !== null && (typeof overrides !== "object" || Array.isArray(overrides))) {
      throw bad("overrides must be an object.");
    }
    const o = (overrides ?? {}) as Body;
    let documentIds: string[] | null = null;
    if (o.document_ids !== undefined && o.document_ids !== null) {
      if (!Array.isArray(o.document_ids) || o.document_ids.some((id) => typeof id !== "string" && typeof id !== "number")) {
        throw bad("overrides.document_ids must be a list of document ids.");
      }
      if (o.document_ids.length > MAX_DOCUMENT_IDS) throw bad(`Ground the chat on at most ${MAX_DOCUMENT_IDS} documents.`);
      documentIds = o.document_ids.map(String);
    }
    let selectedText: string | null = null;
    if (o.selected_text !== undefined && o.selected_text !== null) {
      if (typeof o.selected_text !== "string") throw bad("overrides.selected_text must be a string.");
      selectedText = o.selected_text.trim() ? o.selected_text.slice(0, MAX_SELECTED_TEXT_CHARS) : null;
    }
    const history = Array.isArray(body.history)
      ? body.history
          .filter((turn): turn is { user: string; bot: string } => {
            const t = turn as Body | null;
            return !!t && typeof t.user === "string" && typeof t.bot === "string";
          })
          .slice(-MAX_HISTORY_TURNS)
      : [];
    return { caller, agent, question: query.trim(), selectedText, documentIds, thread, history };
  }

  /**
   * Answers a prepared question, handing each event to `emit`. Stops as soon as `signal` aborts
   * (the client went away): no further deltas, nothing stored; resolves null then. Failures
   * after the stream started end it with an `error` event.
   */
  async run(turn: PreparedTurn, emit: (event: ChatEvent) => void, signal: AbortSignal, deltaDelayMs = this.options.deltaDelayMs): Promise<AnswerOutput | null> {
    let sent = 0;
    let total = 0;
    try {
      emit({ step: "status", message: SEARCHING_STATUS });
      const grounding = await this.grounding.ground(
        turn.caller,
        { question: turn.question, selectedText: turn.selectedText, documentIds: turn.documentIds },
        signal,
      );
      for (const thought of grounding.thoughts) {
        if (signal.aborted) break;
        emit({ step: "tools_stream", delta: `${thought}\n`, message: "" });
      }
      let answer = "";
      const deliver = async (delta: string) => {
        if (signal.aborted) return;
        answer += delta;
        sent++;
        emit({ step: "assistant_stream", delta, message: "" });
        if (deltaDelayMs > 0) await sleep(deltaDelayMs, undefined, { signal }).catch(() => undefined);
      };
      if (this.options.llm && grounding.passages.length > 0) {
        await streamModelAnswer(this.options.llm, { agent: turn.agent, question: turn.question, selectedText: turn.selectedText, history: turn.history, grounding }, deliver, signal);
        total = sent;
      } else {
        const deltas = deltasOf(composeAnswer(turn.question, grounding, styleOf(turn.agent)));
        total = deltas.length;
        for (const delta of deltas) {
          if (signal.aborted) break;
          await deliver(delta);
        }
      }
      if (signal.aborted) {
        this.log.info({ deltas_sent: sent, deltas_total: total, agent_id: turn.agent.id }, "chat stream stopped: the client went away");
        return null;
      }
      const output = this.store(turn, answer, grounding);
      emit({ step: "end", success: true, message: "", output });
      return output;
    } catch (error) {
      if (signal.aborted) {
        this.log.info({ deltas_sent: sent, deltas_total: total, agent_id: turn.agent.id }, "chat stream stopped: the client went away");
        return null;
      }
      const details = error instanceof HttpError ? error.message : "The answer could not be completed. Try again; if it keeps happening, check the server log.";
      if (!(error instanceof HttpError)) this.log.error({ err: error }, "chat answer failed");
      emit({ step: "error", success: false, message: details, output: { error: { details }, blocked: false } });
      return null;
    }
  }

  /** The non-streaming answer (same work, no pauses); failures are HTTP errors. */
  async respond(caller: Caller, agentIdRaw: string, body: unknown): Promise<AnswerOutput> {
    const turn = this.prepare(caller, agentIdRaw, body);
    let failure: string | null = null;
    const output = await this.run(
      turn,
      (event) => {
        if (event.step === "error") failure = event.message;
      },
      new AbortController().signal,
      0,
    );
    if (!output) throw new HttpError(500, failure ?? "The answer could not be completed. Try again.");
    return output;
  }

  threads(caller: Caller, agentIdRaw: string) {
    const agent = this.agents.get(agentIdRaw);
    return this.storage.chat.listThreads(caller.userId, agent.id).map((thread) => ({
      id: thread.id,
      chat_thread_name: thread.name,
      title: thread.name,
      agent: thread.agent_id,
      created_at: thread.created_at,
      updated_at: thread.updated_at,
    }));
  }

  responses(caller: Caller, threadIdRaw: string) {
    const thread = this.ownThread(caller, threadIdRaw);
    return this.storage.chat.listResponses(thread.id).map((row) => ({
      id: row.id,
      agent_response_id: row.id,
      thread: row.thread_id,
      user_query: row.user_query,
      answer: row.answer,
      references: JSON.parse(row.references_json) as Reference[],
      followup_questions: JSON.parse(row.followups_json) as string[],
      feedback: row.vote,
      created_at: row.created_at,
    }));
  }

  feedback(caller: Caller, responseIdRaw: string, raw: unknown): { id: number } {
    const response = this.ownResponse(caller, responseIdRaw);
    const vote = typeof raw === "object" && raw !== null ? (raw as Body).vote_type : undefined;
    if (vote !== "upvote" && vote !== "downvote") {
      throw new HttpError(400, 'vote_type must be "upvote" or "downvote". Send a JSON object {"vote_type": "upvote"}.');
    }
    this.storage.chat.setVote(response.id, vote);
    return { id: response.id };
  }

  private ownThread(caller: Caller, rawId: string): ChatThreadRow {
    const id = parseId(rawId);
    const thread = id === null ? undefined : this.storage.chat.getThread(id);
    if (!thread) throw new HttpError(404, `There is no chat thread with the id "${rawId}".`);
    if (thread.user_id !== caller.userId) throw new HttpError(403, "This chat thread is someone else's; you cannot open it.");
    return thread;
  }

  private ownResponse(caller: Caller, rawId: string): AgentResponseRow {
    const id = parseId(rawId);
    const response = id === null ? undefined : this.storage.chat.getResponse(id);
    if (!response || response.user_id !== caller.userId) {
      throw new HttpError(404, `There is no answer with the id "${rawId}" of yours.`);
    }
    return response;
  }

  private store(turn: PreparedTurn, answer: string, grounding: Grounding): AnswerOutput {
    const references: Reference[] = grounding.passages.map((grounded, index) => ({
      number: grounded.number,
      order: index + 1,
      url: "",
      title: grounded.sectionTitle ? `${grounded.passage.documentName} — ${grounded.sectionTitle}` : grounded.passage.documentName,
      document_id: grounded.passage.documentId,
      ...(grounded.sectionId ? { section_id: grounded.sectionId } : {}),
    }));
    const followups = followUpQuestions(turn.question, grounding);
    const { thread, responseId } = this.storage.chat.addTurn({
      threadId: turn.thread?.id ?? null,
      threadName: threadNameFor(turn.question),
      organizationId: turn.caller.organizationId,
      userId: turn.caller.userId,
      agentId: turn.agent.id,
      userQuery: turn.question,
      answer,
      references,
      followups,
    });
    return {
      answer,
      references,
      followup_questions: followups,
      thread_id: thread.id,
      chat_thread_name: thread.name,
      agent_response_id: responseId,
      guardrail_triggered: false,
      blocked: false,
    };
  }
}
