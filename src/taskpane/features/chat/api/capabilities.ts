// What the answering server can do (GET /api/v2/sidecar/capabilities, a local server extension):
// without a model its answers are extracts of the documents, and the pane says so. A server that
// doesn't have the route (Ejento itself) answers with a model: then nothing is said.
import { queryOptions, useQuery } from "@tanstack/react-query";
import type { Capabilities } from "../../../../shared/wire/capabilities";
import { useApiClient } from "../../../api/api-context";
import { ejentoData, type HttpClient } from "../../../api/http-client";

export type { Capabilities };

/** The server's capabilities, or null when it doesn't say (any failure counts as not saying). */
export async function getCapabilities(client: HttpClient, signal?: AbortSignal): Promise<Capabilities | null> {
  try {
    const data = ejentoData(await client.request("capabilities", { signal }), "capabilities") as Partial<Capabilities> | null;
    if (!data || (data.answers !== "model" && data.answers !== "extracts")) return null;
    return {
      answers: data.answers,
      model: { configured: data.model?.configured === true, name: typeof data.model?.name === "string" ? data.model.name : null },
      rewording: data.rewording === true,
      generation: data.generation === "model" ? "model" : "extracts",
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    return null;
  }
}

export const capabilitiesQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: ["capabilities"], queryFn: ({ signal }) => getCapabilities(client, signal), staleTime: 5 * 60_000, retry: false });

export function useCapabilities() {
  const client = useApiClient();
  return useQuery(capabilitiesQueryOptions(client));
}
