import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { ApiError } from "../../../api/api-error";
import type { HttpClient } from "../../../api/http-client";
import { generateKeys } from "../../../api/query-keys";
import type { CreateDocumentSetRequest } from "../../../../shared/wire/document-sets";
import { t } from "../../../i18n";
import { parseDocumentSet, type DocumentSet } from "./get-document-sets";

export async function createDocumentSet(client: HttpClient, name: string): Promise<DocumentSet> {
  const request: CreateDocumentSetRequest = { document_set_name: name.trim() };
  const body = await client.request("createDocumentSet", { body: request });
  const set = parseDocumentSet(body) ?? parseDocumentSet((body as { document_set?: unknown })?.document_set);
  if (!set) {
    throw new ApiError({ kind: "invalid", endpoint: "createDocumentSet", message: t("generate.documentSetAnswerMissingId") });
  }
  return set;
}

export function useCreateDocumentSet() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => createDocumentSet(client, name),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: generateKeys.documentSets }),
  });
}
