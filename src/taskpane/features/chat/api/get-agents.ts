import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { ejentoData, type HttpClient } from "../../../api/http-client";
import { t } from "../../../i18n";

export interface Agent {
  id: string;
  agent_name: string;
  description?: string;
  conversation_starter_enabled?: boolean;
  starters: string[];
}

export function parseAgent(raw: unknown): Agent | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const record = raw as Record<string, unknown>;
  if (record.id === undefined || record.id === null) return undefined;
  const starters = ["sample_q1", "sample_q2", "sample_q3", "sample_q4"]
    .map((key) => record[key])
    .filter((q): q is string => typeof q === "string" && q.trim().length > 0);
  return {
    id: String(record.id),
    agent_name: typeof record.agent_name === "string" && record.agent_name ? record.agent_name : t("chat.agentFallbackName", { id: String(record.id) }),
    description: typeof record.description === "string" ? record.description : undefined,
    conversation_starter_enabled: record.conversation_starter_enabled !== false,
    starters,
  };
}

export async function getAgents(client: HttpClient, signal?: AbortSignal): Promise<Agent[]> {
  const data = ejentoData(await client.request("listAgents", { signal }), "listAgents");
  // A list in `data`, or a page of them in `data.items`.
  const list = Array.isArray(data) ? data : Array.isArray((data as { items?: unknown })?.items) ? (data as { items: unknown[] }).items : [];
  return list.map(parseAgent).filter((a): a is Agent => !!a);
}

export const agentsQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: ["agents"], queryFn: ({ signal }) => getAgents(client, signal), staleTime: 5 * 60_000 });

export function useAgents() {
  const client = useApiClient();
  return useQuery(agentsQueryOptions(client));
}
