import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import type { AtLeast } from "../../../../shared/wire/fields";
import type { SourceContext as WireSourceContext, SourceContextRequest } from "../../../../shared/wire/sections";
import { sourcesKeys } from "./get-sections";

/** A passage in context (our extension); the pane checks `passage` and fills `before` and `after`. */
export type SourceContext = AtLeast<WireSourceContext, "document_id" | "document_name" | "before" | "passage" | "after">;

export async function getSourceContext(client: HttpClient, sourceId: string, passageId: string, signal?: AbortSignal): Promise<SourceContext> {
  const request: SourceContextRequest = { document_source_id: sourceId, passage_id: passageId };
  const body = await client.request("getSourceContext", { body: request, signal });
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
