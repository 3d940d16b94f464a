// One conversation with an agent, kept outside React: each message has its own subscribers, so a
// streamed delta re-renders only the message it belongs to, and deltas are applied at most once
// per animation frame. Finished turns are kept in storage so a reopened pane shows them again.
// When an answer ends, screen readers hear how (ready, stopped, failed) through the announcer.
import { isApiError } from "../../api/api-error";
import type { HttpClient } from "../../api/http-client";
import { readJson, writeJson } from "../../api/local-store";
import type { StreamEvent } from "../../api/sse";
import type { AskRequest, Vote } from "../../../shared/wire/chat";
import { shorten } from "../../../shared/text";
import { t } from "../../i18n";
import { announce } from "../../ui/announcer";
import { parseReferences, streamAnswer, type Reference } from "./api/stream-answer";
import { createThread, deleteAgentResponse, QUERY_SOURCE, type PastTurn } from "./api/threads";

/** `blocked`: the agent's guardrail stopped the question; `text` holds the server's words. */
export type MessageStatus = "streaming" | "done" | "stopped" | "interrupted" | "error" | "blocked";

export interface ChatMessage {
  id: string;
  role: "user" | "assistant";
  text: string;
  status: MessageStatus;
  /** For an assistant message: the question it answers (Retry asks it again). */
  question?: string;
  error?: string;
  references: Reference[];
  followups: string[];
  thoughts: string[];
  agentResponseId?: string;
  /** The person's vote on a finished answer. */
  vote?: Vote;
  /** A new answer to the same question is on its way; the old one stays until it arrives. */
  regenerating?: boolean;
  /** Why the last regeneration did not replace this answer. */
  regenerateError?: string;
}

export interface AskOptions {
  /** Corpora to answer from (grounding; docs/vendors.md, Ejento A6): sent as overrides.corpus_ids with is_file_attached. */
  corpusIds?: string[];
  selectedText?: string;
  idleTimeoutMs?: number;
}

const frame: (callback: () => void) => unknown =
  typeof requestAnimationFrame === "function" ? (cb) => requestAnimationFrame(cb) : (cb) => setTimeout(cb, 16);

let counter = 0;
const newId = () => `m${Date.now().toString(36)}${(counter++).toString(36)}`;

interface Stored {
  threadId: string | number | null;
  threadName?: string;
  messages: ChatMessage[];
}

export class Conversation {
  threadId: string | number | null = null;
  threadName: string | undefined;
  private messages = new Map<string, ChatMessage>();
  private order: string[] = [];
  private listListeners = new Set<() => void>();
  private messageListeners = new Map<string, Set<() => void>>();
  private active: { id: string; controller: AbortController } | undefined;

  constructor(
    readonly agentId: string,
    private readonly storageKey = `sidecar.chat.${agentId}`,
  ) {
    const stored = readJson<Stored>(storageKey);
    if (stored && Array.isArray(stored.messages)) {
      this.threadId = stored.threadId ?? null;
      this.threadName = stored.threadName;
      for (const m of stored.messages) {
        // An answer that was streaming when the pane closed is shown as interrupted.
        let message = m.status === "streaming" ? { ...m, status: "interrupted" as const, error: t("chat.closedWhileAnswering") } : m;
        if (message.regenerating) message = { ...message, regenerating: false, regenerateError: t("chat.closedWhileRegenerating") };
        this.messages.set(message.id, message);
        this.order.push(message.id);
      }
    }
  }

  // ---- subscriptions (useSyncExternalStore) ----
  private snapshot: { ids: string[]; busy: boolean } = { ids: [], busy: false };
  /** The message ids and whether an answer is streaming (a new object only when either changes). */
  state = (): { ids: string[]; busy: boolean } => {
    const busy = this.active !== undefined;
    if (this.snapshot.ids !== this.order || this.snapshot.busy !== busy) this.snapshot = { ids: this.order, busy };
    return this.snapshot;
  };
  message = (id: string): ChatMessage | undefined => this.messages.get(id);
  subscribeList = (listener: () => void) => {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  };
  subscribeMessage = (id: string, listener: () => void) => {
    let set = this.messageListeners.get(id);
    if (!set) this.messageListeners.set(id, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  };
  isBusy(): boolean {
    return this.active !== undefined;
  }

  private add(message: ChatMessage) {
    this.messages.set(message.id, message);
    this.order = [...this.order, message.id];
    this.listListeners.forEach((l) => l());
  }
  private update(id: string, patch: Partial<ChatMessage>) {
    const current = this.messages.get(id);
    if (!current) return;
    this.messages.set(id, { ...current, ...patch });
    this.messageListeners.get(id)?.forEach((l) => l());
  }
  private save() {
    const messages = this.order.map((id) => this.messages.get(id)!).slice(-60);
    writeJson(this.storageKey, { threadId: this.threadId, threadName: this.threadName, messages } satisfies Stored);
  }

  /** Completed question/answer pairs, oldest first, for the request's history (those before `before`, when given). */
  history(before?: string): Array<{ user: string; bot: string }> {
    const pairs: Array<{ user: string; bot: string }> = [];
    for (const id of this.order) {
      if (id === before) break;
      const m = this.messages.get(id)!;
      if (m.role === "assistant" && m.status === "done" && m.question) pairs.push({ user: m.question, bot: m.text });
    }
    return pairs.slice(-10);
  }

  /** The thread's id for the server, creating the thread when the conversation has none yet. */
  async ensureThread(client: HttpClient, signal?: AbortSignal): Promise<string> {
    if (this.threadId !== null) return String(this.threadId);
    const id = await createThread(client, this.agentId, signal);
    // The conversation may have been cleared or switched meanwhile; then the thread stays empty.
    if (this.threadId === null) {
      this.threadId = /^\d+$/.test(id) ? Number(id) : id;
      this.save();
    }
    return String(this.threadId);
  }

  /** The open thread's title changed (renamed in the list). */
  renamed(threadId: string, title: string) {
    if (this.threadId !== null && String(this.threadId) === threadId) {
      this.threadName = title;
      this.save();
    }
  }

  /** A thread was deleted: if it is the open one, the conversation becomes a new one. */
  deleted(threadId: string) {
    if (this.threadId !== null && String(this.threadId) === threadId) this.clear();
  }

  setVote(id: string, vote: Vote) {
    this.update(id, { vote });
    this.save();
  }

  /** Starts a new conversation (the old one stays on the server as a thread). */
  clear() {
    this.stop();
    this.threadId = null;
    this.threadName = undefined;
    this.messages.clear();
    this.order = [];
    this.listListeners.forEach((l) => l());
    this.save();
  }

  /** Shows a past thread and continues it. */
  load(threadId: string, name: string, turns: PastTurn[]) {
    this.clear();
    // Ejento thread ids are integers; keep them numbers on the wire.
    this.threadId = /^\d+$/.test(threadId) ? Number(threadId) : threadId;
    this.threadName = name;
    for (const turn of turns) {
      this.add({ id: newId(), role: "user", text: turn.question, status: "done", references: [], followups: [], thoughts: [] });
      this.add({
        id: newId(),
        role: "assistant",
        text: turn.answer,
        question: turn.question,
        status: turn.blocked ? "blocked" : turn.error ? "error" : "done",
        error: turn.error,
        references: turn.references,
        followups: [],
        thoughts: [],
        agentResponseId: turn.agentResponseId,
        vote: turn.vote,
      });
    }
    this.save();
  }

  stop() {
    this.active?.controller.abort();
  }

  /** Asks a question, or (with `retryOf`) asks an interrupted answer's question again in place. */
  async ask(client: HttpClient, question: string, options: AskOptions = {}, retryOf?: string): Promise<void> {
    if (this.active) return;
    const history = this.history(retryOf);
    let id: string;
    if (retryOf && this.messages.get(retryOf)) {
      id = retryOf;
      this.update(id, { text: "", status: "streaming", error: undefined, references: [], followups: [], thoughts: [] });
    } else {
      this.add({ id: newId(), role: "user", text: question, status: "done", references: [], followups: [], thoughts: [] });
      id = newId();
      this.add({ id, role: "assistant", text: "", question, status: "streaming", references: [], followups: [], thoughts: [] });
    }
    await this.answer(client, id, question, history, options, { caching: !retryOf, replace: false });
  }

  /**
   * A new answer to a finished answer's question (docs/vendors.md, Ejento A5.7): asked again with
   * caching off and without that pair in the history. The old answer stays on screen until the
   * new one has fully arrived; only then is the old one deleted on the server, so a failed
   * regeneration loses nothing.
   */
  async regenerate(client: HttpClient, id: string, options: AskOptions = {}): Promise<void> {
    const message = this.messages.get(id);
    if (this.active || !message?.question) return;
    const old = message.agentResponseId;
    this.update(id, { regenerating: true, regenerateError: undefined });
    const replaced = await this.answer(client, id, message.question, this.history(id), options, { caching: false, replace: true });
    if (replaced && old && old !== this.messages.get(id)?.agentResponseId) {
      await deleteAgentResponse(client, old).catch(() => undefined);
    }
  }

  /** Streams an answer into message `id`; with `replace`, the message keeps its old answer until the new one ends. True when it ended well. */
  private async answer(
    client: HttpClient,
    id: string,
    question: string,
    history: Array<{ user: string; bot: string }>,
    options: AskOptions,
    mode: { caching: boolean; replace: boolean },
  ): Promise<boolean> {
    const controller = new AbortController();
    this.active = { id, controller };
    this.listListeners.forEach((l) => l());

    let text = "";
    let thoughts: string[] = [];
    let ended = false;
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (mode.replace) {
        if (this.messages.get(id)?.regenerating) this.update(id, { thoughts });
      } else if (this.messages.get(id)?.status === "streaming") this.update(id, { text, thoughts });
    };
    const schedule = () => {
      if (scheduled) return;
      scheduled = true;
      frame(flush);
    };
    /** How the answer did not come (for the announcement). */
    let failure: { status: "stopped" | "interrupted" | "error"; error?: string } | undefined;
    /** The answer did not come: a regeneration keeps the old one and says why; else the message shows the failure. */
    const fail = (status: "stopped" | "interrupted" | "error", error?: string) => {
      failure = { status, error };
      if (mode.replace) {
        const why = status === "stopped" ? t("chat.regenerateStopped") : t("chat.regenerateFailed", { reason: error ?? t("chat.newAnswerMissing") });
        this.update(id, { regenerating: false, regenerateError: why });
      } else this.update(id, { text, thoughts, status, error });
    };

    const corpusIds = (options.corpusIds ?? []).map((c) => (/^\d+$/.test(c) ? Number(c) : c));
    const request: AskRequest = {
      user_query: question,
      chat_thread_id: this.threadId,
      query_source: QUERY_SOURCE,
      caching_enabled: mode.caching,
      is_file_attached: corpusIds.length > 0,
      history,
      overrides: {
        suggest_followup_questions: true,
        log_intermediate_response: true,
        retrieve_data_points: true,
        ...(corpusIds.length ? { corpus_ids: corpusIds as number[] } : {}),
        ...(options.selectedText ? { selected_text: options.selectedText } : {}),
      },
    };

    const blockedPatch = (words: string) => ({
      text: words || t("chat.guardrailStopped"),
      thoughts,
      status: "blocked" as const,
      error: undefined,
      references: [],
      followups: [],
      regenerating: false,
    });

    const onEvent = (event: StreamEvent) => {
      if (ended) return;
      const output = (event.output ?? {}) as Record<string, unknown>;
      switch (event.step) {
        case "assistant_stream":
        case "model_stream":
          text += typeof event.delta === "string" ? event.delta : "";
          schedule();
          return;
        case "tools_stream":
          if (typeof event.delta === "string") {
            const last = thoughts.length - 1;
            thoughts = last >= 0 && thoughts[last]!.startsWith("…") ? [...thoughts.slice(0, last), thoughts[last] + event.delta] : [...thoughts, `…${event.delta}`];
            schedule();
          }
          return;
        case "end": {
          ended = true;
          if (output.thread_id !== undefined && output.thread_id !== null) this.threadId = output.thread_id as string | number;
          if (typeof output.chat_thread_name === "string" && output.chat_thread_name) this.threadName = output.chat_thread_name;
          const responseId = output.agent_response_id != null ? String(output.agent_response_id) : undefined;
          if (output.blocked === true || output.guardrail_triggered === true) {
            const words = typeof output.answer === "string" && output.answer ? output.answer : typeof output.message === "string" ? output.message : "";
            this.update(id, { ...blockedPatch(words), agentResponseId: responseId });
            return;
          }
          if (event.success === false) {
            const why = typeof output.message === "string" && output.message ? output.message : t("chat.agentCouldNotAnswer");
            fail("error", why);
            return;
          }
          this.update(id, {
            text: typeof output.answer === "string" && output.answer ? output.answer : text,
            thoughts,
            status: "done",
            error: undefined,
            references: parseReferences(output.references),
            followups: Array.isArray(output.followup_questions) ? output.followup_questions.filter((q): q is string => typeof q === "string") : [],
            agentResponseId: responseId,
            vote: undefined,
            regenerating: false,
            regenerateError: undefined,
          });
          return;
        }
        case "error": {
          ended = true;
          const details = (output.error as { details?: unknown } | undefined)?.details;
          const why = typeof details === "string" && details ? details : typeof event.message === "string" && event.message ? event.message : t("chat.agentProblem");
          if (output.blocked === true) this.update(id, blockedPatch(why));
          else fail("error", why);
          return;
        }
        default: {
          const title = (output.title as string | undefined) ?? event.message;
          if (typeof title === "string" && title.trim()) {
            thoughts = [...thoughts, title.trim()];
            schedule();
          }
        }
      }
    };

    let ok = false;
    try {
      const outcome = await streamAnswer(client, { agentId: this.agentId, request, signal: controller.signal, idleTimeoutMs: options.idleTimeoutMs, onEvent });
      if (outcome === "closed") fail("interrupted", t("chat.answerCutOff"));
      else ok = this.messages.get(id)?.status === "done" && !this.messages.get(id)?.regenerateError;
    } catch (error) {
      if (isApiError(error) && error.kind === "aborted") fail("stopped");
      else if (isApiError(error) && error.kind === "network" && text) fail("interrupted", error.message);
      else fail("error", error instanceof Error ? error.message : String(error));
    } finally {
      this.active = undefined;
      this.listListeners.forEach((l) => l());
      this.save();
      announceOutcome(this.messages.get(id), mode.replace, failure);
    }
    return ok;
  }
}

/** The longest reason an announcement reads out (the whole of it is on screen). */
const REASON_CHARS = 120;

/**
 * Tells screen readers how an answer ended: ready, stopped, blocked, cut off or failed (with a short
 * reason). Worded unlike what the screen shows. Nothing for an answer no longer in the
 * conversation (a new conversation was started meanwhile).
 */
function announceOutcome(
  message: ChatMessage | undefined,
  replacing: boolean,
  failure: { status: "stopped" | "interrupted" | "error"; error?: string } | undefined,
): void {
  if (!message) return;
  const reason = shorten(failure?.error || t("chat.agentProblem"), REASON_CHARS);
  if (message.status === "blocked") announce(t("chat.announceBlocked"));
  else if (failure?.status === "stopped") announce(replacing ? t("chat.announceNewAnswerStopped") : t("chat.announceAnswerStopped"));
  else if (failure?.status === "interrupted") announce(replacing ? t("chat.announceNewAnswerFailed", { reason }) : t("chat.announceAnswerInterrupted", { reason }));
  else if (failure?.status === "error") announce(replacing ? t("chat.announceNewAnswerFailed", { reason }) : t("chat.announceAnswerFailed", { reason }));
  else if (message.status === "done" && !message.regenerateError) announce(replacing ? t("chat.announceNewAnswerReady") : t("chat.announceAnswerReady"));
}

const conversations = new Map<string, Conversation>();
export function conversationFor(agentId: string): Conversation {
  let conversation = conversations.get(agentId);
  if (!conversation) conversations.set(agentId, (conversation = new Conversation(agentId)));
  return conversation;
}
/** Forgets the in-memory conversations (a new pane session; tests). */
export function resetConversations(): void {
  conversations.forEach((c) => c.stop());
  conversations.clear();
}
