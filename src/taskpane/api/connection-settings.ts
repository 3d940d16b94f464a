// Where the pane finds each service, and which key it sends there (docs/connections.md).
//
// Two modes:
// - "sidecar" (the default): one Sidecar server answers all four services on one address (empty =
//   the pane's own origin), with one optional API key sent as Ocp-Apim-Subscription-Key.
// - "separate": the customer's own vendor services, one address each: Chat (Ejento, with its
//   Ocp-Apim-Subscription-Key), Ejento indexing (a key header whose name and value are configured),
//   Documents (Artos, no key) and Batch tagging (the tag generator, no key; its tagging settings
//   `api_key` and `model_name` travel in each job's config).
// A key is only ever sent to the service it belongs to.

import type { ServiceName } from "../../shared/contract/endpoints";
import { t } from "../i18n";
import { Observable, readJson, writeJson } from "./local-store";

export type ConnectionMode = "sidecar" | "separate";

export interface ConnectionSettings {
  mode: ConnectionMode;
  /** Sidecar server mode: the one address; empty means "the pane's own origin". */
  serverUrl: string;
  /** Sidecar server mode: sent as Ocp-Apim-Subscription-Key to every call when set. */
  apiKey: string;
  ejento: { url: string; apiKey: string };
  /** Empty url: the Ejento address. */
  indexing: { url: string; keyHeader: string; keyValue: string };
  documents: { url: string };
  batch: { url: string; taggingApiKey: string; modelName: string };
}

const storageKey = "sidecar.connection";

export const APIM_KEY_HEADER = "Ocp-Apim-Subscription-Key";

export const defaultConnectionSettings: ConnectionSettings = {
  mode: "sidecar",
  serverUrl: "",
  apiKey: "",
  ejento: { url: "", apiKey: "" },
  indexing: { url: "", keyHeader: "", keyValue: "" },
  documents: { url: "" },
  batch: { url: "", taggingApiKey: "", modelName: "" },
};

/** People's name for a service, as the Account screen labels it, in the pane's language. */
export function serviceLabel(service: ServiceName): string {
  switch (service) {
    case "ejento":
      return t("connection.serviceEjento");
    case "indexing":
      return t("connection.serviceIndexing");
    case "documents":
      return t("connection.serviceDocuments");
    case "batch":
      return t("connection.serviceBatch");
  }
}

/**
 * The same names as a record, read when used (getters), never frozen at import: the pane's
 * language is set after the modules load. Prefer `serviceLabel(service)`.
 */
export const serviceLabels: Readonly<Record<ServiceName, string>> = {
  get ejento() {
    return serviceLabel("ejento");
  },
  get indexing() {
    return serviceLabel("indexing");
  },
  get documents() {
    return serviceLabel("documents");
  },
  get batch() {
    return serviceLabel("batch");
  },
};

export function normalizeServerUrl(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) return "";
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = new URL(withScheme); // throws on nonsense; callers validate first
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Returns words for a person when an address is unusable, or undefined when it is fine. */
export function validateServerUrl(value: string): string | undefined {
  if (!value.trim()) return undefined;
  try {
    const url = new URL(/^https?:\/\//i.test(value.trim()) ? value.trim() : `https://${value.trim()}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") return t("connection.urlNotHttp");
    return undefined;
  } catch {
    return t("connection.urlInvalid");
  }
}

/** Words for a person when a header name can't be sent, or undefined when it is fine (or empty). */
export function validateHeaderName(value: string): string | undefined {
  if (!value.trim()) return undefined;
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value.trim()) ? undefined : t("connection.headerNameInvalid");
}

/** Reads what an older pane saved (`{serverUrl, apiKey, overrides}`) as today's settings. */
function fromStored(stored: Partial<ConnectionSettings> & { overrides?: unknown } | undefined): ConnectionSettings {
  if (!stored) return defaultConnectionSettings;
  const merged: ConnectionSettings = {
    mode: stored.mode === "separate" ? "separate" : "sidecar",
    serverUrl: typeof stored.serverUrl === "string" ? stored.serverUrl : "",
    apiKey: typeof stored.apiKey === "string" ? stored.apiKey : "",
    ejento: { ...defaultConnectionSettings.ejento, ...stored.ejento },
    indexing: { ...defaultConnectionSettings.indexing, ...stored.indexing },
    documents: { ...defaultConnectionSettings.documents, ...stored.documents },
    batch: { ...defaultConnectionSettings.batch, ...stored.batch },
  };
  return merged;
}

export class ConnectionSettingsStore extends Observable<ConnectionSettings> {
  constructor() {
    super(fromStored(readJson(storageKey)));
  }
  update(patch: Partial<ConnectionSettings>): void {
    const next = { ...this.get(), ...patch };
    writeJson(storageKey, next);
    this.set(next);
  }
}

/** Where one service is reached and which key headers go with it. */
export interface ServiceConnection {
  /** No trailing slash. */
  baseUrl: string;
  /** Key headers of this service only (never the Authorization header). */
  headers: Record<string, string>;
}

const trimSlash = (url: string) => url.trim().replace(/\/+$/, "");

/** The address and key headers for a service under the current settings. */
export function connectionFor(settings: ConnectionSettings, service: ServiceName, origin: string): ServiceConnection {
  if (settings.mode === "sidecar") {
    const key = settings.apiKey.trim();
    return { baseUrl: trimSlash(settings.serverUrl) || trimSlash(origin), headers: key ? { [APIM_KEY_HEADER]: key } : {} };
  }
  switch (service) {
    case "ejento": {
      const key = settings.ejento.apiKey.trim();
      return { baseUrl: trimSlash(settings.ejento.url) || trimSlash(origin), headers: key ? { [APIM_KEY_HEADER]: key } : {} };
    }
    case "indexing": {
      const { keyHeader, keyValue } = settings.indexing;
      const headers = keyHeader.trim() && keyValue.trim() ? { [keyHeader.trim()]: keyValue.trim() } : {};
      return { baseUrl: trimSlash(settings.indexing.url) || trimSlash(settings.ejento.url) || trimSlash(origin), headers };
    }
    case "documents":
      return { baseUrl: trimSlash(settings.documents.url) || trimSlash(origin), headers: {} };
    case "batch":
      return { baseUrl: trimSlash(settings.batch.url) || trimSlash(origin), headers: {} };
  }
}
