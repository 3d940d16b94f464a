import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import type { HttpClient } from "../../../api/http-client";
import { unwrapEnvelope } from "./get-agents";
import { parseReferences, type Reference } from "./stream-answer";

export interface ChatThread {
  id: string;
  name: string;
  updated_at?: string;
}

export interface PastTurn {
  agentResponseId?: string;
  question: string;
  answer: string;
  references: Reference[];
}

export const chatKeys = {
  threads: (agentId: string) => ["chat-threads", agentId] as const,
  turns: (threadId: string) => ["chat-thread-turns", threadId] as const,
};

export async function getThreads(client: HttpClient, agentId: string, signal?: AbortSignal): Promise<ChatThread[]> {
  const data = unwrapEnvelope<unknown>(await client.request("listChatThreads", { params: { agent_id: agentId }, signal }), "listChatThreads");
  const list = Array.isArray(data) ? data : Array.isArray((data as { threads?: unknown })?.threads) ? (data as { threads: unknown[] }).threads : [];
  return list
    .map((raw): ChatThread | undefined => {
      const t = raw as Record<string, unknown>;
      if (t?.id === undefined || t.id === null) return undefined;
      const name = t.chat_thread_name ?? t.name ?? t.title;
      return { id: String(t.id), name: typeof name === "string" && name ? name : "Conversation", updated_at: typeof t.updated_at === "string" ? t.updated_at : undefined };
    })
    .filter((t): t is ChatThread => !!t);
}

export async function getThreadTurns(client: HttpClient, threadId: string, signal?: AbortSignal): Promise<PastTurn[]> {
  const data = unwrapEnvelope<unknown>(await client.request("listThreadResponses", { params: { thread_id: threadId }, signal }), "listThreadResponses");
  const list = Array.isArray(data) ? data : Array.isArray((data as { responses?: unknown })?.responses) ? (data as { responses: unknown[] }).responses : [];
  return list.map((raw) => {
    const r = raw as Record<string, unknown>;
    return {
      agentResponseId: r.id !== undefined ? String(r.id) : r.agent_response_id !== undefined ? String(r.agent_response_id) : undefined,
      question: String(r.user_query ?? r.question ?? ""),
      answer: String(r.answer ?? r.response ?? ""),
      references: parseReferences(r.references),
    };
  });
}

export function useThreads(agentId: string | undefined) {
  const client = useApiClient();
  return useQuery({
    ...queryOptions({ queryKey: chatKeys.threads(agentId ?? ""), queryFn: ({ signal }) => getThreads(client, agentId ?? "", signal) }),
    enabled: !!agentId,
  });
}
