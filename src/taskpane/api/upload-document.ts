import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useApiClient } from "./api-context";
import { requireFields, type HttpClient } from "./http-client";
import { openDocumentKeys } from "./open-document";
import { queryKeys } from "./query-keys";
import { documentIdSetting, useDocumentHost } from "../office/host-context";
import type { DocumentHost } from "../office/document-host";

import { DOCX_MIME_TYPE } from "../office/docx-bytes";

export interface UploadedDocument {
  document_id: string;
  document_name: string;
  s3_key: string;
  status: string;
}

export async function uploadDocument(
  client: HttpClient,
  input: { name: string; file: Blob; signal?: AbortSignal; onProgress?: (sent: number, total: number) => void },
): Promise<UploadedDocument> {
  const form = new FormData();
  const file = input.file.type === DOCX_MIME_TYPE ? input.file : new Blob([input.file], { type: DOCX_MIME_TYPE });
  form.append("file", file, input.name);
  const body = await client.request("uploadLocalDocument", {
    body: form,
    signal: input.signal,
    onUploadProgress: input.onProgress ?? (() => undefined),
  });
  return requireFields<UploadedDocument>(body, ["document_id", "document_name", "s3_key"], "uploadLocalDocument");
}

export type UploadPhase = "reading" | "sending" | "saving";
export interface UploadProgress {
  phase: UploadPhase;
  /** 0..1, or undefined when unknown. */
  fraction: number | undefined;
}

/** Reads the open document through the host, uploads it, and remembers its id in the document. */
export async function uploadOpenDocument(
  host: DocumentHost,
  client: HttpClient,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadedDocument & { remembered: boolean }> {
  onProgress({ phase: "reading", fraction: 0 });
  const name = await host.getDocumentName();
  const file = await host.readDocument({
    signal,
    onProgress: ({ bytesRead, totalBytes }) => onProgress({ phase: "reading", fraction: totalBytes ? bytesRead / totalBytes : undefined }),
  });
  onProgress({ phase: "sending", fraction: 0 });
  const uploaded = await uploadDocument(client, {
    name,
    file,
    signal,
    onProgress: (sent, total) => onProgress({ phase: "sending", fraction: total ? sent / total : undefined }),
  });
  onProgress({ phase: "saving", fraction: undefined });
  // The upload itself succeeded; failing to remember it in the document is reported, not fatal.
  const remembered = await host.setSetting(documentIdSetting, uploaded.document_id).then(
    () => true,
    () => false,
  );
  return { ...uploaded, remembered };
}

export function useUploadOpenDocument() {
  const host = useDocumentHost();
  const client = useApiClient();
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | undefined>();
  const mutation = useMutation({
    mutationFn: ({ signal }: { signal: AbortSignal }) => uploadOpenDocument(host, client, setProgress, signal),
    onSettled: () => setProgress(undefined),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents.all });
      void queryClient.invalidateQueries({ queryKey: openDocumentKeys.all });
    },
  });
  return { ...mutation, progress };
}
