// DocumentHost for the plain browser tab (development, demos, end-to-end tests): a .docx the person
// picks stands for "the open document". The pane shows a readable preview of it (mammoth → DOMPurify),
// selection and inserts work on that preview, settings live in localStorage keyed by the document's
// SHA-256, and the picked file is kept in IndexedDB so a reload brings it back. Rich answers
// (insertFormatted) go into the preview as sanitized HTML blocks.
//
// The picked file's bytes are never modified: inserts change only the preview, and readDocument
// returns the bytes exactly as picked. A generated document "opened" here becomes the open document,
// exactly as if it had been picked; custom document properties are read from the bytes themselves.
//
// This file is the entry point: the class BrowserHost (picking, restoring and closing a document,
// the snapshot the pane shows, and each DocumentHost call) delegates to the modules in browser/,
// and the names importers use are re-exported from here.
// - browser/types.ts: BrowserHostSnapshot, PickedDocument, BrowserHostOptions;
// - browser/host-info.ts: the browser tab's HostInfo;
// - browser/errors.ts: the host's refusals (no document, no notes);
// - browser/picked-file.ts: reading and checking a picked file, its preview HTML (mammoth → DOMPurify);
// - browser/stored-document.ts: the picked document in IndexedDB, for a reload;
// - browser/settings.ts: settings in localStorage (or memory), per document;
// - browser/custom-properties.ts: custom document properties from docProps/custom.xml;
// - browser/selection.ts: the preview's selection, Sidecar's own moves, selection listeners;
// - browser/preview-dom.ts: block elements, the text of a piece of the preview, scrolling to a place;
// - browser/insert-blocks.ts: what an insert puts into the preview, and placing it;
// - browser/headings.ts: the preview's headings (getSelectionContext, goToHeading);
// - browser/preview-text.ts: character offsets in the preview's text, and finding passages;
// - browser/sections-in-place.ts: sections written in place (a <div> tagged like Word's content control);
// - browser/suggestions.ts: inserts as suggestions (tracked changes), accepted or rejected in the preview.

import { t } from "../i18n";
import {
  OfficeError,
  type DocumentHost,
  type DocumentInsertMode,
  type HostInfo,
  type InsertMode,
  type InsertOptions,
  type OpenGeneratedResult,
  type ReadProgress,
  type SelectionChange,
  type SectionContent,
  type SelectedTextAndSection,
  type SelectionContext,
  type WriteSectionOptions,
  type WrittenPlace,
  type WrittenSectionRef,
} from "./document-host";
import { DOCX_MIME_TYPE } from "./docx-bytes";
import { normalizeHeadingTitle } from "./heading-match";
import { docxHead } from "./preview-head";
import { sha256Hex } from "./sha256";
import { CustomPropertiesCache } from "./browser/custom-properties";
import { noDocument, noNotes } from "./browser/errors";
import { headingBefore, headingRange } from "./browser/headings";
import { describeBrowserHost } from "./browser/host-info";
import { blocksFromHtml, formattedBlocks, insertedDocumentHtml, paragraphBlocks, placeBlocksIn } from "./browser/insert-blocks";
import { afterPaint, checkedDocx, docxFileName, pickedBytes, renderPreviewHtml } from "./browser/picked-file";
import { blockText, scrollWithin } from "./browser/preview-dom";
import { passageRange, rangeAtMarks, textMarks } from "./browser/preview-text";
import { writeSectionIn, writtenSectionAround, writtenSectionsIn } from "./browser/sections-in-place";
import { keepAsDeleted, markInserted, newSuggestionId, resolveSuggestion, suggestionsIn } from "./browser/suggestions";
import { PreviewSelection } from "./browser/selection";
import { DocumentSettings, safeStorage } from "./browser/settings";
import { DocumentStore } from "./browser/stored-document";
import { type BrowserHostOptions, type BrowserHostSnapshot, type PickedDocument } from "./browser/types";

export type { BrowserDocumentStatus, BrowserHostOptions, BrowserHostSnapshot, PickedDocument } from "./browser/types";

const EMPTY: BrowserHostSnapshot = Object.freeze({ status: "empty" });

interface OpenDocument extends PickedDocument {
  /** SHA-256 of the bytes: the document's identity for settings. */
  key: string;
}

export class BrowserHost implements DocumentHost {
  readonly info: HostInfo;

  private readonly doc: Document;
  private readonly settings: DocumentSettings;
  private readonly database: DocumentStore;
  private readonly customProperties = new CustomPropertiesCache();
  private readonly snapshotListeners = new Set<() => void>();
  private readonly selection: PreviewSelection;

  private snapshot: BrowserHostSnapshot = EMPTY;
  private current: OpenDocument | undefined;
  /** The preview's HTML, including inserted paragraphs. */
  private html = "";
  private previewElement: HTMLElement | null = null;
  /** Bumped by every open/close, so a slow earlier pick never overwrites a later one. */
  private generation = 0;
  /**
   * Settles when the whole open document is in the preview (a long one shows its first pages
   * first): what finds or changes text in the preview waits for it, so nothing it does is lost
   * when the rest arrives.
   */
  private complete: Promise<void> = Promise.resolve();
  private completed: () => void = () => undefined;

  constructor(options: BrowserHostOptions = {}) {
    this.doc = options.document ?? document;
    this.settings = new DocumentSettings(options.storage === undefined ? safeStorage() : options.storage);
    this.database = new DocumentStore(options.indexedDB);
    this.selection = new PreviewSelection(this.doc, () => this.previewElement);
    this.info = describeBrowserHost();
  }

  // ----- useSyncExternalStore ------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.snapshotListeners.add(listener);
    return () => {
      this.snapshotListeners.delete(listener);
    };
  };

  getSnapshot = (): BrowserHostSnapshot => this.snapshot;

  private setSnapshot(next: BrowserHostSnapshot): void {
    this.snapshot = Object.freeze({ ...next });
    for (const listener of [...this.snapshotListeners]) listener();
  }

  // ----- picking, restoring, closing -----------------------------------------------------------

  /** Opens a picked .docx as "the open document". Rejects with OfficeError (in words) when it isn't one. */
  async openFile(file: File | PickedDocument): Promise<void> {
    await this.load(file, true, ++this.generation);
  }

  /**
   * Brings back the document picked before a reload, from IndexedDB. Resolves true when one was
   * restored; never rejects (without IndexedDB, or when the stored copy is unusable, it resolves false).
   */
  async restore(): Promise<boolean> {
    if (this.current) return true;
    const factory = this.database.factory();
    if (!factory) return false;
    const generation = this.generation;
    this.setSnapshot({ status: "loading" });
    const stored = await this.database.read(factory);
    if (generation !== this.generation) return false; // a pick or close happened meanwhile: it wins
    if (!stored) {
      this.setSnapshot(EMPTY);
      return false;
    }
    const loadGeneration = ++this.generation;
    try {
      await this.load(stored, false, loadGeneration);
      return this.generation === loadGeneration;
    } catch {
      if (this.generation === loadGeneration) this.setSnapshot(EMPTY);
      void this.database.forget();
      return false;
    }
  }

  /** Forgets the picked document (here and in IndexedDB). Its settings stay, keyed by its hash. */
  async closeFile(): Promise<void> {
    this.generation++;
    this.current = undefined;
    this.html = "";
    this.renderPreview();
    this.setSnapshot(EMPTY);
    await this.database.forget();
  }

  private async load(input: File | PickedDocument, persist: boolean, generation: number): Promise<void> {
    const name = (input.name ?? "").trim() || t("office.untitledDocumentName");
    this.setSnapshot({ status: "loading", name });
    try {
      const bytes = await pickedBytes(input, name);
      if (await this.showHead(bytes, name, generation)) {
        await this.showRest(bytes, name, generation);
      } else {
        const html = await renderPreviewHtml(bytes, name);
        const key = await sha256Hex(bytes);
        if (generation !== this.generation) return; // a later pick (or close) took over
        this.complete = Promise.resolve();
        this.showOpened({ name, bytes, key }, html, false);
      }
      if (persist && generation === this.generation) await this.database.store({ name, bytes, savedAt: Date.now() });
    } catch (error) {
      const failure =
        error instanceof OfficeError
          ? error
          : new OfficeError("read_failed", t("office.openFileFailed", { name }), { cause: error });
      if (generation === this.generation) {
        this.setSnapshot(
          this.current
            ? { status: "ready", name: this.current.name, key: this.current.key, error: failure }
            : { status: "error", name, error: failure },
        );
      }
      throw failure;
    }
  }

  /**
   * A long document's first pages, on screen at once (its name and key ready for everything
   * else); false when the document is short or its start can't be cut out, and it is shown whole.
   */
  private async showHead(bytes: Uint8Array, name: string, generation: number): Promise<boolean> {
    const head = await docxHead(bytes);
    if (!head) return false;
    let html: string;
    try {
      html = await renderPreviewHtml(head, name);
    } catch {
      return false; // the whole document is converted and says what is wrong with it
    }
    const key = await sha256Hex(bytes);
    if (generation !== this.generation) return true; // a later pick took over; showRest sees it too
    // Before anyone hears of the first pages, so that what they do next waits for the rest.
    this.complete = new Promise<void>((resolve) => (this.completed = resolve));
    this.showOpened({ name, bytes, key }, html, true);
    return true;
  }

  /** `document` is the open one, `html` on screen as its preview (`partial`: its first pages only). */
  private showOpened(document: OpenDocument, html: string, partial: boolean): void {
    this.current = document;
    this.html = html;
    this.renderPreview();
    const { name, key } = document;
    this.setSnapshot(partial ? { status: "ready", name, key, partial } : { status: "ready", name, key });
  }

  /**
   * The rest of a document whose first pages are on screen: converted after they have been
   * painted, then put in their place where the person is reading (the scroll position kept).
   * If the rest can't be read, the first pages stay, with the reason.
   */
  private async showRest(bytes: Uint8Array, name: string, generation: number): Promise<void> {
    const done = this.completed;
    try {
      await afterPaint();
      if (generation !== this.generation) return;
      let html: string;
      try {
        html = await renderPreviewHtml(bytes, name, { offThread: true });
      } catch (error) {
        if (generation === this.generation && this.current) {
          const failure = new OfficeError("read_failed", t("office.restOfDocumentFailed", { name, reason: (error as Error).message }), { cause: error });
          this.setSnapshot({ status: "ready", name, key: this.current.key, error: failure });
        }
        return;
      }
      if (generation !== this.generation || !this.current) return;
      // The person may have selected something in the first pages: it is selected again in the
      // whole document (the same characters from the start), so an insert goes where they meant.
      const root = this.previewElement;
      const selected = root ? this.selection.usableRange(root) : null;
      const marks = root && selected ? textMarks(root, selected) : null;
      this.html = html;
      this.renderPreview(true);
      if (root && marks) {
        const range = rangeAtMarks(this.doc, root, marks);
        if (range) this.selection.move(root, range);
      }
      this.setSnapshot({ status: "ready", name, key: this.current.key });
    } finally {
      done();
    }
  }

  // ----- preview -------------------------------------------------------------------------------

  /** The layout hands over the element that shows the document (null when it unmounts). */
  attachPreview(element: HTMLElement | null): void {
    if (element === this.previewElement) return;
    this.previewElement = element;
    this.selection.clear();
    if (element) {
      this.renderPreview();
      this.selection.listen(true);
    } else {
      this.selection.listen(false);
    }
  }

  /** Stops listening to the page (the host is not used afterwards). */
  dispose(): void {
    this.selection.listen(false);
    this.previewElement = null;
    this.snapshotListeners.clear();
    this.selection.removeListeners();
  }

  /** Puts the preview HTML on screen; `keepScroll` when it continues what is there (a long document's rest). */
  private renderPreview(keepScroll = false): void {
    this.selection.clear();
    const element = this.previewElement;
    if (!element) return;
    const scrollTop = element.scrollTop;
    // Sanitized in renderPreviewHtml (browser/picked-file.ts); inserted text only ever enters as
    // text nodes, inserted HTML (insertDocument, insertFormatted) only sanitized (html-sanitize.ts).
    element.innerHTML = this.current ? this.html : "";
    if (keepScroll) element.scrollTop = scrollTop;
  }

  // ----- selection -----------------------------------------------------------------------------

  /**
   * `listener` hears about selections the person makes in the preview (mouse or keyboard, through
   * the page's `selectionchange`), including a selection collapsed to the caret (then the selected
   * text is ""), and about Sidecar's own moves (goToHeading, the caret after an insert: marked
   * `programmatic: true`). Selections outside the preview (the pane's inputs) are not reported.
   */
  onSelectionChanged(listener: (change: SelectionChange) => void): () => void {
    return this.selection.onChanged(listener);
  }

  async getSelectedText(): Promise<string> {
    const root = this.previewElement;
    const range = root ? this.selection.usableRange(root) : null;
    if (!range || range.collapsed) return "";
    return blockText(range.cloneContents());
  }

  /** The selected text and the preview's nearest heading (h1–h6) at or before the start of the selection. */
  async getSelectionContext(): Promise<SelectionContext> {
    const text = await this.getSelectedText();
    const root = this.previewElement;
    const range = root ? this.selection.usableRange(root) : null;
    if (!root || !range) return { text };
    const nearest = headingBefore(root, range);
    return nearest ? { text, headingTitle: nearest.title, headingOccurrence: nearest.occurrence } : { text };
  }

  /** The selected text and the written section (browser/sections-in-place.ts) holding its start. */
  async getSelectedTextAndSection(): Promise<SelectedTextAndSection> {
    const text = await this.getSelectedText();
    const root = this.previewElement;
    const range = root ? this.selection.usableRange(root) : null;
    const written = root && range ? writtenSectionAround(root, range) : undefined;
    return written ? { text, writtenSection: written } : { text };
  }

  /**
   * Selects the text of the preview's heading for `title` (h1–h6; a heading broken over
   * consecutive headings selects them all) and scrolls the preview (only the preview) so it is at the top. Listeners hear `programmatic: true`.
   */
  async goToHeading(title: string, occurrence = 1): Promise<boolean> {
    if (!this.current) throw noDocument();
    await this.complete;
    const root = this.previewElement;
    if (!root || !normalizeHeadingTitle(title)) return false;
    const heading = headingRange(this.doc, root, title, occurrence);
    if (!heading) return false;
    this.selection.move(root, heading.range);
    scrollWithin(root, heading.first);
    return true;
  }

  /**
   * Selects the passage's text in the preview (see DocumentHost.selectPassage): from its first
   * character to its last, a piece of a long paragraph as much as several paragraphs, compared
   * the way the server stores passages (white space collapsed, invisible characters dropped). When
   * the text has changed inside, its first and last words still mark it out; when even those are
   * gone, false. Scrolls only the preview.
   */
  async selectPassage(text: string): Promise<boolean> {
    if (!this.current) throw noDocument();
    await this.complete;
    const root = this.previewElement;
    const found = root ? passageRange(this.doc, root, text) : null;
    if (!root || !found) return false;
    this.selection.move(root, found.range);
    const element = found.startNode.parentElement;
    if (element) scrollWithin(root, element);
    return true;
  }

  // ----- insert --------------------------------------------------------------------------------

  async insertText(text: string, mode: InsertMode, options: InsertOptions = {}): Promise<void> {
    if (!this.current) throw noDocument();
    if (options.notes) throw noNotes();
    await this.complete;
    if (text === "" && mode === "cursor") return;
    this.placeBlocks(paragraphBlocks(this.doc, text), mode, options.suggest === true);
  }

  /**
   * Inserts a .docx into the preview: its readable HTML (mammoth → DOMPurify, as for the preview),
   * each top-level block marked `data-sidecar-inserted`, placed like insertText places paragraphs
   * ("end": after everything). The open document's bytes stay as they were.
   */
  async insertDocument(docx: Uint8Array, mode: DocumentInsertMode): Promise<void> {
    const current = this.current;
    if (!current) throw noDocument();
    await this.complete;
    const html = await insertedDocumentHtml(docx);
    if (this.current !== current) {
      throw new OfficeError("write_failed", t("office.otherDocumentOpenedWhileInserting"));
    }
    this.placeBlocks(blocksFromHtml(this.doc, html), mode);
  }

  /**
   * Inserts an answer's HTML into the preview, sanitized like it is for Word (html-sanitize.ts):
   * its blocks (headings, paragraphs, lists, tables, ...) placed like insertText places paragraphs,
   * each marked `data-sidecar-inserted`; the block they land in is split, so no paragraph ends up
   * inside a paragraph. `plainText` goes in instead when nothing is left of the HTML.
   */
  async insertFormatted(html: string, mode: InsertMode, plainText: string, options: InsertOptions = {}): Promise<void> {
    if (!this.current) throw noDocument();
    if (options.notes) throw noNotes();
    await this.complete;
    const blocks = await formattedBlocks(this.doc, html);
    if (blocks.length === 0) return this.insertText(plainText, mode, options);
    this.placeBlocks(blocks, mode, options.suggest === true);
  }

  /**
   * Writes a section into the preview (see DocumentHost.writeSection) as sanitized HTML blocks in a
   * <div> tagged like Word's content control (browser/sections-in-place.ts); with `suggest`, as a
   * suggestion the person accepts or rejects above the preview.
   */
  async writeSection(section: WrittenSectionRef, content: SectionContent, options: WriteSectionOptions = {}): Promise<WrittenPlace> {
    if (!this.current) throw noDocument();
    await this.complete;
    let blocks = await formattedBlocks(this.doc, content.html);
    if (blocks.length === 0) blocks = paragraphBlocks(this.doc, content.plainText);
    const root = this.editableRoot();
    const range = this.selection.usableRange(root)?.cloneRange() ?? null;
    const suggestion = options.suggest ? newSuggestionId() : undefined;
    const { place, caret } = writeSectionIn(this.doc, root, range, section, blocks, options.replace === true, suggestion);
    this.edited(root);
    if (root === this.previewElement) this.selection.move(root, caret);
    return place;
  }

  /** Accepts (or rejects) a suggestion in the preview (see browser/suggestions.ts); false when it is gone. */
  resolveSuggestion(id: string, accept: boolean): boolean {
    if (!this.current) return false;
    const root = this.editableRoot();
    if (!resolveSuggestion(root, id, accept)) return false;
    this.edited(root);
    return true;
  }

  /** The preview was edited: its HTML is kept, and the snapshot lists its suggestions. */
  private edited(root: HTMLElement): void {
    this.html = root.innerHTML;
    const suggestions = suggestionsIn(root);
    if (suggestions.length > 0 || this.snapshot.suggestions?.length) {
      const { suggestions: _old, ...rest } = this.snapshot;
      this.setSnapshot(suggestions.length > 0 ? { ...rest, suggestions } : rest);
    }
  }

  async getWrittenSections(): Promise<WrittenSectionRef[]> {
    if (!this.current) return [];
    await this.complete;
    return writtenSectionsIn(this.editableRoot());
  }

  /** The preview on screen, or (none on screen) its HTML in an element off-screen. */
  private editableRoot(): HTMLElement {
    if (this.previewElement) return this.previewElement;
    const root = this.doc.createElement("div");
    root.innerHTML = this.html;
    return root;
  }

  /**
   * Puts `blocks` into the preview: after the last selection ("cursor"), in place of it
   * ("replace"), or at the end ("end", and whenever there is no selection in the preview). The
   * block holding the point is split, so paragraphs never nest. The caret ends after the insert.
   */
  private placeBlocks(blocks: HTMLElement[], mode: DocumentInsertMode, suggest = false): void {
    // No preview on screen: the preview HTML is edited off-screen.
    const root = this.editableRoot();
    const range = mode === "end" ? null : (this.selection.usableRange(root)?.cloneRange() ?? null);
    let place = mode;
    if (suggest) {
      // A suggestion: its blocks marked, the text it replaces kept (struck through) before them.
      const id = newSuggestionId();
      markInserted(blocks, id);
      if (range && mode === "replace") {
        keepAsDeleted(this.doc, range, id);
        place = "cursor";
      }
    }
    const caret = placeBlocksIn(this.doc, root, blocks, range, place);
    this.edited(root);
    // The caret sits after the inserted content, in the page and in what the host remembers.
    if (root === this.previewElement) this.selection.move(root, caret);
  }

  // ----- document ------------------------------------------------------------------------------

  async readDocument(options: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {}): Promise<Blob> {
    if (options.signal?.aborted) throw new OfficeError("aborted", t("office.readingStopped"));
    const current = this.current;
    if (!current) throw noDocument();
    // The Blob holds its own copy of the picked bytes (outside the JavaScript heap).
    const docx = new Blob([current.bytes as Uint8Array<ArrayBuffer>], { type: DOCX_MIME_TYPE });
    options.onProgress?.({ bytesRead: docx.size, totalBytes: docx.size });
    return docx;
  }

  async getDocumentName(): Promise<string> {
    if (!this.current) throw noDocument();
    return this.current.name;
  }

  /**
   * A generated .docx becomes the open document, exactly as if the person had picked it: the
   * preview shows it, the snapshot names it, and it is kept in IndexedDB for a reload.
   */
  async openGeneratedDocument(docx: Uint8Array, name: string): Promise<OpenGeneratedResult> {
    const bytes = checkedDocx(docx, t("office.generatedNotShowable"));
    await this.openFile({ name: docxFileName(name), bytes });
    return "opened-in-preview";
  }

  /** A custom property from the open document's docProps/custom.xml (read once per document). */
  async getCustomProperty(name: string): Promise<string | undefined> {
    const current = this.current;
    if (!current) throw noDocument();
    return this.customProperties.get(current, name);
  }

  // ----- settings (localStorage, per document hash) --------------------------------------------

  /** The open document's key, under which its settings are kept. */
  private settingsKey(): string {
    if (!this.current) throw noDocument();
    return this.current.key;
  }

  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return this.settings.get<T>(this.settingsKey(), key);
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    this.settings.set(this.settingsKey(), key, value);
  }
}
