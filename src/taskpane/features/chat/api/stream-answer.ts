// Asks an agent and reads its streamed answer (docs/api.md "Chat", docs/vendors.md Ejento A5.4–A5.5).
import type { HttpClient } from "../../../api/http-client";
import { readEventStream, type StreamEvent, type StreamOutcome } from "../../../api/sse";
import type { AskRequest, Reference as WireReference } from "../../../../shared/wire/chat";
import type { AtLeast } from "../../../../shared/wire/fields";

/** A citation as the pane reads it: its number is sure; the rest may be missing (or sent as strings). */
export type Reference = AtLeast<WireReference, "number">;

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
        document_name: typeof ref.document_name === "string" ? ref.document_name : undefined,
        section_title: typeof ref.section_title === "string" ? ref.section_title : undefined,
        passage_id: ref.passage_id != null ? String(ref.passage_id) : undefined,
        text: typeof ref.text === "string" ? ref.text : undefined,
        s3_key: typeof ref.s3_key === "string" ? ref.s3_key : undefined,
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
