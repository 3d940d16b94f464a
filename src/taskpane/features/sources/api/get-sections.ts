import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { t } from "../../../i18n";
import { normalizeHeadingTitle } from "../../../office/heading-match";
import type { SectionListing as Section, SectionsForDocumentRequest } from "../../../../shared/wire/sections";

export const sourcesKeys = {
  sections: (documentId: string) => ["sections", documentId] as const,
  sources: (documentId: string, sectionId: string) => ["section-sources", documentId, sectionId] as const,
  context: (sourceId: string, passageId: string) => ["source-context", sourceId, passageId] as const,
};

export async function getSections(client: HttpClient, documentId: string, signal?: AbortSignal): Promise<Section[]> {
  const request: SectionsForDocumentRequest = { document_id: documentId };
  const body = await client.request("getSectionsForDocument", { body: request, signal });
  const { sections } = requireFields<{ sections: unknown }>(body, ["sections"], "getSectionsForDocument");
  if (!Array.isArray(sections)) return [];
  return sections
    .filter((s): s is Section => !!s && typeof (s as Section).section_id === "string")
    .map((s) => ({ ...s, section_title: s.section_title || t("sources.untitledSection") }))
    .sort((a, b) => a.section_order - b.section_order);
}

export const sectionsQueryOptions = (client: HttpClient, documentId: string) =>
  queryOptions({ queryKey: sourcesKeys.sections(documentId), queryFn: ({ signal }) => getSections(client, documentId, signal) });

export function useSections(documentId: string | null | undefined) {
  const client = useApiClient();
  return useQuery({ ...sectionsQueryOptions(client, documentId ?? ""), enabled: !!documentId });
}

/** 1-based position of a section among sections with the same title (to find the right heading). */
export function occurrenceOf(sections: Section[], sectionId: string): number {
  const index = sections.findIndex((s) => s.section_id === sectionId);
  if (index < 0) return 1;
  const title = normalizeHeadingTitle(sections[index]!.section_title);
  return sections.slice(0, index + 1).filter((s) => normalizeHeadingTitle(s.section_title) === title).length;
}
