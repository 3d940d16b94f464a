import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import type { AtLeast } from "../../../../shared/wire/fields";
import type {
  SectionSources as WireSectionSources,
  Source as WireSource,
  SourcesForSelectedTextRequest,
} from "../../../../shared/wire/sections";
import { sourcesKeys } from "./get-sections";

/** A source as the pane reads it: a vendor may leave out its s3_key (no download then) and our extensions. */
export type Source = AtLeast<WireSource, "document_source_id" | "document_source_name" | "referenced_text">;

export type SectionSources = Omit<WireSectionSources, "sources" | "selected_text_sources"> & {
  sources: Source[];
  /** The local server's sentence-level sources: the passages the selected sentences were written from. */
  selected_text_sources?: Source[];
};

function parse(body: unknown): SectionSources {
  const result = requireFields<SectionSources>(body, ["section_id", "sources"], "getSourcesForSelectedText");
  const sources = (list: unknown) => (Array.isArray(list) ? list : []).filter((s): s is Source => !!s && typeof s === "object");
  return {
    section_id: result.section_id,
    section_title: result.section_title ?? "",
    sources: sources(result.sources),
    ...(Array.isArray(result.selected_text_sources) ? { selected_text_sources: sources(result.selected_text_sources) } : {}),
  };
}

/** Sources of one section, or (with `selectedText`) of the section that holds the selection. */
export async function getSources(
  client: HttpClient,
  input: { documentId: string; sectionId?: string; selectedText?: string },
  signal?: AbortSignal,
): Promise<SectionSources> {
  const request: SourcesForSelectedTextRequest = { document_id: input.documentId, section_id: input.sectionId, selected_text: input.selectedText };
  const body = await client.request("getSourcesForSelectedText", { body: request, signal });
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
