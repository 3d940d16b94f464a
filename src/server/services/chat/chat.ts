// Chat with an agent (docs/api.md "Chat (Ejento shape)"; docs/vendors.md Ejento A4–A5): take a
// question (its shape checked by the route with src/shared/wire/chat.ts), stop it when the
// guardrail refuses it, ground it (on the corpora it names, the documents it names, or the
// organization's newest), answer (extractive by default, or an OpenAI-compatible model when one
// is configured) as a stream of events, and keep the turn in its thread. Threads can be
// created, listed, renamed and deleted; their turns listed and deleted. Threads and turns are
// one person's: anyone else's is 404 everywhere.
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyBaseLogger } from "fastify";
import type { z } from "zod";
import {
  type Agent,
  type AgentResponseItem,
  type Answer,
  type ChatEvent,
  type ChatThread,
  type createThreadRequest,
  type FeedbackRequest,
  type HistoryTurn,
  type ParsedAskRequest,
  type Reference,
} from "../../../shared/wire/chat";
import { HttpError } from "../../errors";
import { NEW_THREAD_TITLE, type AgentResponseRow, type ChatThreadRow } from "../../storage/chat-store";
import type { CorpusRow } from "../../storage/corpus-store";
import type { Storage } from "../../storage/storage";
import type { Caller } from "../auth";
import { shorten } from "../../../shared/text";
import { styleOf, type AgentService } from "./agents";
import { composeAnswer, deltasOf, followUpQuestions, threadNameFor } from "./compose";
import type { CorpusService } from "./corpora";
import { isRewriteRequest } from "./extract";
import { MAX_ANSWER_PASSAGES, type GroundedPassage, type Grounding, type GroundingService } from "./grounding";
import { GUARDRAIL_STATUS, type Guardrail, type GuardrailVerdict } from "./guardrail";
import { rewritePrompt, streamModelAnswer, type LlmConfig } from "./llm";
import { ownResponse, ownThread } from "./ownership";

const MAX_SELECTED_TEXT_CHARS = 8000;
const MAX_HISTORY_TURNS = 20;
export const SEARCHING_STATUS = "Searching your documents";
export const NEEDS_MODEL_STATUS = "Rewording needs a language model";
export const REWRITING_STATUS = "Rewording the selected text";
/** What a rewording is grounded on: nothing (the selected text is the whole input). */
const EMPTY_GROUNDING: Grounding = { documents: [], passages: [], thoughts: [], nothingMatched: false, terms: new Set(), emptyAnswer: null, mode: "passages" };
/** The answer to a request to reword text when no model is connected. */
export const REWRITE_NEEDS_MODEL =
  "Rewording text needs a language model, and none is connected to this server: without one, Sidecar answers with extracts from your documents, not text of its own. Your selected text is unchanged. To have text reworded, connect an OpenAI-compatible model (Ollama, llama.cpp's server or any other) with SIDECAR_LLM_BASE_URL and SIDECAR_LLM_MODEL; the README's section “Connecting a model” shows how.";

/** A validated question, ready to answer. */
export interface PreparedTurn {
  caller: Caller;
  agent: Agent;
  question: string;
  selectedText: string | null;
  documentIds: string[] | null;
  /** The corpora to ground on (named in overrides.corpus_ids, or linked to the thread with is_file_attached); null = none. */
  corpora: CorpusRow[] | null;
  /** is_file_attached was sent but the thread has no corpus linked (said in a thought). */
  noAttachment: boolean;
  thread: ChatThreadRow | null;
  querySource: string | null;
  history: HistoryTurn[];
  /** Set when the guardrail refused the question: it is not answered. */
  refused: GuardrailVerdict | null;
}

/** The body of a thread's creation, parsed. */
export type CreateThreadBody = z.output<typeof createThreadRequest>;

export interface ChatOptions {
  deltaDelayMs: number;
  llm: LlmConfig | null;
}

function threadOf(row: ChatThreadRow): ChatThread {
  return {
    id: row.id,
    title: row.name,
    agent: row.agent_id,
    user: row.user_id,
    corpus_id: row.corpus_id,
    chat_id: null,
    query_source: row.query_source,
    created_by: row.user_email,
    created_on: row.created_at,
    modified_by: row.modified_by ?? row.user_email,
    modified_on: row.updated_at,
    is_deleted: false,
  };
}

function responseOf(row: AgentResponseRow, thread: ChatThreadRow): AgentResponseItem {
  const vote = row.vote === "upvote" || row.vote === "downvote" ? row.vote : null;
  return {
    id: row.id,
    question: row.user_query,
    query_source: row.query_source,
    thread: row.thread_id,
    user: row.user_id,
    created_by: row.user_email,
    created_on: row.created_at,
    is_cleared: false,
    stage: null,
    response: {
      success: row.success !== 0,
      answer: row.answer,
      message: row.message,
      references: JSON.parse(row.references_json) as Reference[],
      followup_questions: JSON.parse(row.followups_json) as string[],
      guardrail_triggered: row.guardrail_triggered !== 0,
      blocked: row.blocked !== 0,
      thread_name: thread.name,
      agent_response_id: row.id,
      id: row.id,
    },
    feedback: vote
      ? [{ id: row.id, is_upvote: vote === "upvote", is_downvote: vote === "downvote", created_by: row.user_email, created_on: row.voted_at ?? row.created_at }]
      : [],
    comments: [],
  };
}

function querySourceOf(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 100) : null;
}

export class ChatService {
  constructor(
    private readonly storage: Storage,
    private readonly agents: AgentService,
    private readonly grounding: GroundingService,
    private readonly corpora: CorpusService,
    private readonly guardrail: Guardrail,
    private readonly options: ChatOptions,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Finds what a question names (404 as HttpError: the agent, the thread, each corpus) and asks
   * the guardrail, before anything is streamed; its shape is the route's schema's.
   */
  async prepare(caller: Caller, agentIdRaw: string, request: ParsedAskRequest): Promise<PreparedTurn> {
    const agent = this.agents.get(agentIdRaw);
    let thread: ChatThreadRow | null = null;
    if (request.chat_thread_id !== null) {
      const threadId = request.chat_thread_id;
      thread = (await this.storage.chat.getThread(threadId)) ?? null;
      if (!thread || thread.user_id !== caller.userId || thread.agent_id !== agent.id) {
        throw new HttpError(404, `There is no chat thread ${threadId} of yours with ${agent.agent_name}. Start a new conversation (chat_thread_id: null).`);
      }
    }
    // Corpora: those named (each must be the caller's), and with is_file_attached those linked to the thread.
    const named = await this.corpora.named(caller, request.overrides?.corpus_ids ?? []);
    const linked = request.is_file_attached && thread ? await this.corpora.linkedRows(thread.id) : [];
    const corpora = [...named, ...linked.filter((corpus) => !named.some((row) => row.id === corpus.id))];
    const selected = request.overrides?.selected_text;
    return {
      caller,
      agent,
      question: request.user_query,
      selectedText: selected?.trim() ? selected.slice(0, MAX_SELECTED_TEXT_CHARS) : null,
      documentIds: request.overrides?.document_ids ?? null,
      corpora: corpora.length > 0 ? corpora : null,
      noAttachment: request.is_file_attached === true && corpora.length === 0,
      thread,
      querySource: querySourceOf(request.query_source),
      history: (request.history ?? []).slice(-MAX_HISTORY_TURNS),
      refused: this.guardrail.check(request.user_query),
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
      if (turn.refused) {
        // No retrieval: the guardrail's words are the answer, stored like any turn.
        emit({ step: "status", message: GUARDRAIL_STATUS });
        const output = await this.store(turn, turn.refused.answer, [], null, turn.refused);
        emit({ step: "end", success: true, message: turn.refused.answer, output });
        return output;
      }
      if (!this.options.llm && isRewriteRequest(turn.question)) {
        // Rewording needs a model; an extract of the document is not a rewrite.
        emit({ step: "status", message: NEEDS_MODEL_STATUS });
        const output = await this.store(turn, REWRITE_NEEDS_MODEL, [], null, null);
        for (const delta of deltasOf(REWRITE_NEEDS_MODEL)) {
          if (signal.aborted) return null;
          emit({ step: "assistant_stream", delta, message: "" });
        }
        emit({ step: "end", success: true, message: "", output });
        return output;
      }
      if (this.options.llm && isRewriteRequest(turn.question) && turn.selectedText) {
        // Rewording the selection: the model's new text, nothing searched, nothing cited.
        emit({ step: "status", message: REWRITING_STATUS });
        let rewritten = "";
        const question = { agent: turn.agent, question: turn.question, selectedText: turn.selectedText, history: turn.history, grounding: EMPTY_GROUNDING };
        await streamModelAnswer(
          this.options.llm,
          question,
          async (delta) => {
            if (signal.aborted) return;
            rewritten += delta;
            sent++;
            emit({ step: "assistant_stream", delta, message: "" });
            if (deltaDelayMs > 0) await sleep(deltaDelayMs, undefined, { signal }).catch(() => undefined);
          },
          signal,
          rewritePrompt(question),
        );
        if (signal.aborted) return null;
        const output = await this.store(turn, rewritten, [], null, null);
        emit({ step: "end", success: true, message: "", output });
        return output;
      }
      emit({ step: "status", message: SEARCHING_STATUS });
      const grounding = await this.grounding.ground(
        turn.caller,
        {
          question: turn.question,
          selectedText: turn.selectedText,
          documentIds: turn.documentIds,
          corpus: turn.corpora ? await this.corpora.scope(turn.corpora) : null,
        },
        signal,
      );
      const notes: string[] = [];
      if (turn.corpora && turn.documentIds?.length) notes.push("Grounded on the corpora only: the document ids sent with them (overrides.document_ids) were not used.");
      if (turn.noAttachment) notes.push("No corpus is linked to this conversation (is_file_attached was sent): searching your documents instead.");
      for (const thought of [...notes, ...grounding.thoughts]) {
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
      let cited: GroundedPassage[];
      if (this.options.llm && grounding.passages.length > 0) {
        // The model gets the best few passages (a summary's: one per section) and cites them by number.
        const forModel = grounding.mode === "summary" ? grounding : { ...grounding, passages: grounding.passages.slice(0, MAX_ANSWER_PASSAGES) };
        await streamModelAnswer(this.options.llm, { agent: turn.agent, question: turn.question, selectedText: turn.selectedText, history: turn.history, grounding: forModel }, deliver, signal);
        total = sent;
        cited = forModel.passages;
      } else {
        const composed = composeAnswer(turn.question, grounding, styleOf(turn.agent));
        cited = composed.cited;
        const deltas = deltasOf(composed.text);
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
      const output = await this.store(turn, answer, cited, grounding, null);
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
    const turn = await this.prepare(caller, agentIdRaw, request);
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

  /** A person's threads with an agent (only those started by `querySource` when given), most recently used first. */
  async threads(caller: Caller, agentIdRaw: string, querySource?: string): Promise<ChatThread[]> {
    const agent = this.agents.get(agentIdRaw);
    return (await this.storage.chat.listThreads(caller.userId, agent.id, querySourceOf(querySource))).map(threadOf);
  }

  /** A new, empty thread titled "New Chat" (or the title sent); its first answer names it. */
  async createThread(caller: Caller, agentIdRaw: string, body: CreateThreadBody): Promise<ChatThread> {
    const agent = this.agents.get(agentIdRaw);
    return threadOf(
      await this.storage.chat.createThread({
        organizationId: caller.organizationId,
        userId: caller.userId,
        userEmail: caller.email,
        agentId: agent.id,
        title: body?.title?.trim() || NEW_THREAD_TITLE,
        querySource: querySourceOf(body?.query_source),
      }),
    );
  }

  renameThread(caller: Caller, threadIdRaw: string, title: string): Promise<ChatThread> {
    // One transaction: a thread deleted between the check and the rename is 404.
    return this.storage.sql.transaction(async () => {
      const thread = await ownThread(this.storage, caller, threadIdRaw);
      return threadOf(await this.storage.chat.renameThread(thread.id, title.trim(), caller.email));
    });
  }

  /** Deletes a thread with its turns and corpus links (the corpora themselves stay). */
  async deleteThread(caller: Caller, threadIdRaw: string): Promise<void> {
    const thread = await ownThread(this.storage, caller, threadIdRaw);
    await this.storage.chat.deleteThread(thread.id);
  }

  /** A thread's turns, oldest first. */
  async responses(caller: Caller, threadIdRaw: string): Promise<AgentResponseItem[]> {
    const thread = await ownThread(this.storage, caller, threadIdRaw);
    return (await this.storage.chat.listResponses(thread.id)).map((row) => responseOf(row, thread));
  }

  async deleteResponse(caller: Caller, responseIdRaw: string): Promise<void> {
    const response = await ownResponse(this.storage, caller, responseIdRaw);
    await this.storage.chat.deleteResponse(response.id);
  }

  feedback(caller: Caller, responseIdRaw: string, request: FeedbackRequest): Promise<{ id: number }> {
    // One transaction: an answer deleted between the check and the vote is 404, not a lost vote.
    return this.storage.sql.transaction(async () => {
      const response = await ownResponse(this.storage, caller, responseIdRaw);
      await this.storage.chat.setVote(response.id, request.vote_type);
      return { id: response.id };
    });
  }

  private async store(
    turn: PreparedTurn,
    answer: string,
    cited: readonly GroundedPassage[],
    grounding: Grounding | null,
    refused: GuardrailVerdict | null,
  ): Promise<Answer> {
    const references: Reference[] = cited.map((grounded, index) => ({
      number: grounded.number,
      order: index + 1,
      // A storage name, as Ejento's non-http urls are: GET /api/v2/citation/{name} serves the file.
      url: grounded.passage.s3Key ?? "",
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
    // From what the answer cites, so a follow-up never names a section it doesn't show.
    const followups = grounding ? followUpQuestions(turn.question, { ...grounding, passages: [...cited] }) : [];
    const stored = await this.storage.chat.addTurn({
      threadId: turn.thread?.id ?? null,
      threadName: threadNameFor(turn.question),
      organizationId: turn.caller.organizationId,
      userId: turn.caller.userId,
      userEmail: turn.caller.email,
      agentId: turn.agent.id,
      querySource: turn.querySource,
      userQuery: turn.question,
      answer,
      message: refused ? refused.answer : "",
      references,
      followups,
      guardrailTriggered: refused !== null,
      blocked: refused !== null,
    });
    if (!stored) throw new HttpError(404, "This conversation was deleted while the answer was being written; the answer was not kept.");
    const { thread, responseId } = stored;
    return {
      answer,
      references,
      followup_questions: followups,
      thread_id: thread.id,
      chat_thread_name: thread.name,
      agent_response_id: responseId,
      chatlog_id: responseId,
      guardrail_triggered: refused !== null,
      blocked: refused !== null,
    };
  }
}
