// The one interface the rest of the pane uses to reach "the open document".
// Two implementations: Word (Office.js, word-host.ts) and the plain browser tab
// (browser-host.ts), where a .docx the person picks stands for the open document.
// Nothing outside src/taskpane/office/ touches the Office or Word globals.

export type HostKind = "word" | "browser";

export interface HostInfo {
  kind: HostKind;
  /** Office platform ("PC", "Mac", "OfficeOnline", ...) or "Browser". */
  platform: string;
  /** Word API sets this pane relies on are available (WordApi 1.3). Always true in the browser tab. */
  supported: boolean;
  /** Words for a person when `supported` is false. */
  unsupportedReason?: string;
  /** Office UI language, e.g. "en-US". */
  displayLanguage: string;
  /** True when the Office (or system) theme is dark. */
  darkTheme: boolean;
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

export type InsertMode = "cursor" | "replace";

export type OfficeErrorKind =
  | "unsupported" // the host or its version cannot do this
  | "no_document" // nothing is open (browser tab: no .docx picked yet)
  | "read_failed"
  | "write_failed"
  | "aborted";

export class OfficeError extends Error {
  readonly kind: OfficeErrorKind;
  constructor(kind: OfficeErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OfficeError";
    this.kind = kind;
  }
}

export interface DocumentHost {
  readonly info: HostInfo;

  /** File name of the open document, with .docx ("Untitled document.docx" when it has none). */
  getDocumentName(): Promise<string>;

  /** The open document as .docx bytes. Word: getFileAsync(Compressed) in 4 MB slices. */
  readDocument(options?: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal }): Promise<Uint8Array>;

  /** The selected text ("" when nothing is selected). */
  getSelectedText(): Promise<string>;

  /** Calls `listener` when the selection changes; returns an unsubscribe function. */
  onSelectionChanged(listener: () => void): () => void;

  /** Inserts plain text at the cursor, or in place of the selection. */
  insertText(text: string, mode: InsertMode): Promise<void>;

  /** Settings stored in the document itself (Office document settings). */
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;
}
