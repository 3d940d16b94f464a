// Downloads a file through a presigned URL (POST /generate-presigned-url): the URL needs no auth
// header and expires, so it is asked for right before each download.
import { ApiError, fallbackMessage } from "./api-error";
import { requireFields, type HttpClient } from "./http-client";
import { t } from "../i18n";

export async function presignedUrl(client: HttpClient, key: string, signal?: AbortSignal): Promise<string> {
  const body = await client.request("presignedUrl", { body: { key }, signal });
  return requireFields<{ url: string }>(body, ["url"], "presignedUrl").url;
}

export async function downloadByKey(client: HttpClient, key: string, signal?: AbortSignal): Promise<Uint8Array> {
  const url = await presignedUrl(client, key, signal);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw new ApiError({ kind: "aborted", endpoint: "download", message: fallbackMessage("aborted"), cause: error });
    throw new ApiError({ kind: "network", endpoint: "download", cause: error, message: t("api.downloadCutOff") });
  }
  if (response.status === 410 || response.status === 403) {
    throw new ApiError({ kind: "forbidden", endpoint: "download", status: response.status, message: t("api.downloadRefused") });
  }
  if (!response.ok) {
    throw new ApiError({ kind: response.status === 404 ? "not_found" : "server", endpoint: "download", status: response.status, message: t("api.downloadFailed", { status: String(response.status) }) });
  }
  return new Uint8Array(await response.arrayBuffer());
}
