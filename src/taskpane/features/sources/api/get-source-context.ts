import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { sourcesKeys } from "./get-sections";

export interface SourceContext {
  document_id: string;
  document_name: string;
  s3_key?: string;
  before: string[];
  passage: string;
  after: string[];
}

export async function getSourceContext(client: HttpClient, sourceId: string, passageId: string, signal?: AbortSignal): Promise<SourceContext> {
  const body = await client.request("getSourceContext", { body: { document_source_id: sourceId, passage_id: passageId }, signal });
  const context = requireFields<SourceContext>(body, ["passage"], "getSourceContext");
  return { ...context, before: Array.isArray(context.before) ? context.before : [], after: Array.isArray(context.after) ? context.after : [] };
}

export function useSourceContext(sourceId: string, passageId: string | undefined, enabled: boolean) {
  const client = useApiClient();
  return useQuery({
    ...queryOptions({
      queryKey: sourcesKeys.context(sourceId, passageId ?? ""),
      queryFn: ({ signal }) => getSourceContext(client, sourceId, passageId ?? "", signal),
      staleTime: 10 * 60_000,
    }),
    enabled: enabled && passageId !== undefined,
  });
}
