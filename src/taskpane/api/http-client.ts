// The one HTTP client of the pane: base URL per service, Bearer and API-key headers, a single
// shared token refresh on 401 followed by one replay, typed errors with words for people, and
// upload progress (XMLHttpRequest, since fetch cannot report upload progress).

import { ApiError, fallbackMessage, kindForStatus, messageFromBody } from "./api-error";
import { baseUrlFor, type ConnectionSettingsStore } from "./connection-settings";
import { endpoints, fillPath, type Endpoint, type EndpointName } from "../../shared/contract/endpoints";
import type { Session, SessionStore } from "./session-store";

export interface RequestOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** A plain object is sent as JSON; FormData and URLSearchParams as they are. */
  body?: unknown;
  signal?: AbortSignal;
  /** Reports bytes sent (uploads). */
  onUploadProgress?: (sent: number, total: number) => void;
  /** Use this bearer token instead of the session's (refresh, sign-out). */
  bearer?: string;
}

export interface StreamRequestOptions extends Omit<RequestOptions, "onUploadProgress"> {
  /** Accept header for the stream (default text/event-stream). */
  accept?: string;
}

interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: BodyInit;
  signal?: AbortSignal;
  onUploadProgress?: (sent: number, total: number) => void;
}

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
  /** The unread body, when a stream was asked for and the answer is a success. */
  stream?: Response;
}

export type Transport = (request: RawRequest) => Promise<RawResponse>;

const fetchTransport: Transport = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", text: await response.text() };
};

/** For streams: a success keeps its body unread; anything else is read as text like any answer. */
const streamTransport: Transport = async (request) => {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal });
  const contentType = response.headers.get("content-type") ?? "";
  if (response.ok && response.body) return { status: response.status, contentType, text: "", stream: response };
  return { status: response.status, contentType, text: await response.text() };
};

const xhrTransport: Transport = (request) =>
  new Promise<RawResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => request.onUploadProgress?.(event.loaded, event.lengthComputable ? event.total : 0);
    xhr.onload = () => resolve({ status: xhr.status, contentType: xhr.getResponseHeader("content-type") ?? "", text: xhr.responseText });
    xhr.onerror = () => reject(new TypeError("Network request failed"));
    xhr.ontimeout = () => reject(new TypeError("Network request timed out"));
    // Reject at once on abort: some XHR implementations never fire `abort` for a pending upload.
    const onAbort = () => {
      reject(new DOMException("Aborted", "AbortError"));
      xhr.abort();
    };
    xhr.onabort = () => reject(new DOMException("Aborted", "AbortError"));
    if (request.signal?.aborted) return reject(new DOMException("Aborted", "AbortError"));
    request.signal?.addEventListener("abort", onAbort, { once: true });
    xhr.onloadend = () => request.signal?.removeEventListener("abort", onAbort);
    xhr.send((request.body as XMLHttpRequestBodyInit | undefined) ?? null);
  });

export interface TokenPair {
  accessToken: string;
  ejentoToken: string;
  expiresAt: number;
}

/** Login and refresh answer the same shape; Ejento deployments wrap it in `{success, data}`. */
export function parseTokens(body: unknown, endpoint: string): TokenPair {
  const record = (body && typeof body === "object" && "data" in body && (body as { data: unknown }).data) || body;
  const tokens = requireFields<{ access_token: string; ejento_access_token: string; expires_in?: number }>(
    record,
    ["access_token", "ejento_access_token"],
    endpoint,
  );
  const expiresIn = typeof tokens.expires_in === "number" && tokens.expires_in > 0 ? tokens.expires_in : 3600;
  return { accessToken: tokens.access_token, ejentoToken: tokens.ejento_access_token, expiresAt: Date.now() + expiresIn * 1000 };
}

/** Checks that an answer carries the fields Sidecar needs; a clear `invalid` error otherwise. */
export function requireFields<T>(body: unknown, fields: readonly string[], endpoint: string): T {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError({
      kind: "invalid",
      endpoint,
      message: `The server's answer to ${endpoint} was not what Sidecar expected (no JSON object). Check the server address.`,
    });
  }
  for (const field of fields) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined || value === null) {
      throw new ApiError({
        kind: "invalid",
        endpoint,
        message: `The server's answer to ${endpoint} is missing the field "${field}". The server may be a different version than Sidecar expects.`,
      });
    }
  }
  return body as T;
}

export interface HttpClientOptions {
  settings: ConnectionSettingsStore;
  session: SessionStore;
  /** The pane's own origin (default base URL). */
  origin?: string;
  transport?: Transport;
  uploadTransport?: Transport;
}

export class HttpClient {
  readonly settings: ConnectionSettingsStore;
  readonly session: SessionStore;
  private readonly origin: string;
  private readonly transport: Transport;
  private readonly uploadTransport: Transport;
  private refreshing: Promise<void> | null = null;

  constructor(options: HttpClientOptions) {
    this.settings = options.settings;
    this.session = options.session;
    this.origin = options.origin ?? globalThis.location?.origin ?? "http://localhost";
    this.transport = options.transport ?? fetchTransport;
    this.uploadTransport = options.uploadTransport ?? (typeof XMLHttpRequest === "undefined" ? fetchTransport : xhrTransport);
  }

  /** The full URL of an endpoint with the current settings. */
  url(name: EndpointName, options: Pick<RequestOptions, "params" | "query"> = {}): string {
    const endpoint: Endpoint = endpoints[name];
    const base = baseUrlFor(this.settings.get(), endpoint.service, this.origin);
    const url = new URL(base + fillPath(endpoint.path, options.params));
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /**
   * The WebSocket address of an endpoint (the batch job socket): ws:/wss: of the service's base
   * URL, with the current ejento token as `?token=` — a browser WebSocket cannot send headers, and
   * the vendor API takes the token there (CONTRACT.md "Auth"). `token` is what was put in the URL,
   * to hand back to `refreshRejectedToken` if the server refuses it.
   */
  socketUrl(name: EndpointName, options: Pick<RequestOptions, "params" | "query"> = {}): { url: string; token: string | undefined } {
    const token = this.session.current()?.ejentoToken;
    // A browser WebSocket can't send headers: the API key (when one is configured) rides as ?key=,
    // which the local server accepts on its socket route only.
    const key = this.settings.get().apiKey.trim() || undefined;
    const url = new URL(this.url(name, { ...options, query: { ...options.query, token, ...(key ? { key } : {}) } }));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return { url: url.toString(), token };
  }

  /**
   * A server refused `token` outside an HTTP answer (a WebSocket's "Authentication required"):
   * the same single-flight refresh as after a 401. Resolves when a fresh token is in the session
   * (or already was); rejects when it can't be renewed, and then the session is marked expired so
   * the sign-in dialog appears, as for any 401.
   */
  async refreshRejectedToken(token: string | undefined): Promise<void> {
    await this.refreshOnce(token);
  }

  serverLabel(): string {
    return baseUrlFor(this.settings.get(), "documents", this.origin);
  }

  async request<T = unknown>(name: EndpointName, options: RequestOptions = {}): Promise<T> {
    return this.withRefresh(name, options, (bearer) => this.send<T>(name, options, bearer));
  }

  /**
   * Opens a streamed answer (SSE): the same headers, errors and 401 refresh as `request`, but a
   * success resolves with the unread Response so its body can be read as it arrives.
   */
  async openStream(name: EndpointName, options: StreamRequestOptions = {}): Promise<Response> {
    return this.withRefresh(name, options, (bearer) => this.send<Response>(name, { ...options, onUploadProgress: undefined }, bearer, options.accept ?? "text/event-stream"));
  }

  /** Runs `attempt`; on a 401 refreshes once (shared with concurrent callers) and replays. */
  private async withRefresh<T>(name: EndpointName, options: Pick<RequestOptions, "bearer">, attempt: (bearer: string | undefined) => Promise<T>): Promise<T> {
    const endpoint: Endpoint = endpoints[name];
    const sentWith = options.bearer ?? this.session.current()?.ejentoToken;
    try {
      return await attempt(sentWith);
    } catch (error) {
      const canRefresh = error instanceof ApiError && error.kind === "unauthorized" && !endpoint.anonymous && !options.bearer && name !== "refresh";
      if (!canRefresh) throw error;
      await this.refreshOnce(sentWith);
      const token = this.session.current()?.ejentoToken;
      if (!token) throw error;
      return attempt(token);
    }
  }

  /**
   * Refreshes the tokens once for everyone: concurrent 401s wait for the same refresh. If the
   * tokens already changed since the failed request was sent, the refresh is skipped.
   */
  private async refreshOnce(sentWith: string | undefined): Promise<void> {
    const current = this.session.current();
    if (!current) throw this.expiredError();
    if (current.ejentoToken !== sentWith) return;
    if (!this.refreshing) {
      this.refreshing = this.refresh(current).finally(() => {
        this.refreshing = null;
      });
    }
    await this.refreshing;
  }

  private async refresh(session: Session): Promise<void> {
    try {
      const body = await this.send("refresh", {}, session.accessToken);
      this.session.replaceTokens(parseTokens(body, "refresh"));
    } catch (error) {
      if (error instanceof ApiError && (error.kind === "unauthorized" || error.kind === "forbidden" || error.kind === "invalid")) {
        this.session.expire();
        throw this.expiredError();
      }
      throw error;
    }
  }

  private expiredError(): ApiError {
    return new ApiError({
      kind: "unauthorized",
      endpoint: "refresh",
      status: 401,
      message: "Your session has expired. Sign in again, then try once more — nothing you entered is lost.",
    });
  }

  private async send<T>(name: EndpointName, options: RequestOptions, bearer: string | undefined, streamAccept?: string): Promise<T> {
    const endpoint: Endpoint = endpoints[name];
    const headers: Record<string, string> = { Accept: streamAccept ?? "application/json" };
    const { apiKey } = this.settings.get();
    if (apiKey.trim()) headers["Ocp-Apim-Subscription-Key"] = apiKey.trim();
    if (!endpoint.anonymous && bearer) headers.Authorization = `Bearer ${bearer}`;
    let body: BodyInit | undefined;
    if (options.body instanceof FormData || options.body instanceof URLSearchParams || options.body instanceof Blob) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    let url: string;
    try {
      url = this.url(name, options);
    } catch {
      throw new ApiError({
        kind: "network",
        endpoint: name,
        message: "The server address in Connection settings is not a valid web address. Fix it and try again.",
      });
    }
    const transport = streamAccept ? streamTransport : options.onUploadProgress ? this.uploadTransport : this.transport;
    let raw: RawResponse;
    try {
      raw = await transport({ method: endpoint.method, url, headers, body, signal: options.signal, onUploadProgress: options.onUploadProgress });
    } catch (error) {
      if (options.signal?.aborted || (error instanceof DOMException && error.name === "AbortError")) {
        throw new ApiError({ kind: "aborted", endpoint: name, message: fallbackMessage("aborted"), cause: error });
      }
      throw new ApiError({
        kind: "network",
        endpoint: name,
        cause: error,
        message: `Sidecar can't reach the server at ${this.serverLabel()}. Check that it is running and that the server address in Connection settings is right, then try again.`,
      });
    }
    if (raw.stream) return raw.stream as T;
    return this.interpret<T>(name, raw);
  }

  private interpret<T>(name: EndpointName, raw: RawResponse): T {
    let parsed: unknown = undefined;
    let parsedOk = raw.text.length === 0;
    if (raw.text.length > 0) {
      try {
        parsed = JSON.parse(raw.text);
        parsedOk = true;
      } catch {
        parsedOk = false;
      }
    }
    if (raw.status >= 200 && raw.status < 300) {
      if (!parsedOk) {
        throw new ApiError({
          kind: "server",
          endpoint: name,
          status: raw.status,
          message: `The server at ${this.serverLabel()} answered with something that is not Sidecar's API (${raw.contentType || "no content type"}). Check the server address in Connection settings.`,
        });
      }
      return parsed as T;
    }
    const kind = kindForStatus(raw.status);
    const detail = messageFromBody(parsed);
    let message = detail ?? fallbackMessage(kind);
    if (kind === "server" && detail) message = `The server ran into a problem: ${detail}`;
    if (kind === "server" && !parsedOk && raw.status >= 502) {
      message = `The server at ${this.serverLabel()} is not answering (HTTP ${raw.status}). Check that it is running, then try again.`;
    }
    throw new ApiError({ kind, endpoint: name, status: raw.status, detail, message });
  }
}
