// An in-memory DocumentHost for component tests: the edge we cannot run here is Word itself.
import type { DocumentHost, HostInfo, InsertMode, ReadProgress } from "../../src/taskpane/office/document-host";

export class FakeHost implements DocumentHost {
  readonly info: HostInfo = { kind: "word", platform: "PC", supported: true, displayLanguage: "en-US", darkTheme: false };
  settings = new Map<string, unknown>();
  selection = "";
  inserted: Array<{ text: string; mode: InsertMode }> = [];
  openedDocuments: Array<{ name: string; bytes: Uint8Array }> = [];
  insertedDocuments: Array<{ bytes: Uint8Array; mode: string }> = [];
  customProperties = new Map<string, string>();
  private listeners = new Set<() => void>();

  constructor(
    public name = "Quarterly report.docx",
    public bytes: Uint8Array = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3, 4]),
    public sliceSize = 4,
  ) {}

  async getDocumentName() {
    return this.name;
  }
  async readDocument(options: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {}) {
    for (let read = 0; read < this.bytes.length; read += this.sliceSize) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ bytesRead: Math.min(read + this.sliceSize, this.bytes.length), totalBytes: this.bytes.length });
      await Promise.resolve();
    }
    return this.bytes;
  }
  async getSelectedText() {
    return this.selection;
  }
  onSelectionChanged(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  select(text: string) {
    this.selection = text;
    for (const listener of this.listeners) listener();
  }
  async insertText(text: string, mode: InsertMode) {
    this.inserted.push({ text, mode });
  }
  async openGeneratedDocument(bytes: Uint8Array, name: string) {
    this.openedDocuments.push({ name, bytes });
    return "opened-new-window" as const;
  }
  async insertDocument(bytes: Uint8Array, mode: "cursor" | "replace" | "end") {
    this.insertedDocuments.push({ bytes, mode });
  }
  async getCustomProperty(name: string) {
    return this.customProperties.get(name);
  }
  async getSetting<T>(key: string) {
    return this.settings.get(key) as T | undefined;
  }
  async setSetting(key: string, value: unknown) {
    this.settings.set(key, value);
  }
}
