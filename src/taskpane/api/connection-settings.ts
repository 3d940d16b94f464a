// Where the pane finds its server: one base URL (default: the pane's own origin), optional
// per-service overrides, and an optional API key sent as Ocp-Apim-Subscription-Key.

import type { ServiceName as Service } from "../../shared/contract/endpoints";
import { Observable, readJson, writeJson } from "./local-store";

export interface ConnectionSettings {
  /** Empty means "the pane's own origin". */
  serverUrl: string;
  apiKey: string;
  overrides: Partial<Record<Service, string>>;
}

const storageKey = "sidecar.connection";

export const defaultConnectionSettings: ConnectionSettings = { serverUrl: "", apiKey: "", overrides: {} };

export function normalizeServerUrl(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) return "";
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = new URL(withScheme); // throws on nonsense; callers validate first
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** Returns words for a person when the server address is unusable, or undefined when it is fine. */
export function validateServerUrl(value: string): string | undefined {
  if (!value.trim()) return undefined;
  try {
    const url = new URL(/^https?:\/\//i.test(value.trim()) ? value.trim() : `https://${value.trim()}`);
    if (url.protocol !== "http:" && url.protocol !== "https:") return "Use an http:// or https:// address.";
    return undefined;
  } catch {
    return "This is not a web address. Use the form https://sidecar.example.com.";
  }
}

export class ConnectionSettingsStore extends Observable<ConnectionSettings> {
  constructor() {
    super({ ...defaultConnectionSettings, ...readJson<Partial<ConnectionSettings>>(storageKey) });
  }
  update(patch: Partial<ConnectionSettings>): void {
    const next = { ...this.get(), ...patch };
    writeJson(storageKey, next);
    this.set(next);
  }
}

/** The base URL for a service: its override, else the server URL, else the pane's origin. */
export function baseUrlFor(settings: ConnectionSettings, service: Service, origin: string): string {
  const chosen = settings.overrides[service]?.trim() || settings.serverUrl.trim() || origin;
  return chosen.replace(/\/+$/, "");
}
