// A cited file by its storage name (docs/vendors.md, Ejento A5.6, A7): a reference whose `url`
// is not an http(s) link is fetched through the citation-content route with this service's
// credentials, and handed to the browser as a file.
import type { HttpClient } from "../../../api/http-client";

export async function fetchCitation(client: HttpClient, name: string, signal?: AbortSignal): Promise<Blob> {
  const response = await client.openStream("citationContent", { params: { name }, accept: "*/*", signal });
  return response.blob();
}

/** The last part of a storage name ("uploads/abc/Report.docx" → "Report.docx"), to show and to save as. */
export function storageFileName(name: string): string {
  const last = name.split(/[\\/]/).filter(Boolean).pop() ?? name;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Opens (or saves, for types the browser can't show) a fetched file. */
export function openBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener";
  link.download = storageFileName(name);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
