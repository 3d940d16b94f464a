// The open document's own headings as a template's outline: the document is read through the
// host and sent to POST /api/v1/templates/upload (a local server extension, docs/api.md
// "Templates"), which answers a template whose sections are its headings. A documents service
// without that route (Artos) answers 404: the pane then says it can't, in words.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { ApiError, isApiError } from "../../../api/api-error";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";
import type { DocumentHost } from "../../../office/document-host";
import { DOCX_MIME_TYPE } from "../../../office/docx-bytes";
import { useDocumentHost } from "../../../office/host-context";
import type { Template } from "../../../../shared/wire/templates";
import { t } from "../../../i18n";

/** What the pane says when the documents service has no route for templates from a document. */
export function noTemplateUploadWords(): string {
  return t("generate.noTemplateUpload");
}

export async function templateFromOpenDocument(host: DocumentHost, client: HttpClient, signal?: AbortSignal): Promise<Template> {
  const name = await host.getDocumentName();
  const file = await host.readDocument({ signal });
  const form = new FormData();
  // The template's name as the person will see it in the list (in the pane's language).
  form.append("template_name", t("generate.headingsTemplateName", { name: name.replace(/\.docx$/i, "") }));
  form.append("document_type", "Outline");
  form.append("file", file.type === DOCX_MIME_TYPE ? file : new Blob([file], { type: DOCX_MIME_TYPE }), name);
  try {
    const body = await client.request("uploadTemplate", { body: form, signal });
    return requireFields<Template>(body, ["template_id", "template_name", "sections"], "uploadTemplate");
  } catch (error) {
    if (isApiError(error) && (error.kind === "not_found" || error.status === 405)) {
      throw new ApiError({ kind: "not_found", endpoint: "uploadTemplate", status: error.status, message: noTemplateUploadWords() });
    }
    throw error;
  }
}

export function useTemplateFromOpenDocument() {
  const host = useDocumentHost();
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => templateFromOpenDocument(host, client),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: generateKeys.templates }),
  });
}
