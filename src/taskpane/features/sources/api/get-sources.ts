import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { sourcesKeys } from "./get-sections";

export interface Source {
  document_source_id: string;
  document_source_name: string;
  referenced_text: string;
  s3_key?: string;
  passage_id?: string | number;
  passage_index?: number;
}

export interface SectionSources {
  section_id: string;
  section_title: string;
  sources: Source[];
}

function parse(body: unknown): SectionSources {
  const result = requireFields<SectionSources>(body, ["section_id", "sources"], "getSourcesForSelectedText");
  return {
    section_id: result.section_id,
    section_title: result.section_title ?? "",
    sources: (Array.isArray(result.sources) ? result.sources : []).filter((s): s is Source => !!s && typeof s === "object"),
  };
}

/** Sources of one section, or (with `selectedText`) of the section that holds the selection. */
export async function getSources(
  client: HttpClient,
  input: { documentId: string; sectionId?: string; selectedText?: string },
  signal?: AbortSignal,
): Promise<SectionSources> {
  const body = await client.request("getSourcesForSelectedText", {
    body: { document_id: input.documentId, section_id: input.sectionId, selected_text: input.selectedText },
    signal,
  });
  return parse(body);
}

export const sectionSourcesQueryOptions = (client: HttpClient, documentId: string, sectionId: string) =>
  queryOptions({
    queryKey: sourcesKeys.sources(documentId, sectionId),
    queryFn: ({ signal }) => getSources(client, { documentId, sectionId }, signal),
  });

export function useSectionSources(documentId: string | null | undefined, sectionId: string | undefined) {
  const client = useApiClient();
  return useQuery({ ...sectionSourcesQueryOptions(client, documentId ?? "", sectionId ?? ""), enabled: !!documentId && !!sectionId });
}
