// Which Sidecar document is open: a generated document carries its id in the custom document
// property SidecarDocumentId (written at generation); an uploaded one remembers it in its
// document settings. Both live in the document itself, so they survive closing and reopening.
import { useQuery } from "@tanstack/react-query";
import { SIDECAR_DOCUMENT_ID_PROPERTY, type DocumentHost } from "../office/document-host";
import { documentIdSetting, useDocumentHost } from "../office/host-context";

export const openDocumentKeys = {
  all: ["open-document-id"] as const,
  id: (documentKey: string) => ["open-document-id", documentKey] as const,
};

export async function findOpenDocumentId(host: DocumentHost): Promise<string | null> {
  const fromProperty = await host.getCustomProperty(SIDECAR_DOCUMENT_ID_PROPERTY).catch(() => undefined);
  if (fromProperty?.trim()) return fromProperty.trim();
  const fromSettings = await host.getSetting<string>(documentIdSetting).catch(() => undefined);
  return typeof fromSettings === "string" && fromSettings ? fromSettings : null;
}

/** `documentKey` changes when another document becomes the open one (browser tab). */
export function useOpenDocumentId(documentKey: string, enabled = true) {
  const host = useDocumentHost();
  return useQuery({ queryKey: openDocumentKeys.id(documentKey), queryFn: () => findOpenDocumentId(host), staleTime: Infinity, enabled });
}
