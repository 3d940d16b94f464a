import { useMutation } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import type { HttpClient } from "../../../api/http-client";
import { unwrapEnvelope } from "./get-agents";

export type Vote = "upvote" | "downvote";

export async function sendFeedback(client: HttpClient, agentResponseId: string, vote: Vote): Promise<void> {
  unwrapEnvelope(await client.request("sendFeedback", { params: { agent_response_id: agentResponseId }, body: { vote_type: vote } }), "sendFeedback");
}

export function useSendFeedback() {
  const client = useApiClient();
  return useMutation({ mutationFn: ({ id, vote }: { id: string; vote: Vote }) => sendFeedback(client, id, vote) });
}
