// The browser host's public types: what the pane shows about the picked document, a picked
// document, and the host's options.

import { type OfficeError } from "../document-host";
import { type PreviewSuggestion } from "./suggestions";

export type BrowserDocumentStatus = "empty" | "loading" | "ready" | "error";

/**
 * What the pane shows about the picked document (for React's useSyncExternalStore: the same object
 * until something changes).
 * - "empty": nothing picked; "loading": reading/rendering a pick (or restoring after a reload);
 * - "ready": `name` is open. `error` is set too when a later pick failed and the previous document stayed open;
 * - "error": the pick failed and no document is open; `error` says why.
 */
export interface BrowserHostSnapshot {
  readonly status: BrowserDocumentStatus;
  readonly name?: string;
  /** SHA-256 (hex) of the open document's bytes, when one is open: changes when another file is picked. */
  readonly key?: string;
  readonly error?: OfficeError;
  /** "ready" with only the document's first pages on screen: the rest is still being converted. */
  readonly partial?: boolean;
  /** Sidecar's suggestions in the preview, waiting to be accepted or rejected (none: absent). */
  readonly suggestions?: readonly PreviewSuggestion[];
}

export interface PickedDocument {
  name: string;
  bytes: Uint8Array;
}

export interface BrowserHostOptions {
  /** Defaults to the page's document. */
  document?: Document;
  /** Defaults to window.localStorage; null (or a throwing storage) keeps settings in memory only. */
  storage?: Storage | null;
  /** Defaults to window.indexedDB; null means the picked document is not kept across reloads. */
  indexedDB?: IDBFactory | null;
}
