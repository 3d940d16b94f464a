// One conversation with an agent, kept outside React: each message has its own subscribers, so a
// streamed delta re-renders only the message it belongs to, and deltas are applied at most once
// per animation frame. Finished turns are kept in storage so a reopened pane shows them again.
import { isApiError } from "../../api/api-error";
import type { HttpClient } from "../../api/http-client";
import { readJson, writeJson } from "../../api/local-store";
import type { StreamEvent } from "../../api/sse";
import type { AskRequest } from "../../../shared/wire/chat";
import { parseReferences, streamAnswer, type Reference } from "./api/stream-answer";
import type { PastTurn } from "./api/threads";

export type MessageStatus = "streaming" | "done" | "stopped" | "interrupted" | "error";

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
}

export interface AskOptions {
  documentIds?: string[];
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
        const message = m.status === "streaming" ? { ...m, status: "interrupted" as const, error: "The pane was closed while the answer arrived." } : m;
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

  /** Completed question/answer pairs, oldest first, for the request's history. */
  history(): Array<{ user: string; bot: string }> {
    const pairs: Array<{ user: string; bot: string }> = [];
    for (const id of this.order) {
      const m = this.messages.get(id)!;
      if (m.role === "assistant" && m.status === "done" && m.question) pairs.push({ user: m.question, bot: m.text });
    }
    return pairs.slice(-10);
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
        status: "done",
        references: turn.references,
        followups: [],
        thoughts: [],
        agentResponseId: turn.agentResponseId,
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
    const history = this.history();
    let id: string;
    if (retryOf && this.messages.get(retryOf)) {
      id = retryOf;
      this.update(id, { text: "", status: "streaming", error: undefined, references: [], followups: [], thoughts: [] });
    } else {
      this.add({ id: newId(), role: "user", text: question, status: "done", references: [], followups: [], thoughts: [] });
      id = newId();
      this.add({ id, role: "assistant", text: "", question, status: "streaming", references: [], followups: [], thoughts: [] });
    }
    const controller = new AbortController();
    this.active = { id, controller };
    this.listListeners.forEach((l) => l());

    let text = "";
    let thoughts: string[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (this.messages.get(id)?.status === "streaming") this.update(id, { text, thoughts });
    };
    const schedule = () => {
      if (scheduled) return;
      scheduled = true;
      frame(flush);
    };

    const request: AskRequest = {
      user_query: question,
      chat_thread_id: this.threadId,
      query_source: "word-addin",
      caching_enabled: !retryOf,
      is_file_attached: false,
      history,
      overrides: {
        suggest_followup_questions: true,
        log_intermediate_response: true,
        retrieve_data_points: true,
        ...(options.documentIds?.length ? { document_ids: options.documentIds } : {}),
        ...(options.selectedText ? { selected_text: options.selectedText } : {}),
      },
    };

    const onEvent = (event: StreamEvent) => {
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
          if (event.success === false) {
            const why = typeof output.message === "string" && output.message ? output.message : "The agent could not answer.";
            this.update(id, { text, thoughts, status: "error", error: why });
            return;
          }
          if (output.thread_id !== undefined && output.thread_id !== null) this.threadId = output.thread_id as string | number;
          if (typeof output.chat_thread_name === "string") this.threadName = output.chat_thread_name;
          this.update(id, {
            text: typeof output.answer === "string" && output.answer ? output.answer : text,
            thoughts,
            status: "done",
            references: parseReferences(output.references),
            followups: Array.isArray(output.followup_questions) ? output.followup_questions.filter((q): q is string => typeof q === "string") : [],
            agentResponseId: output.agent_response_id != null ? String(output.agent_response_id) : undefined,
          });
          return;
        }
        case "error": {
          const details = (output.error as { details?: unknown } | undefined)?.details;
          const why = typeof details === "string" && details ? details : typeof event.message === "string" && event.message ? event.message : "The agent ran into a problem.";
          this.update(id, { text, thoughts, status: "error", error: why });
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

    try {
      const outcome = await streamAnswer(client, { agentId: this.agentId, request, signal: controller.signal, idleTimeoutMs: options.idleTimeoutMs, onEvent });
      if (outcome === "closed") {
        this.update(id, { text, thoughts, status: "interrupted", error: "The answer was cut off before it finished." });
      }
    } catch (error) {
      if (isApiError(error) && error.kind === "aborted") this.update(id, { text, thoughts, status: "stopped" });
      else if (isApiError(error) && error.kind === "network" && text) this.update(id, { text, thoughts, status: "interrupted", error: error.message });
      else this.update(id, { text, thoughts, status: "error", error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.active = undefined;
      this.listListeners.forEach((l) => l());
      this.save();
    }
  }
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
