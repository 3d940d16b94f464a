// The one HTTP client of the pane: each endpoint goes to its service's address with that service's
// key headers and bearer token only; a 401 (or Artos's 400 "Authentication failed") renews that
// service's sign-in once — single flight per service — and replays; typed errors with words for
// people that name the service; upload progress (XMLHttpRequest, since fetch cannot report it).

import { ApiError, fallbackMessage, kindForStatus, messageFromBody } from "./api-error";
import { endpoints, fillPath, type Endpoint, type EndpointName, type ServiceName } from "../../shared/contract/endpoints";
import { connectionFor, serviceLabel, type ConnectionSettingsStore, type ServiceConnection } from "./connection-settings";
import { bearerOf, slotFor, type Credentials, type SessionStore, type SignInSlot } from "./session-store";
import { t } from "../i18n";

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

/** Ejento's two tokens (login, refresh, e-mail code): bare or in the `{success, data}` envelope. */
export function parseEjentoTokens(body: unknown, endpoint: string): { accessToken: string; ejentoToken: string; expiresAt: number } {
  const record = unwrapEnvelope(body);
  const tokens = requireFields<{ access_token: string; ejento_access_token: string; expires_in?: number }>(
    record,
    ["access_token", "ejento_access_token"],
    endpoint,
  );
  return { accessToken: tokens.access_token, ejentoToken: tokens.ejento_access_token, expiresAt: expiryFrom(tokens.expires_in) };
}

/** The tag generator's token pair (login answers it under `tokens`, refresh bare). */
export function parseBatchTokens(body: unknown, endpoint: string): { accessToken: string; refreshToken: string; expiresAt: number } {
  const record = body && typeof body === "object" && "tokens" in body ? (body as { tokens: unknown }).tokens : body;
  const tokens = requireFields<{ access_token: string; refresh_token: string; expires_in?: number }>(record, ["access_token", "refresh_token"], endpoint);
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: expiryFrom(tokens.expires_in) };
}

function expiryFrom(expiresIn: unknown): number {
  const seconds = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : 3600;
  return Date.now() + seconds * 1000;
}

/** Ejento wraps answers as `{success, message, data}`; everything else answers bare. */
export function unwrapEnvelope(body: unknown): unknown {
  if (body && typeof body === "object" && "data" in body && "success" in body) return (body as { data: unknown }).data;
  if (body && typeof body === "object" && "data" in body && (body as { data: unknown }).data && typeof (body as { data: unknown }).data === "object") {
    const keys = Object.keys(body as object);
    if (keys.every((key) => key === "data" || key === "message" || key === "success")) return (body as { data: unknown }).data;
  }
  return body;
}

/**
 * The data of an Ejento answer: `success: false` is a refusal even with HTTP 200 (its `message`
 * says why), and an answer without the envelope is taken as the data itself.
 */
export function ejentoData<T = unknown>(body: unknown, endpoint: string): T {
  if (body && typeof body === "object" && (body as { success?: unknown }).success === false) {
    const message = (body as { message?: unknown }).message;
    throw new ApiError({ kind: "invalid", endpoint, message: typeof message === "string" && message ? message : t("api.serverRefused", { endpoint }) });
  }
  return unwrapEnvelope(body) as T;
}

/** Checks that an answer carries the fields Sidecar needs; a clear `invalid` error otherwise. */
export function requireFields<T>(body: unknown, fields: readonly string[], endpoint: string): T {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new ApiError({
      kind: "invalid",
      endpoint,
      message: t("api.answerNotObject", { endpoint }),
    });
  }
  for (const field of fields) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined || value === null) {
      throw new ApiError({
        kind: "invalid",
        endpoint,
        message: t("api.answerMissingField", { endpoint, field }),
      });
    }
  }
  return body as T;
}

export interface HttpClientOptions {
  settings: ConnectionSettingsStore;
  session: SessionStore;
  /** The pane's own origin (default address). */
  origin?: string;
  transport?: Transport;
  uploadTransport?: Transport;
}

/** A service's name for people, as the Account screen labels it (in the pane's language). */
function serviceName(service: ServiceName): string {
  return serviceLabel(service);
}

/** Artos answers some calls 400 "Authentication failed" where others say 401 (docs/vendors.md Artos §1.3). */
function isArtosAuthFailure(status: number, detail: string | undefined): boolean {
  return status === 400 && typeof detail === "string" && /authenticat|credential/i.test(detail);
}

export class HttpClient {
  readonly settings: ConnectionSettingsStore;
  readonly session: SessionStore;
  readonly origin: string;
  private readonly transport: Transport;
  private readonly uploadTransport: Transport;
  /** One refresh at a time per sign-in: concurrent 401s of that service wait for the same one. */
  private readonly refreshing = new Map<SignInSlot, Promise<void>>();

  constructor(options: HttpClientOptions) {
    this.settings = options.settings;
    this.session = options.session;
    this.origin = options.origin ?? globalThis.location?.origin ?? "http://localhost";
    this.transport = options.transport ?? fetchTransport;
    this.uploadTransport = options.uploadTransport ?? (typeof XMLHttpRequest === "undefined" ? fetchTransport : xhrTransport);
  }

  /** The sign-in slot whose credentials a service's calls carry under the current settings. */
  slotOf(service: ServiceName): SignInSlot {
    return slotFor(this.settings.get().mode, service);
  }

  /** The bearer token a service's calls carry now, if signed in to it. */
  bearerFor(service: ServiceName): string | undefined {
    const credentials = this.session.credentials(this.slotOf(service));
    return credentials ? bearerOf(credentials) : undefined;
  }

  /** Where a service is reached and its key headers. */
  connection(service: ServiceName): ServiceConnection {
    return connectionFor(this.settings.get(), service, this.origin);
  }

  /** True when two services are reached at the same address (one Sidecar server, or one host for both). */
  sameAddress(a: ServiceName, b: ServiceName): boolean {
    return this.connection(a).baseUrl === this.connection(b).baseUrl;
  }

  /** The full URL of an endpoint with the current settings. */
  url(name: EndpointName, options: Pick<RequestOptions, "params" | "query"> = {}): string {
    const endpoint: Endpoint = endpoints[name];
    const url = new URL(this.connection(endpoint.service).baseUrl + fillPath(endpoint.path, options.params));
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /**
   * The WebSocket address of an endpoint (the batch job socket): ws:/wss: of the service's address,
   * with that service's token as `?token=` — a browser WebSocket cannot send headers, and the
   * vendor API takes the token there. `token` is what was put in the URL, to hand back to
   * `refreshRejectedToken` if the server refuses it.
   */
  socketUrl(name: EndpointName, options: Pick<RequestOptions, "params" | "query"> = {}): { url: string; token: string | undefined } {
    const service = endpoints[name].service;
    const token = this.bearerFor(service);
    // The Sidecar server's API key (when one is configured) rides as ?key=, which the local server
    // accepts on its socket route only. A separate tag generator has no key.
    const settings = this.settings.get();
    const key = settings.mode === "sidecar" ? settings.apiKey.trim() || undefined : undefined;
    const url = new URL(this.url(name, { ...options, query: { ...options.query, token, ...(key ? { key } : {}) } }));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return { url: url.toString(), token };
  }

  /**
   * A server refused `token` outside an HTTP answer (a WebSocket's "Authentication required"):
   * the same single-flight refresh as after a 401, for that service's sign-in only. Resolves when a
   * fresh token is there (or already was); rejects when it can't be renewed, and then that sign-in
   * is marked expired so the sign-in dialog appears, as for any 401.
   */
  async refreshRejectedToken(token: string | undefined, service: ServiceName = "batch"): Promise<void> {
    await this.refreshOnce(service, token);
  }

  /** The address of a service, for messages (default: the documents service). */
  serverLabel(service: ServiceName = "documents"): string {
    return this.connection(service).baseUrl;
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

  /** Runs `attempt`; on a 401 refreshes that service's sign-in once (shared with concurrent callers) and replays. */
  private async withRefresh<T>(name: EndpointName, options: Pick<RequestOptions, "bearer">, attempt: (bearer: string | undefined) => Promise<T>): Promise<T> {
    const endpoint: Endpoint = endpoints[name];
    const sentWith = options.bearer ?? this.bearerFor(endpoint.service);
    try {
      return await attempt(sentWith);
    } catch (error) {
      const canRefresh = error instanceof ApiError && error.kind === "unauthorized" && !endpoint.anonymous && !options.bearer && name !== "refresh";
      if (!canRefresh) throw error;
      await this.refreshOnce(endpoint.service, sentWith);
      const token = this.bearerFor(endpoint.service);
      if (!token) throw error;
      return attempt(token);
    }
  }

  /**
   * Renews a service's sign-in once for everyone: concurrent 401s wait for the same renewal. If the
   * token already changed since the failed request was sent, nothing is renewed.
   */
  private async refreshOnce(service: ServiceName, sentWith: string | undefined): Promise<void> {
    const slot = this.slotOf(service);
    const credentials = this.session.credentials(slot);
    if (!credentials) throw this.expiredError(slot);
    if (bearerOf(credentials) !== sentWith) return;
    let running = this.refreshing.get(slot);
    if (!running) {
      running = this.renew(slot, credentials).finally(() => this.refreshing.delete(slot));
      this.refreshing.set(slot, running);
    }
    await running;
  }

  /** One renewal, the way the slot's vendor does it; a renewal refused means sign in again. */
  private async renew(slot: SignInSlot, credentials: Credentials): Promise<void> {
    try {
      this.session.replace(slot, await this.renewed(credentials));
    } catch (error) {
      if (error instanceof ApiError && (error.kind === "unauthorized" || error.kind === "forbidden" || error.kind === "invalid" || error.kind === "not_found")) {
        this.session.expire(slot);
        throw this.expiredError(slot);
      }
      throw error;
    }
  }

  private async renewed(credentials: Credentials): Promise<Credentials> {
    switch (credentials.kind) {
      case "ejento": {
        if (!credentials.accessToken) throw this.cannotRenew("refresh");
        const body = await this.send("refresh", {}, credentials.accessToken);
        return { ...credentials, ...parseEjentoTokens(body, "refresh") };
      }
      case "artos": {
        // No refresh token at Artos: obtain another token from the user id.
        if (!credentials.userId) throw this.cannotRenew("artosAccessToken");
        const body = await this.send("artosAccessToken", { body: { user_id: credentials.userId } }, undefined);
        const { access_token } = requireFields<{ access_token: string }>(body, ["access_token"], "artosAccessToken");
        return { ...credentials, token: access_token };
      }
      case "batch": {
        const body = await this.send("batchRefresh", { body: { refresh_token: credentials.refreshToken } }, undefined);
        return { ...credentials, ...parseBatchTokens(body, "batchRefresh") };
      }
    }
  }

  private cannotRenew(endpoint: string): ApiError {
    return new ApiError({ kind: "unauthorized", endpoint, status: 401, message: t("api.cannotRenew") });
  }

  private expiredError(slot: SignInSlot): ApiError {
    return new ApiError({
      kind: "unauthorized",
      endpoint: "refresh",
      status: 401,
      message: slot === "sidecar" ? t("api.signInExpired") : t("api.serviceSignInExpired", { service: serviceName(slot) }),
    });
  }

  private async send<T>(name: EndpointName, options: RequestOptions, bearer: string | undefined, streamAccept?: string): Promise<T> {
    const endpoint: Endpoint = endpoints[name];
    let connection: ServiceConnection;
    let url: string;
    try {
      connection = this.connection(endpoint.service);
      url = this.url(name, options);
    } catch {
      throw new ApiError({
        kind: "network",
        endpoint: name,
        message: t("api.addressInvalid", { service: serviceName(endpoint.service) }),
      });
    }
    // Only this service's key headers: a key never travels to another vendor's host.
    const headers: Record<string, string> = { Accept: streamAccept ?? "application/json", ...connection.headers };
    if (!endpoint.anonymous && bearer) headers.Authorization = `Bearer ${bearer}`;
    let body: BodyInit | undefined;
    if (options.body instanceof FormData || options.body instanceof URLSearchParams || options.body instanceof Blob) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.body);
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
        message: t("api.cannotReach", this.whereValues(endpoint.service)),
      });
    }
    if (raw.stream) return raw.stream as T;
    return this.interpret<T>(name, raw);
  }

  /** What the messages naming a service need: one server or separate services, its name and address. */
  private whereValues(service: ServiceName): { mode: string; service: string; address: string } {
    return { mode: this.settings.get().mode, service: serviceName(service), address: this.connection(service).baseUrl };
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
    const service = endpoints[name].service;
    if (raw.status >= 200 && raw.status < 300) {
      if (!parsedOk) {
        throw new ApiError({
          kind: "server",
          endpoint: name,
          status: raw.status,
          message: t("api.notTheApi", { ...this.whereValues(service), contentType: raw.contentType || "none" }),
        });
      }
      return parsed as T;
    }
    const detail = messageFromBody(parsed);
    const kind = service === "documents" && isArtosAuthFailure(raw.status, detail) ? "unauthorized" : kindForStatus(raw.status);
    let message = detail ?? fallbackMessage(kind);
    if (raw.status === 507) {
      // Insufficient storage: what the server says is already what a person needs to hear.
      message = detail ?? t("api.outOfStorage", this.whereValues(service));
    } else if (kind === "server" && detail) message = t("api.serverProblem", { detail });
    if (kind === "server" && !parsedOk && raw.status >= 502) {
      message = t("api.notAnswering", { ...this.whereValues(service), status: String(raw.status) });
    }
    throw new ApiError({ kind, endpoint: name, status: raw.status, detail, message });
  }
}
