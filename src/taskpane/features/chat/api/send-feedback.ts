import { useMutation } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { ejentoData, type HttpClient } from "../../../api/http-client";
import type { FeedbackRequest, Vote } from "../../../../shared/wire/chat";

export async function sendFeedback(client: HttpClient, agentResponseId: string, vote: Vote): Promise<void> {
  const request: FeedbackRequest = { vote_type: vote };
  ejentoData(await client.request("sendFeedback", { params: { agent_response_id: agentResponseId }, body: request }), "sendFeedback");
}

export function useSendFeedback() {
  const client = useApiClient();
  return useMutation({ mutationFn: ({ id, vote }: { id: string; vote: Vote }) => sendFeedback(client, id, vote) });
}
