// Past conversations with an agent, in Ejento's shapes (docs/api.md "Threads, history and
// feedback"; docs/vendors.md, Ejento A4): the list is `data.chat_threads[]`, a thread's turns are
// `data.agent_responses[]` with `question` and `response.answer`. Older local servers answered a
// bare list with `user_query`/`answer`; conversations saved from them still open.
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { ejentoData, type HttpClient } from "../../../api/http-client";
import { t } from "../../../i18n";
import type { CreateThreadRequest, RenameThreadRequest, Vote } from "../../../../shared/wire/chat";
import { parseReferences, type Reference } from "./stream-answer";

/** The tag of this add-in's conversations (docs/vendors.md, Ejento A5.2): its threads are listed with it. */
export const QUERY_SOURCE = "word-addin";

export interface ChatThread {
  id: string;
  title: string;
  /** When it was last used (ISO); the list is newest first. */
  modifiedOn?: string;
  createdOn?: string;
}

export interface PastTurn {
  agentResponseId?: string;
  question: string;
  answer: string;
  references: Reference[];
  followups: string[];
  vote?: Vote;
  /** The agent's guardrail stopped the question; `answer` holds its words. */
  blocked?: boolean;
  /** The answer failed; `error` says why. */
  error?: string;
}

export const chatKeys = {
  threads: (agentId: string) => ["chat-threads", agentId] as const,
  turns: (threadId: string) => ["chat-thread-turns", threadId] as const,
};

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const id = (value: unknown): string | undefined => (typeof value === "number" || (typeof value === "string" && value) ? String(value) : undefined);

/** A list in `data.<key>`, or (older local server, a vendor page) `data` itself or `data.items`. */
function listIn(data: unknown, key: string): unknown[] {
  if (Array.isArray(data)) return data;
  const record = (data ?? {}) as Record<string, unknown>;
  for (const candidate of [record[key], record.items]) if (Array.isArray(candidate)) return candidate;
  return [];
}

export function parseThread(raw: unknown): ChatThread | undefined {
  const thread = (raw ?? {}) as Record<string, unknown>;
  const threadId = id(thread.id);
  if (!threadId || thread.is_deleted === true) return undefined;
  const title = text(thread.title) || text(thread.chat_thread_name) || text(thread.name) || t("chat.untitledConversation");
  return { id: threadId, title, modifiedOn: text(thread.modified_on) ?? text(thread.updated_at), createdOn: text(thread.created_on) ?? text(thread.created_at) };
}

export async function getThreads(client: HttpClient, agentId: string, signal?: AbortSignal): Promise<ChatThread[]> {
  const data = ejentoData(
    await client.request("listChatThreads", { params: { agent_id: agentId }, query: { query_source: QUERY_SOURCE }, signal }),
    "listChatThreads",
  );
  return listIn(data, "chat_threads")
    .map(parseThread)
    .filter((t): t is ChatThread => !!t);
}

function parseTurn(raw: unknown): PastTurn {
  const r = (raw ?? {}) as Record<string, unknown>;
  // Ejento: the answer is an object `response` (Quickstart-Template chat.tsx reads it so).
  const response = r.response && typeof r.response === "object" ? (r.response as Record<string, unknown>) : undefined;
  const source = response ?? r;
  const blocked = source.blocked === true || source.guardrail_triggered === true;
  const failed = response !== undefined && response.success === false && !blocked;
  const feedback = Array.isArray(r.feedback) ? (r.feedback[0] as Record<string, unknown> | undefined) : undefined;
  const vote: Vote | undefined =
    feedback?.is_upvote === true ? "upvote" : feedback?.is_downvote === true ? "downvote" : r.feedback === "upvote" || r.feedback === "downvote" ? r.feedback : undefined;
  return {
    agentResponseId: id(r.id) ?? id(source.agent_response_id),
    question: text(r.question) ?? text(r.user_query) ?? "",
    answer: text(source.answer) ?? (typeof r.response === "string" ? r.response : ""),
    references: parseReferences(source.references),
    followups: Array.isArray(source.followup_questions) ? source.followup_questions.filter((q): q is string => typeof q === "string") : [],
    vote,
    blocked: blocked || undefined,
    error: failed ? text(response.message) || t("chat.agentCouldNotAnswer") : undefined,
  };
}

export async function getThreadTurns(client: HttpClient, threadId: string, signal?: AbortSignal): Promise<PastTurn[]> {
  const data = ejentoData(await client.request("listThreadResponses", { params: { thread_id: threadId }, signal }), "listThreadResponses");
  return listIn(data, "agent_responses").map(parseTurn);
}

/** Creates an empty thread (needed before a corpus can be linked to it); its id. */
export async function createThread(client: HttpClient, agentId: string, signal?: AbortSignal): Promise<string> {
  const body: CreateThreadRequest = { agent: /^\d+$/.test(agentId) ? Number(agentId) : agentId, query_source: QUERY_SOURCE };
  const data = ejentoData<Record<string, unknown>>(await client.request("createChatThread", { params: { agent_id: agentId }, body, signal }), "createChatThread");
  const threadId = id(data?.id);
  if (!threadId) throw new Error(t("chat.threadWithoutId"));
  return threadId;
}

export async function renameThread(client: HttpClient, threadId: string, title: string): Promise<void> {
  const body: RenameThreadRequest = { title };
  ejentoData(await client.request("renameChatThread", { params: { thread_id: threadId }, body }), "renameChatThread");
}

export async function deleteThread(client: HttpClient, threadId: string): Promise<void> {
  ejentoData(await client.request("deleteChatThread", { params: { thread_id: threadId } }), "deleteChatThread");
}

export async function deleteAgentResponse(client: HttpClient, agentResponseId: string): Promise<void> {
  ejentoData(await client.request("deleteAgentResponse", { params: { agent_response_id: agentResponseId } }), "deleteAgentResponse");
}

export function useThreads(agentId: string | undefined, enabled = true) {
  const client = useApiClient();
  return useQuery({
    ...queryOptions({ queryKey: chatKeys.threads(agentId ?? ""), queryFn: ({ signal }) => getThreads(client, agentId ?? "", signal) }),
    enabled: !!agentId && enabled,
  });
}
