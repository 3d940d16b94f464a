// DocumentHost for the plain browser tab (development, demos, end-to-end tests): a .docx the person
// picks stands for "the open document". The pane shows a readable preview of it (mammoth → DOMPurify),
// selection and inserts work on that preview, settings live in localStorage keyed by the document's
// SHA-256, and the picked file is kept in IndexedDB so a reload brings it back. Rich answers
// (insertFormatted) go into the preview as sanitized HTML blocks.
//
// The picked file's bytes are never modified: inserts change only the preview, and readDocument
// returns the bytes exactly as picked. A generated document "opened" here becomes the open document,
// exactly as if it had been picked; custom document properties are read from the bytes themselves.


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
  type SelectionContext,
} from "./document-host";
import { squeeze } from "../../shared/text";
import { DOCX_MIME_TYPE, looksLikeZip } from "./docx-bytes";
import { findHeading, headingCandidates, nearestHeading, normalizeHeadingTitle, type ParagraphInfo } from "./heading-match";
import { docxHead } from "./preview-head";
import { sha256Hex } from "./sha256";

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

export const NO_DOCUMENT_WORDS = "Choose a Word document (.docx) to stand for the open document.";
const SETTINGS_PREFIX = "sidecar.document-settings.";
const DATABASE_NAME = "sidecar-browser-host";
const STORE_NAME = "documents";
const CURRENT_KEY = "current";

const EMPTY: BrowserHostSnapshot = Object.freeze({ status: "empty" });

/**
 * After Sidecar moves the selection itself (goToHeading, the caret after an insert), the page's
 * next `selectionchange` within this time is that move, not the person's.
 */
const PROGRAMMATIC_SELECTION_MS = 500;

function noDocument(): OfficeError {
  return new OfficeError("no_document", NO_DOCUMENT_WORDS);
}

/** The preview shows no tracked changes (yet): a suggestion is refused rather than inserted as if accepted. */
function noSuggestions(): OfficeError {
  return new OfficeError("unsupported", "The browser tab's preview can't show changes as suggestions: insert directly, or use Word to review them as tracked changes.");
}

// ---------------------------------------------------------------------------------------------
// Reading and checking the picked file

/** {name, bytes} rather than a File (real Files have a bytes() method, so check the value, not the key). */
function isPicked(input: File | PickedDocument): input is PickedDocument {
  const bytes = (input as { bytes?: unknown }).bytes;
  return ArrayBuffer.isView(bytes) || Object.prototype.toString.call(bytes) === "[object ArrayBuffer]";
}

function readBlob(blob: Blob): Promise<Uint8Array> {
  if (typeof blob.arrayBuffer === "function") return blob.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error("FileReader failed"));
    reader.readAsArrayBuffer(blob);
  });
}

/** A Uint8Array of this realm that we own (IndexedDB and other windows may hand back foreign views). */
function ownBytes(data: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]") return new Uint8Array(data as ArrayBuffer).slice();
  return undefined;
}

/** mammoth's HTML for a .docx, on this thread. */
async function convertHere(bytes: Uint8Array): Promise<string> {
  const arrayBuffer = bytes.slice().buffer;
  // The browser build of mammoth reads `arrayBuffer`; its Node build (Jest) reads `buffer`.
  const input = { arrayBuffer, buffer: arrayBuffer } as unknown as { arrayBuffer: ArrayBuffer };
  // Loaded on first use: the preview library is only needed in the browser tab, not in Word.
  const { default: mammoth } = await import(/* webpackChunkName: "preview" */ "mammoth");
  return (await mammoth.convertToHtml(input)).value;
}

/**
 * mammoth's HTML for a .docx in a Web Worker where the page can start one (a long document's
 * conversion then doesn't hold the page), else on this thread.
 */
async function convertOffThread(bytes: Uint8Array): Promise<string> {
  if (typeof Worker === "undefined") return convertHere(bytes);
  try {
    const { convertInWorker } = await import(/* webpackChunkName: "preview-convert" */ "./preview-convert");
    return await convertInWorker(bytes);
  } catch {
    // A worker that can't start (or a document it can't read): this thread, which reports the error.
    return convertHere(bytes);
  }
}

async function renderPreviewHtml(bytes: Uint8Array, name: string, { offThread = false }: { offThread?: boolean } = {}): Promise<string> {
  try {
    const [html, { sanitizePreviewHtml }] = await Promise.all([offThread ? convertOffThread(bytes) : convertHere(bytes), loadSanitizer()]);
    return sanitizePreviewHtml(html);
  } catch (error) {
    throw new OfficeError(
      "read_failed",
      `Sidecar couldn't read “${name}” as a Word document: it may be damaged or another kind of file. Open it in Word, save it as .docx and choose it again.`,
      { cause: error },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Custom document properties (docProps/custom.xml), read straight from the .docx bytes.

const CUSTOM_PROPERTIES_PART = "docprops/custom.xml"; // OPC part names compare case-insensitively
const CUSTOM_PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
/** Documents whose custom properties are kept in memory (the open one and a few before it). */
const CUSTOM_PROPERTIES_CACHE_SIZE = 8;

const NUMBER_VARIANTS = new Set(["i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "r4", "r8", "decimal", "cy"]);

/**
 * A property's vt:* value as text, written the way Word's customProperties would give it to
 * Sidecar: strings as they are, numbers as numbers, booleans as "true"/"false", dates as ISO 8601.
 */
function variantText(value: Element): string {
  const text = value.textContent ?? "";
  switch (value.localName) {
    case "lpwstr":
    case "lpstr":
    case "bstr":
      return text;
    case "bool":
      return /^\s*(true|1)\s*$/i.test(text) ? "true" : "false";
    case "filetime":
    case "date": {
      const date = new Date(text.trim());
      return Number.isNaN(date.getTime()) ? text.trim() : date.toISOString();
    }
    default: {
      const trimmed = text.trim();
      if (!NUMBER_VARIANTS.has(value.localName)) return trimmed;
      const number = Number(trimmed);
      return trimmed !== "" && Number.isFinite(number) ? String(number) : trimmed;
    }
  }
}

/** Resolves after the browser has had a chance to paint what was just put on screen. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

/** The HTML cleaner (DOMPurify), loaded when something is first previewed or inserted. */
function loadSanitizer() {
  return import(/* webpackChunkName: "sanitize" */ "./html-sanitize");
}

/** name (lower case) → value text, for every custom property in the .docx; empty when it has none or can't be read. */
async function readCustomProperties(bytes: Uint8Array): Promise<Map<string, string>> {
  const properties = new Map<string, string>();
  let xml: Uint8Array | undefined;
  try {
    // The unzipper is loaded on first use (the pane's first paint doesn't need it); only the one
    // small part is inflated, however large the document is.
    const { unzipSync } = await import(/* webpackChunkName: "unzip" */ "fflate");
    const files = unzipSync(bytes, { filter: (file) => file.name.toLowerCase() === CUSTOM_PROPERTIES_PART });
    xml = Object.values(files)[0];
  } catch {
    return properties;
  }
  const Parser = (globalThis as { DOMParser?: typeof DOMParser }).DOMParser;
  if (!xml || !Parser) return properties;
  const parsed = new Parser().parseFromString(new TextDecoder().decode(xml), "application/xml");
  if (parsed.getElementsByTagName("parsererror").length > 0) return properties;
  for (const property of Array.from(parsed.getElementsByTagNameNS(CUSTOM_PROPERTIES_NS, "property"))) {
    const name = property.getAttribute("name");
    const value = property.firstElementChild;
    if (!name || !value) continue;
    const key = name.toLowerCase();
    if (!properties.has(key)) properties.set(key, variantText(value));
  }
  return properties;
}

/** "Proposal" → "Proposal.docx"; "" → "Generated document.docx". */
function docxFileName(name: string): string {
  const trimmed = (name ?? "").trim();
  if (!trimmed) return "Generated document.docx";
  return /\.docx$/i.test(trimmed) ? trimmed : `${trimmed}.docx`;
}

// ---------------------------------------------------------------------------------------------
// IndexedDB: one record { name, bytes } under "current". Every failure is silent (private windows,
// blocked storage, old browsers): the document then just isn't restored after a reload.

interface StoredDocument {
  name: string;
  bytes: Uint8Array;
  savedAt: number;
}

function openDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DATABASE_NAME, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(STORE_NAME)) request.result.createObjectStore(STORE_NAME);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB upgrade blocked"));
  });
}

async function inStore<T>(
  factory: IDBFactory,
  mode: IDBTransactionMode,
  use: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDatabase(factory);
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE_NAME, mode);
      const request = use(transaction.objectStore(STORE_NAME));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// DOM helpers for the preview

const BLOCK_TAGS = new Set([
  "ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT", "FIGCAPTION", "FIGURE", "FOOTER",
  "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "OL", "P", "PRE", "SECTION", "TABLE", "TBODY",
  "THEAD", "TFOOT", "TR", "UL",
]);

/** Elements whose children may be paragraphs: inserted <p> go inside them, next to the split block. */
const FLOW_CONTAINERS = new Set(["ARTICLE", "ASIDE", "BLOCKQUOTE", "BODY", "DD", "DIV", "LI", "SECTION", "TD", "TH"]);

const CONTENT_ELEMENTS = "img,table,hr,svg,video,audio,iframe,object,embed,canvas";

/** Text of a fragment with a line break between block elements (jsdom has no innerText). */
function blockText(root: Node): string {
  let out = "";
  const breakLine = () => {
    if (out && !out.endsWith("\n")) out += "\n";
  };
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
      out += node.nodeValue ?? "";
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) return;
    const tag = node.nodeType === Node.ELEMENT_NODE ? (node as Element).tagName : "";
    if (tag === "BR") {
      out += "\n";
      return;
    }
    if (tag === "TR") {
      // One line per table row, cells separated by tabs.
      breakLine();
      out += [...node.childNodes]
        .filter((cell) => cell.nodeName === "TD" || cell.nodeName === "TH")
        .map((cell) => blockText(cell))
        .join("\t");
      breakLine();
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) breakLine();
    node.childNodes.forEach(visit);
    if (block) breakLine();
  };
  visit(root);
  return out.replace(/^\n+|\n+$/g, "");
}

function hasContent(node: Node): boolean {
  if ((node.textContent ?? "").trim() !== "") return true;
  return node.nodeType === Node.ELEMENT_NODE && (node as Element).querySelector(CONTENT_ELEMENTS) !== null;
}

/**
 * Inserts `blocks` (paragraphs) at a point inside `root`: the block holding the point is split in
 * two around it, so paragraphs never end up nested inside paragraphs.
 */
function insertBlocksAt(root: HTMLElement, container: Node, offset: number, blocks: DocumentFragment): void {
  const doc = root.ownerDocument;
  const isFlow = (node: Node) => node === root || (node.nodeType === Node.ELEMENT_NODE && FLOW_CONTAINERS.has((node as Element).tagName));

  if (isFlow(container)) {
    container.insertBefore(blocks, container.childNodes[offset] ?? null);
    return;
  }
  // `top` is the child of the nearest flow container that holds the point.
  let top: Node = container;
  let holder: Node | null = container.parentNode;
  while (holder && !isFlow(holder)) {
    top = holder;
    holder = holder.parentNode;
  }
  if (!holder) {
    root.append(blocks);
    return;
  }
  const rest = doc.createRange();
  rest.setStart(container, offset);
  rest.setEnd(top, top.nodeType === Node.ELEMENT_NODE ? top.childNodes.length : (top.nodeValue ?? "").length);
  const restContent = rest.extractContents();
  let tail: Node;
  if (top.nodeType === Node.ELEMENT_NODE) {
    tail = top.cloneNode(false);
    (tail as Element).removeAttribute("id");
    tail.appendChild(restContent);
  } else {
    tail = doc.createTextNode(restContent.textContent ?? "");
  }
  const after = top.nextSibling;
  if (hasContent(tail)) holder.insertBefore(tail, after);
  holder.insertBefore(blocks, hasContent(tail) ? tail : after);
  if (!hasContent(top)) holder.removeChild(top);
}

/** The preview's headings (mammoth turns Heading 1–6 into h1–h6), in document order. */
function previewHeadings(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>("h1, h2, h3, h4, h5, h6"));
}

/**
 * The preview's paragraphs as heading-match.ts wants them: every heading (h1–h6, with its level),
 * and a body-text mark between two headings when content stands between them (mammoth leaves
 * empty paragraphs out; an empty element left in the preview doesn't count either); `elements`
 * holds the heading element of each entry.
 */
function previewParagraphs(root: HTMLElement): { infos: ParagraphInfo[]; elements: Array<HTMLElement | undefined> } {
  const infos: ParagraphInfo[] = [];
  const elements: Array<HTMLElement | undefined> = [];
  let previous: HTMLElement | undefined;
  for (const heading of previewHeadings(root)) {
    if (previous && somethingBetween(previous, heading)) {
      infos.push({ level: null, text: undefined });
      elements.push(undefined);
    }
    // blockText: a <br> inside a heading counts as white space.
    infos.push({ level: Number(heading.tagName.slice(1)), text: blockText(heading) });
    elements.push(heading);
    previous = heading;
  }
  return { infos, elements };
}

/** The first node after `node` and everything inside it, in document order. */
function nodeAfter(node: Node): Node | null {
  let current: Node | null = node;
  while (current && !current.nextSibling) current = current.parentNode;
  return current ? current.nextSibling : null;
}

/** True when content (text, a picture, a table) stands between the end of `previous` and the start of `next`. */
function somethingBetween(previous: Element, next: Element): boolean {
  let node = nodeAfter(previous);
  while (node && node !== next) {
    if (node.contains(next)) {
      node = node.firstChild; // `next` is further in: look at what comes before it in here
      continue;
    }
    if (hasContent(node)) return true;
    node = nodeAfter(node);
  }
  return false;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.startContainer === b.startContainer &&
    a.startOffset === b.startOffset &&
    a.endContainer === b.endContainer &&
    a.endOffset === b.endOffset
  );
}

function safeStorage(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null; // e.g. SecurityError in a sandboxed frame
  }
}

function prefersDark(): boolean {
  try {
    const match = (globalThis as { matchMedia?: (q: string) => MediaQueryList }).matchMedia;
    return typeof match === "function" ? match("(prefers-color-scheme: dark)").matches === true : false;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------

interface OpenDocument extends PickedDocument {
  /** SHA-256 of the bytes: the document's identity for settings. */
  key: string;
}

export class BrowserHost implements DocumentHost {
  readonly info: HostInfo;

  private readonly doc: Document;
  private readonly storage: Storage | null;
  private readonly idbFactory: IDBFactory | null | undefined;
  private readonly memorySettings = new Map<string, string>();
  /** Custom document properties per document key (SHA-256), read once per document. */
  private readonly customProperties = new Map<string, Map<string, string>>();
  private readonly snapshotListeners = new Set<() => void>();
  private readonly selectionListeners = new Set<(change: SelectionChange) => void>();

  private snapshot: BrowserHostSnapshot = EMPTY;
  private current: OpenDocument | undefined;
  /** The preview's HTML, including inserted paragraphs. */
  private html = "";
  private previewElement: HTMLElement | null = null;
  /** The last selection inside the preview, kept so clicking a pane button doesn't lose it. */
  private lastRange: Range | null = null;
  private listeningToSelection = false;
  /** Until when the page's next selectionchange is Sidecar's own move (see PROGRAMMATIC_SELECTION_MS). */
  private programmaticUntil = 0;
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
    this.storage = options.storage === undefined ? safeStorage() : options.storage;
    this.idbFactory = options.indexedDB;
    this.info = {
      kind: "browser",
      platform: "Browser",
      supported: true,
      displayLanguage: (typeof navigator !== "undefined" && navigator.language) || "en-US",
      darkTheme: prefersDark(),
    };
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
    const factory = this.indexedDB();
    if (!factory) return false;
    const generation = this.generation;
    this.setSnapshot({ status: "loading" });
    let stored: StoredDocument | undefined;
    try {
      stored = await inStore<StoredDocument | undefined>(factory, "readonly", (store) => store.get(CURRENT_KEY));
    } catch {
      stored = undefined;
    }
    if (generation !== this.generation) return false; // a pick or close happened meanwhile: it wins
    const bytes = ownBytes(stored?.bytes);
    if (!stored || typeof stored.name !== "string" || !bytes) {
      this.setSnapshot(EMPTY);
      return false;
    }
    const loadGeneration = ++this.generation;
    try {
      await this.load({ name: stored.name, bytes }, false, loadGeneration);
      return this.generation === loadGeneration;
    } catch {
      if (this.generation === loadGeneration) this.setSnapshot(EMPTY);
      void this.forgetStored();
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
    await this.forgetStored();
  }

  private async load(input: File | PickedDocument, persist: boolean, generation: number): Promise<void> {
    const name = (input.name ?? "").trim() || "Untitled document.docx";
    this.setSnapshot({ status: "loading", name });
    try {
      const bytes = isPicked(input) ? ownBytes(input.bytes) : await readBlob(input);
      if (!bytes || !looksLikeZip(bytes)) {
        throw new OfficeError(
          "unsupported",
          `“${name}” is not a Word document. Choose a .docx file (an older .doc file must first be saved as .docx in Word).`,
        );
      }
      if (await this.showHead(bytes, name, generation)) {
        await this.showRest(bytes, name, generation);
      } else {
        const html = await renderPreviewHtml(bytes, name);
        const key = await sha256Hex(bytes);
        if (generation !== this.generation) return; // a later pick (or close) took over
        this.complete = Promise.resolve();
        this.showOpened({ name, bytes, key }, html, false);
      }
      if (persist && generation === this.generation) await this.store({ name, bytes, savedAt: Date.now() });
    } catch (error) {
      const failure =
        error instanceof OfficeError
          ? error
          : new OfficeError("read_failed", `Sidecar couldn't open “${name}”. Choose the file again.`, { cause: error });
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
          const failure = new OfficeError("read_failed", `Sidecar showed the first pages of “${name}” but couldn't read the rest of it: ${(error as Error).message}`, { cause: error });
          this.setSnapshot({ status: "ready", name, key: this.current.key, error: failure });
        }
        return;
      }
      if (generation !== this.generation || !this.current) return;
      // The person may have selected something in the first pages: it is selected again in the
      // whole document (the same characters from the start), so an insert goes where they meant.
      const root = this.previewElement;
      const selected = root ? this.usableRange(root) : null;
      const marks = root && selected ? [textOffset(root, selected.startContainer, selected.startOffset), textOffset(root, selected.endContainer, selected.endOffset)] : null;
      this.html = html;
      this.renderPreview(true);
      if (root && marks) {
        const [start, end] = marks.map((mark) => pointAt(root, mark));
        if (start && end) {
          const range = this.doc.createRange();
          range.setStart(start.node, start.offset);
          range.setEnd(end.node, end.offset);
          this.moveSelection(root, range);
        }
      }
      this.setSnapshot({ status: "ready", name, key: this.current.key });
    } finally {
      done();
    }
  }

  private indexedDB(): IDBFactory | null {
    if (this.idbFactory !== undefined) return this.idbFactory;
    try {
      return (globalThis as { indexedDB?: IDBFactory }).indexedDB ?? null;
    } catch {
      return null;
    }
  }

  private async store(record: StoredDocument): Promise<void> {
    const factory = this.indexedDB();
    if (!factory) return;
    try {
      await inStore(factory, "readwrite", (store) => store.put(record, CURRENT_KEY));
    } catch {
      // Not kept across reloads; everything else still works.
    }
  }

  private async forgetStored(): Promise<void> {
    const factory = this.indexedDB();
    if (!factory) return;
    try {
      await inStore(factory, "readwrite", (store) => store.delete(CURRENT_KEY));
    } catch {
      // Nothing to do.
    }
  }

  // ----- preview -------------------------------------------------------------------------------

  /** The layout hands over the element that shows the document (null when it unmounts). */
  attachPreview(element: HTMLElement | null): void {
    if (element === this.previewElement) return;
    this.previewElement = element;
    this.clearSelection();
    if (element) {
      this.renderPreview();
      this.listenToSelection(true);
    } else {
      this.listenToSelection(false);
    }
  }

  /** Stops listening to the page (the host is not used afterwards). */
  dispose(): void {
    this.listenToSelection(false);
    this.previewElement = null;
    this.snapshotListeners.clear();
    this.selectionListeners.clear();
  }

  /** Puts the preview HTML on screen; `keepScroll` when it continues what is there (a long document's rest). */
  private renderPreview(keepScroll = false): void {
    this.clearSelection();
    const element = this.previewElement;
    if (!element) return;
    const scrollTop = element.scrollTop;
    // Sanitized in renderPreviewHtml; inserted text only ever enters as text nodes, inserted HTML
    // (insertDocument, insertFormatted) only sanitized (html-sanitize.ts).
    element.innerHTML = this.current ? this.html : "";
    if (keepScroll) element.scrollTop = scrollTop;
  }

  // ----- selection -----------------------------------------------------------------------------

  private listenToSelection(on: boolean): void {
    if (on === this.listeningToSelection) return;
    this.listeningToSelection = on;
    if (on) this.doc.addEventListener("selectionchange", this.handleSelectionChange);
    else this.doc.removeEventListener("selectionchange", this.handleSelectionChange);
  }

  private readonly handleSelectionChange = (): void => {
    const element = this.previewElement;
    const selection = this.doc.getSelection();
    if (!element || !selection || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    // Selections elsewhere (the pane's own inputs and buttons) leave the last preview selection alone.
    if (!element.contains(range.startContainer) || !element.contains(range.endContainer)) return;
    const programmatic = Date.now() < this.programmaticUntil;
    this.programmaticUntil = 0;
    // Sidecar's own moves were announced when they were made; the page reports them (again) here.
    if (this.lastRange && sameRange(this.lastRange, range)) return;
    this.lastRange = range.cloneRange();
    this.emitSelectionChanged(programmatic);
  };

  private clearSelection(): void {
    if (!this.lastRange) return;
    this.lastRange = null;
    this.emitSelectionChanged(false);
  }

  private emitSelectionChanged(programmatic: boolean): void {
    const change: SelectionChange = { programmatic };
    for (const listener of [...this.selectionListeners]) listener(change);
  }

  /** Makes `range` the selection (in the page, and what the host remembers), as Sidecar's own move. */
  private moveSelection(root: HTMLElement, range: Range): void {
    this.lastRange = range.cloneRange();
    if (root.isConnected) {
      this.programmaticUntil = Date.now() + PROGRAMMATIC_SELECTION_MS;
      const selection = this.doc.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    this.emitSelectionChanged(true);
  }

  /** The last selection, if it is still inside `root`. */
  private usableRange(root: HTMLElement): Range | null {
    const range = this.lastRange;
    if (!range || !root.isConnected) return null;
    return root.contains(range.startContainer) && root.contains(range.endContainer) ? range : null;
  }

  /**
   * `listener` hears about selections the person makes in the preview (mouse or keyboard, through
   * the page's `selectionchange`), including a selection collapsed to the caret (then the selected
   * text is ""), and about Sidecar's own moves (goToHeading, the caret after an insert: marked
   * `programmatic: true`). Selections outside the preview (the pane's inputs) are not reported.
   */
  onSelectionChanged(listener: (change: SelectionChange) => void): () => void {
    const wrapped = (change: SelectionChange) => listener(change);
    this.selectionListeners.add(wrapped);
    return () => {
      this.selectionListeners.delete(wrapped);
    };
  }

  async getSelectedText(): Promise<string> {
    const root = this.previewElement;
    const range = root ? this.usableRange(root) : null;
    if (!range || range.collapsed) return "";
    return blockText(range.cloneContents());
  }

  /** The selected text and the preview's nearest heading (h1–h6) at or before the start of the selection. */
  async getSelectionContext(): Promise<SelectionContext> {
    const text = await this.getSelectedText();
    const root = this.previewElement;
    const range = root ? this.usableRange(root) : null;
    if (!root || !range) return { text };
    const start = range.cloneRange();
    start.collapse(true);
    const { infos, elements } = previewParagraphs(root);
    const { candidates, indexes } = headingCandidates(infos);
    let anchor = -1;
    indexes.forEach((index, at) => {
      const heading = elements[index];
      if (heading && start.comparePoint(heading, 0) <= 0) anchor = at;
    });
    const nearest = nearestHeading(candidates, anchor);
    return nearest ? { text, headingTitle: nearest.title, headingOccurrence: nearest.occurrence } : { text };
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
    const { infos, elements } = previewParagraphs(root);
    const { candidates, indexes } = headingCandidates(infos);
    const match = findHeading(candidates, title, occurrence);
    const first = match ? elements[indexes[match.first]!] : undefined;
    const last = match ? elements[indexes[match.last]!] : undefined;
    if (!first || !last) return false;
    const range = this.doc.createRange();
    range.setStart(first, 0);
    range.setEnd(last, last.childNodes.length);
    this.moveSelection(root, range);
    scrollWithin(root, first);
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
    const passage = squeeze(text.replace(INVISIBLE_CHARS, ""));
    if (!root || !passage) return false;
    const map = textMap(root);
    let from = map.text.indexOf(passage);
    let to = from + passage.length;
    if (from < 0) {
      // Edited inside since it was uploaded: its first and last words, close enough together.
      const head = wordsWithin(passage, ANCHOR_CHARS, "start");
      const tail = wordsWithin(passage, ANCHOR_CHARS, "end");
      from = map.text.indexOf(head);
      if (from < 0) return false;
      const last = map.text.indexOf(tail, from + head.length - Math.min(head.length, tail.length));
      to = last >= 0 && last + tail.length - from <= passage.length * 1.5 + ANCHOR_CHARS ? last + tail.length : from + head.length;
    }
    const start = map.at[from]!;
    const end = map.at[to - 1]!;
    const range = this.doc.createRange();
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset + 1);
    this.moveSelection(root, range);
    const element = start.node.parentElement;
    if (element) scrollWithin(root, element);
    return true;
  }

  // ----- insert --------------------------------------------------------------------------------

  async insertText(text: string, mode: InsertMode, options: InsertOptions = {}): Promise<void> {
    if (!this.current) throw noDocument();
    if (options.suggest) throw noSuggestions();
    await this.complete;
    if (text === "" && mode === "cursor") return;
    const doc = this.doc;
    const lines = text === "" ? [] : text.replace(/\r\n?/g, "\n").split("\n");
    const paragraphs = lines.map((line) => {
      const paragraph = doc.createElement("p");
      paragraph.setAttribute("data-sidecar-inserted", "true");
      if (line) paragraph.textContent = line;
      else paragraph.appendChild(doc.createElement("br"));
      return paragraph;
    });
    this.placeBlocks(paragraphs, mode);
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
    const bytes = ownBytes(docx);
    if (!bytes || !looksLikeZip(bytes)) {
      throw new OfficeError(
        "write_failed",
        "The document to insert is empty or isn't a Word document. Generate it again.",
      );
    }
    let html: string;
    try {
      html = await renderPreviewHtml(bytes, "the document to insert");
    } catch (error) {
      throw new OfficeError(
        "write_failed",
        "Sidecar couldn't read the document to insert: it may be damaged. Generate it again.",
        { cause: error },
      );
    }
    if (this.current !== current) {
      throw new OfficeError(
        "write_failed",
        "Another document was opened while Sidecar was inserting. Insert again into the document that is open now.",
      );
    }
    this.placeBlocks(this.blocksFromHtml(html), mode);
  }

  /**
   * Inserts an answer's HTML into the preview, sanitized like it is for Word (html-sanitize.ts):
   * its blocks (headings, paragraphs, lists, tables, ...) placed like insertText places paragraphs,
   * each marked `data-sidecar-inserted`; the block they land in is split, so no paragraph ends up
   * inside a paragraph. `plainText` goes in instead when nothing is left of the HTML.
   */
  async insertFormatted(html: string, mode: InsertMode, plainText: string, options: InsertOptions = {}): Promise<void> {
    if (!this.current) throw noDocument();
    if (options.suggest) throw noSuggestions();
    await this.complete;
    let clean = "";
    try {
      const { sanitizeFormattedHtml } = await loadSanitizer();
      clean = sanitizeFormattedHtml(html);
    } catch {
      clean = "";
    }
    const blocks = clean ? this.blocksFromHtml(clean) : [];
    if (blocks.length === 0) return this.insertText(plainText, mode);
    this.placeBlocks(blocks, mode);
  }

  /** Sanitized HTML as top-level blocks: elements as they are, loose inline content wrapped in <p>. */
  private blocksFromHtml(html: string): HTMLElement[] {
    const doc = this.doc;
    const template = doc.createElement("template");
    template.innerHTML = html; // already sanitized (html-sanitize.ts); template content is inert
    const blocks: HTMLElement[] = [];
    let loose: HTMLElement | null = null;
    for (const node of Array.from(template.content.childNodes)) {
      const element = node.nodeType === Node.ELEMENT_NODE ? (node as HTMLElement) : null;
      if (element && BLOCK_TAGS.has(element.tagName)) {
        loose = null;
        blocks.push(element);
        continue;
      }
      if (!element && (node.nodeType !== Node.TEXT_NODE || (node.nodeValue ?? "").trim() === "")) continue;
      if (!loose) {
        loose = doc.createElement("p");
        blocks.push(loose);
      }
      loose.appendChild(node);
    }
    for (const block of blocks) block.setAttribute("data-sidecar-inserted", "true");
    return blocks;
  }

  /**
   * Puts `blocks` into the preview: after the last selection ("cursor"), in place of it
   * ("replace"), or at the end ("end", and whenever there is no selection in the preview). The
   * block holding the point is split, so paragraphs never nest. The caret ends after the insert.
   */
  private placeBlocks(blocks: HTMLElement[], mode: DocumentInsertMode): void {
    const doc = this.doc;
    let root = this.previewElement;
    if (!root) {
      // No preview on screen: edit the preview HTML off-screen.
      root = doc.createElement("div");
      root.innerHTML = this.html;
    }
    const fragment = doc.createDocumentFragment();
    fragment.append(...blocks);

    const range = mode === "end" ? null : (this.usableRange(root)?.cloneRange() ?? null);
    const caret = doc.createRange();
    if (range) {
      if (mode === "replace") range.deleteContents();
      else range.collapse(false);
      caret.setStart(range.startContainer, range.startOffset);
      if (blocks.length > 0) insertBlocksAt(root, range.startContainer, range.startOffset, fragment);
    } else {
      root.append(fragment);
      caret.selectNodeContents(root);
      caret.collapse(false);
    }
    const last = blocks[blocks.length - 1];
    if (last) caret.setStart(last, last.childNodes.length);
    caret.collapse(true);

    this.html = root.innerHTML;
    // The caret sits after the inserted content, in the page and in what the host remembers.
    if (root === this.previewElement) this.moveSelection(root, caret);
  }

  // ----- document ------------------------------------------------------------------------------

  async readDocument(options: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {}): Promise<Blob> {
    if (options.signal?.aborted) throw new OfficeError("aborted", "Reading the document was stopped.");
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
    const bytes = ownBytes(docx);
    if (!bytes || !looksLikeZip(bytes)) {
      throw new OfficeError(
        "write_failed",
        "The generated document is empty or isn't a Word document, so it can't be shown. Generate it again.",
      );
    }
    await this.openFile({ name: docxFileName(name), bytes });
    return "opened-in-preview";
  }

  /** A custom property from the open document's docProps/custom.xml (read once per document). */
  async getCustomProperty(name: string): Promise<string | undefined> {
    const current = this.current;
    if (!current) throw noDocument();
    let properties = this.customProperties.get(current.key);
    if (!properties) {
      properties = await readCustomProperties(current.bytes);
      this.customProperties.set(current.key, properties);
      if (this.customProperties.size > CUSTOM_PROPERTIES_CACHE_SIZE) {
        const oldest = this.customProperties.keys().next().value;
        if (oldest !== undefined) this.customProperties.delete(oldest);
      }
    }
    return properties.get(name.toLowerCase());
  }

  // ----- settings (localStorage, per document hash) --------------------------------------------

  private settingsKey(): string {
    if (!this.current) throw noDocument();
    return SETTINGS_PREFIX + this.current.key;
  }

  private readSettings(key: string): Record<string, unknown> {
    let raw: string | null | undefined;
    try {
      raw = this.storage?.getItem(key);
    } catch {
      raw = undefined;
    }
    raw ??= this.memorySettings.get(key);
    if (!raw) return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    const settings = this.readSettings(this.settingsKey());
    return Object.prototype.hasOwnProperty.call(settings, key) ? (settings[key] as T) : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    const storageKey = this.settingsKey();
    const settings = this.readSettings(storageKey);
    if (value === undefined) delete settings[key];
    else settings[key] = value;
    let json: string;
    try {
      json = JSON.stringify(settings);
    } catch (error) {
      throw new OfficeError("write_failed", "Sidecar couldn't store this information with the document.", {
        cause: error,
      });
    }
    this.memorySettings.set(storageKey, json);
    try {
      this.storage?.setItem(storageKey, json);
    } catch {
      // Storage full or blocked: the setting lasts until the tab closes.
    }
  }
}

/**
 * Scrolls `container` so `element` is at its top. Unlike scrollIntoView, nothing else moves: not
 * the page, not the pane beside the preview.
 */
function scrollWithin(container: HTMLElement, element: HTMLElement): void {
  const top = element.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
  if (typeof container.scrollTo === "function") container.scrollTo({ top });
  else container.scrollTop = top;
}

/** Characters the server leaves out of passages (src/server/docx/headings.ts cleanText). */
const INVISIBLE_CHARS = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
/** How much of its start and end marks out a passage that has changed inside. */
const ANCHOR_CHARS = 60;

/**
 * The preview's text as passages are stored (white space and block boundaries as one space,
 * invisible characters left out), with each character's place in the DOM.
 */
/** How many characters of `root`'s text come before a point in it. */
function textOffset(root: HTMLElement, node: Node, offset: number): number {
  const range = root.ownerDocument.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The point `offset` characters into `root`'s text (textOffset's inverse), if it has that many. */
function pointAt(root: HTMLElement, offset: number): { node: Text; offset: number } | null {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let passed = 0;
  let last: Text | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (offset <= passed + node.data.length) return { node, offset: offset - passed };
    passed += node.data.length;
    last = node;
  }
  return last && offset === passed ? { node: last, offset: last.data.length } : null;
}

function textMap(root: HTMLElement): { text: string; at: Array<{ node: Text; offset: number }> } {
  let text = "";
  const at: Array<{ node: Text; offset: number }> = [];
  let space = false;
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const value = (node as Text).data;
      for (let offset = 0; offset < value.length; offset++) {
        const char = value[offset]!;
        INVISIBLE_CHARS.lastIndex = 0;
        if (INVISIBLE_CHARS.test(char)) continue;
        if (/\s/.test(char)) {
          space = true;
          continue;
        }
        if (space && text !== "") {
          text += " ";
          at.push({ node: node as Text, offset });
        }
        space = false;
        text += char;
        at.push({ node: node as Text, offset });
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = (node as Element).tagName;
    const block = tag === "BR" || tag === "TD" || tag === "TH" || BLOCK_TAGS.has(tag);
    if (block) space = true;
    node.childNodes.forEach(visit);
    if (block) space = true;
  };
  visit(root);
  return { text, at };
}

/** The first (or last) words of `text`, at most about `max` characters. */
function wordsWithin(text: string, max: number, side: "start" | "end"): string {
  if (text.length <= max) return text;
  if (side === "start") {
    const cut = text.slice(0, max);
    const space = cut.lastIndexOf(" ");
    return space > max / 2 ? cut.slice(0, space) : cut;
  }
  const cut = text.slice(-max);
  const space = cut.indexOf(" ");
  return space >= 0 && space < max / 2 ? cut.slice(space + 1) : cut;
}
