// Chat with an agent (docs/api.md "Chat"; docs/vendors.md Ejento A4–A5): take a question (its shape checked by
// the route with src/shared/wire/chat.ts), ground it on the person's documents, answer
// (extractive by default, or an OpenAI-compatible model when one is configured) as a stream of
// events, and keep the turn in its thread. Threads are one person's; another person's thread is
// 404 to the response routes and 403 to the history route.
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import {
  wholeNumberId,
  type Agent,
  type Answer,
  type ChatEvent,
  type ChatThread,
  type FeedbackRequest,
  type HistoryTurn,
  type ParsedAskRequest,
  type Reference,
  type ThreadTurn,
  type Vote,
} from "../../../shared/wire/chat";
import { HttpError } from "../../errors";
import type { AgentResponseRow, ChatThreadRow } from "../../storage/chat-store";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { shorten } from "../../../shared/text";
import { styleOf, type AgentService } from "./agents";
import { composeAnswer, deltasOf, followUpQuestions, threadNameFor } from "./compose";
import type { Grounding, GroundingService } from "./grounding";
import { streamModelAnswer, type LlmConfig } from "./llm";

const MAX_SELECTED_TEXT_CHARS = 8000;
const MAX_HISTORY_TURNS = 20;
export const SEARCHING_STATUS = "Searching your documents";

/** A validated question, ready to answer. */
export interface PreparedTurn {
  caller: Caller;
  agent: Agent;
  question: string;
  selectedText: string | null;
  documentIds: string[] | null;
  thread: ChatThreadRow | null;
  history: HistoryTurn[];
}

export interface ChatOptions {
  deltaDelayMs: number;
  llm: LlmConfig | null;
}

/** A whole-number id from a path ("12"); null when it isn't one. */
function parseId(raw: string): number | null {
  const parsed = wholeNumberId.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export class ChatService {
  constructor(
    private readonly storage: Storage,
    private readonly agents: AgentService,
    private readonly grounding: GroundingService,
    private readonly options: ChatOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Finds what a question names (404 as HttpError) before anything is streamed; its shape is the route's schema's. */
  prepare(caller: Caller, agentIdRaw: string, request: ParsedAskRequest): PreparedTurn {
    const agent = this.agents.get(agentIdRaw);
    let thread: ChatThreadRow | null = null;
    if (request.chat_thread_id !== null) {
      const threadId = request.chat_thread_id;
      thread = this.storage.chat.getThread(threadId) ?? null;
      if (!thread || thread.user_id !== caller.userId || thread.agent_id !== agent.id) {
        throw new HttpError(404, `There is no chat thread ${threadId} of yours with ${agent.agent_name}. Start a new conversation (chat_thread_id: null).`);
      }
    }
    const selected = request.overrides?.selected_text;
    return {
      caller,
      agent,
      question: request.user_query,
      selectedText: selected?.trim() ? selected.slice(0, MAX_SELECTED_TEXT_CHARS) : null,
      documentIds: request.overrides?.document_ids ?? null,
      thread,
      history: (request.history ?? []).slice(-MAX_HISTORY_TURNS),
    };
  }

  /**
   * Answers a prepared question, handing each event to `emit`. Stops as soon as `signal` aborts
   * (the client went away): no further deltas, nothing stored; resolves null then. Failures
   * after the stream started end it with an `error` event.
   */
  async run(turn: PreparedTurn, emit: (event: ChatEvent) => void, signal: AbortSignal, deltaDelayMs = this.options.deltaDelayMs): Promise<Answer | null> {
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
  async respond(caller: Caller, agentIdRaw: string, request: ParsedAskRequest): Promise<Answer> {
    const turn = this.prepare(caller, agentIdRaw, request);
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

  threads(caller: Caller, agentIdRaw: string): ChatThread[] {
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

  responses(caller: Caller, threadIdRaw: string): ThreadTurn[] {
    const thread = this.ownThread(caller, threadIdRaw);
    return this.storage.chat.listResponses(thread.id).map((row) => ({
      id: row.id,
      agent_response_id: row.id,
      thread: row.thread_id,
      user_query: row.user_query,
      answer: row.answer,
      references: JSON.parse(row.references_json) as Reference[],
      followup_questions: JSON.parse(row.followups_json) as string[],
      feedback: row.vote as Vote | null,
      created_at: row.created_at,
    }));
  }

  feedback(caller: Caller, responseIdRaw: string, request: FeedbackRequest): { id: number } {
    const response = this.ownResponse(caller, responseIdRaw);
    this.storage.chat.setVote(response.id, request.vote_type);
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

  private store(turn: PreparedTurn, answer: string, grounding: Grounding): Answer {
    const references: Reference[] = grounding.passages.map((grounded, index) => ({
      number: grounded.number,
      order: index + 1,
      url: "",
      title: grounded.sectionTitle ? `${grounded.passage.documentName} — ${shorten(grounded.sectionTitle, 60)}` : grounded.passage.documentName,
      document_id: grounded.passage.documentId,
      ...(grounded.sectionId ? { section_id: grounded.sectionId } : {}),
      // The cited passage itself, so a citation lands on what it cites (docs/api.md).
      document_name: grounded.passage.documentName,
      ...(grounded.sectionTitle ? { section_title: grounded.sectionTitle } : {}),
      passage_id: grounded.passage.passageId,
      text: grounded.passage.text,
      ...(grounded.passage.s3Key ? { s3_key: grounded.passage.s3Key } : {}),
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
