// The browser host's document settings: localStorage keyed by the document's SHA-256, with a copy
// in memory (all there is when storage is missing, blocked or full).

import { t } from "../../i18n";
import { OfficeError } from "../document-host";

const SETTINGS_PREFIX = "sidecar.document-settings.";

/** window.localStorage, or null when the page can't use it. */
export function safeStorage(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null; // e.g. SecurityError in a sandboxed frame
  }
}

/** Settings per document, under SETTINGS_PREFIX + the document's key. */
export class DocumentSettings {
  private readonly memory = new Map<string, string>();

  /** `storage` null: settings are kept in memory only. */
  constructor(private readonly storage: Storage | null) {}

  private readSettings(key: string): Record<string, unknown> {
    let raw: string | null | undefined;
    try {
      raw = this.storage?.getItem(key);
    } catch {
      raw = undefined;
    }
    raw ??= this.memory.get(key);
    if (!raw) return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  /** The setting `key` of the document whose key is `documentKey` (undefined when it has none). */
  get<T = unknown>(documentKey: string, key: string): T | undefined {
    const settings = this.readSettings(SETTINGS_PREFIX + documentKey);
    return Object.prototype.hasOwnProperty.call(settings, key) ? (settings[key] as T) : undefined;
  }

  /** Stores the setting `key` (undefined removes it) of the document whose key is `documentKey`. */
  set(documentKey: string, key: string, value: unknown): void {
    const storageKey = SETTINGS_PREFIX + documentKey;
    const settings = this.readSettings(storageKey);
    if (value === undefined) delete settings[key];
    else settings[key] = value;
    let json: string;
    try {
      json = JSON.stringify(settings);
    } catch (error) {
      throw new OfficeError("write_failed", t("office.browserSettingsStoreFailed"), { cause: error });
    }
    this.memory.set(storageKey, json);
    try {
      this.storage?.setItem(storageKey, json);
    } catch {
      // Storage full or blocked: the setting lasts until the tab closes.
    }
  }
}
