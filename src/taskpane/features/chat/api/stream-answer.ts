// Asks an agent and reads its streamed answer (CONTRACT.md "Chat", ejento.md A5.4–A5.5).
import type { HttpClient } from "../../../api/http-client";
import { readEventStream, type StreamEvent, type StreamOutcome } from "../../../api/sse";

export interface Reference {
  number: number;
  order?: number;
  url?: string;
  title?: string;
  document_id?: string;
  section_id?: string;
}

export interface AskRequest {
  user_query: string;
  chat_thread_id: string | number | null;
  query_source: "word-addin";
  caching_enabled: boolean;
  is_file_attached: boolean;
  history: Array<{ user: string; bot: string }>;
  overrides: {
    suggest_followup_questions: boolean;
    log_intermediate_response: boolean;
    retrieve_data_points: boolean;
    document_ids?: string[];
    selected_text?: string;
  };
}

export function parseReferences(raw: unknown): Reference[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((r) => {
      const ref = r as Record<string, unknown>;
      const number = Number(ref?.number);
      if (!Number.isFinite(number)) return undefined;
      return {
        number,
        order: Number.isFinite(Number(ref.order)) ? Number(ref.order) : undefined,
        url: typeof ref.url === "string" ? ref.url : undefined,
        title: typeof ref.title === "string" ? ref.title : undefined,
        document_id: ref.document_id != null ? String(ref.document_id) : undefined,
        section_id: ref.section_id != null ? String(ref.section_id) : undefined,
      } satisfies Reference;
    })
    .filter((r): r is NonNullable<typeof r> => !!r);
}

export async function streamAnswer(
  client: HttpClient,
  input: { agentId: string; request: AskRequest; signal: AbortSignal; idleTimeoutMs?: number; onEvent: (event: StreamEvent) => void },
): Promise<StreamOutcome> {
  const response = await client.openStream("streamAgentResponse", { params: { agent_id: input.agentId }, body: input.request, signal: input.signal });
  return readEventStream(response, { signal: input.signal, idleTimeoutMs: input.idleTimeoutMs, onEvent: input.onEvent });
}
