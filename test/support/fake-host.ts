// An in-memory DocumentHost for component tests: the edge we cannot run here is Word itself.
import type {
  DocumentHost,
  HostInfo,
  InsertMode,
  InsertOptions,
  ReadProgress,
  SelectionChange,
  SectionContent,
  SelectionContext,
  WriteSectionOptions,
  WrittenPlace,
  WrittenSectionRef,
} from "../../src/taskpane/office/document-host";
import { OfficeError } from "../../src/taskpane/office/document-host";
import { findHeading } from "../../src/taskpane/office/heading-match";

export class FakeHost implements DocumentHost {
  readonly info: HostInfo = { kind: "word", platform: "PC", supported: true, displayLanguage: "en-US", darkTheme: false };
  settings = new Map<string, unknown>();
  selection = "";
  inserted: Array<{ text: string; mode: InsertMode; suggest?: boolean }> = [];
  /** Every insertFormatted call, as given (no sanitizing here). */
  insertedFormatted: Array<{ html: string; mode: InsertMode; plainText: string; suggest?: boolean; notes?: InsertOptions["notes"] }> = [];
  openedDocuments: Array<{ name: string; bytes: Uint8Array }> = [];
  insertedDocuments: Array<{ bytes: Uint8Array; mode: string }> = [];
  customProperties = new Map<string, string>();
  /** The document's headings in order (levels 1–9; undefined = 1); undefined: goToHeading finds any title. */
  headings: Array<{ text: string; level?: number }> | undefined = undefined;
  /** Every goToHeading call, found or not. */
  headingMoves: Array<{ title: string; occurrence: number }> = [];
  /** What getSelectionContext adds to the selected text (the heading above the selection). */
  selectionHeading: { title: string; occurrence: number } | undefined = undefined;
  selectionContextCalls = 0;
  /** The sections written in place, in the order written (a replaced one takes the old one's place). */
  writtenSections: Array<{ section: WrittenSectionRef; content: SectionContent; suggest?: boolean }> = [];
  /** Every writeSection call, as given. */
  writeCalls: Array<{ section: WrittenSectionRef; replace: boolean; suggest: boolean }> = [];
  /** When set, writeSection waits for it before writing (a test holds a write midway). */
  writeGate: Promise<void> | undefined;
  /** When set, writeSection fails with it. */
  writeFailure: Error | undefined;
  /** The written section getSelectedTextAndSection reports around the selection. */
  selectionWritten: WrittenSectionRef | undefined;
  private listeners = new Set<(change: SelectionChange) => void>();

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
    return new Blob([this.bytes as Uint8Array<ArrayBuffer>]);
  }
  async getSelectedText() {
    return this.selection;
  }
  onSelectionChanged(listener: (change: SelectionChange) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
  /** The person selects `text` (or clears the selection with ""); `programmatic`: Sidecar's own move instead. */
  select(text: string, programmatic = false) {
    this.selection = text;
    for (const listener of [...this.listeners]) listener({ programmatic });
  }
  async getSelectionContext(): Promise<SelectionContext> {
    this.selectionContextCalls++;
    const heading = this.selectionHeading;
    return heading ? { text: this.selection, headingTitle: heading.title, headingOccurrence: heading.occurrence } : { text: this.selection };
  }
  async getSelectedTextAndSection() {
    return this.selectionWritten ? { text: this.selection, writtenSection: this.selectionWritten } : { text: this.selection };
  }
  /** Like the real hosts: under the heading when `headings` has the title (or is unset), else at the cursor. */
  async writeSection(section: WrittenSectionRef, content: SectionContent, options: WriteSectionOptions = {}): Promise<WrittenPlace> {
    this.writeCalls.push({ section, replace: options.replace === true, suggest: options.suggest === true });
    await this.writeGate;
    if (this.writeFailure) throw this.writeFailure;
    const before = this.writtenSections.findIndex((written) => written.section.sectionId === section.sectionId);
    const entry = { section, content, ...(options.suggest ? { suggest: true } : {}) };
    if (before >= 0) {
      if (!options.replace) throw new OfficeError("already_written", `“${section.title}” is in the document already.`);
      this.writtenSections[before] = entry;
      return "replaced";
    }
    this.writtenSections.push(entry);
    if (!this.headings) return "under-heading";
    const candidates = this.headings.map((heading) => ({ text: heading.text, level: heading.level ?? 1, followsPrevious: false }));
    return findHeading(candidates, section.title, 1) !== undefined ? "under-heading" : "at-cursor";
  }
  async getWrittenSections() {
    return this.writtenSections.map((written) => written.section);
  }
  /** Every selectPassage call; `passageFound` says what it answers. */
  passageSelections: string[] = [];
  passageFound = true;
  /** Like the real hosts, a found passage becomes the selection (listeners are not told: `select` plays that). */
  async selectPassage(text: string) {
    this.passageSelections.push(text);
    if (this.passageFound) this.selection = text;
    return this.passageFound;
  }
  /**
   * Records the move; true unless `headings` is set and has no such heading (matched like the real
   * hosts). The selection and listeners are left alone: `select(text, true)` plays the move's event.
   */
  async goToHeading(title: string, occurrence = 1) {
    this.headingMoves.push({ title, occurrence });
    if (!this.headings) return true;
    const candidates = this.headings.map((heading) => ({ text: heading.text, level: heading.level ?? 1, followsPrevious: false }));
    return findHeading(candidates, title, occurrence) !== undefined;
  }
  async insertText(text: string, mode: InsertMode, options: InsertOptions = {}) {
    this.inserted.push({ text, mode, ...(options.suggest ? { suggest: true } : {}) });
  }
  async insertFormatted(html: string, mode: InsertMode, plainText: string, options: InsertOptions = {}) {
    this.insertedFormatted.push({ html, mode, plainText, ...(options.suggest ? { suggest: true } : {}), ...(options.notes ? { notes: options.notes } : {}) });
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
