import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";
import type { Template } from "../../../../shared/wire/templates";
import { t as translate } from "../../../i18n";

export async function getTemplates(client: HttpClient, signal?: AbortSignal): Promise<Template[]> {
  const body = await client.request("listTemplates", { signal });
  const { templates } = requireFields<{ templates: unknown }>(body, ["templates"], "listTemplates");
  if (!Array.isArray(templates)) return [];
  return templates
    .filter((t): t is Template => !!t && typeof (t as Template).template_id === "string")
    .map((t) => ({
      ...t,
      template_name: t.template_name || translate("generate.untitledTemplate"),
      document_type: t.document_type || "Document",
      sections: [...(Array.isArray(t.sections) ? t.sections : [])].sort((a, b) => a.order_index - b.order_index),
    }));
}

export const templatesQueryOptions = (client: HttpClient) =>
  queryOptions({ queryKey: generateKeys.templates, queryFn: ({ signal }) => getTemplates(client, signal), staleTime: 5 * 60_000 });

export function useTemplates() {
  const client = useApiClient();
  return useQuery(templatesQueryOptions(client));
}
