// The one interface the rest of the pane uses to reach "the open document".
// Two implementations: Word (Office.js, word-host.ts) and the plain browser tab
// (browser-host.ts), where a .docx the person picks stands for the open document.
// Nothing outside src/taskpane/office/ touches the Office or Word globals.

import { t } from "../i18n";
import { english } from "../i18n/catalogs";

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
  /**
   * How this host can carry an inserted answer's citations: as footnotes (Word, WordApi 1.5)
   * and/or as comments (WordApi 1.4). Absent or empty: neither (the browser tab, an older Word),
   * and the citations stay "[n]" with a list of sources after the answer.
   */
  citationNotes?: CitationNoteKind[];
}

export type CitationNoteKind = "footnotes" | "comments";

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

export type InsertMode = "cursor" | "replace";

/**
 * Where insertDocument puts a document: "cursor" just after the selection (at the cursor when
 * nothing is selected; the selection stays), "replace" in place of the selection, "end" at the end
 * of the document.
 */
export type DocumentInsertMode = InsertMode | "end";

/** How an insert goes into the document. */
export interface InsertOptions {
  /**
   * As a suggestion: a tracked change the writer accepts or rejects (Word's Review tab). Word turns
   * Track Changes on for the insert and back to the writer's own setting afterwards, whatever
   * happens (WordApi 1.4); a Word without it, and the browser tab's preview, refuse with
   * `unsupported` and insert nothing.
   */
  suggest?: boolean;
  /**
   * Turn the "[n]" citations in what is inserted into footnotes (the mark gives way to Word's
   * footnote number) or comments on the mark, saying `list[n]`; only as HostInfo.citationNotes
   * allows (else `unsupported`, nothing inserted).
   */
  notes?: { as: CitationNoteKind; list: readonly SectionNote[] };
}

/**
 * How openGeneratedDocument showed the document:
 * - "opened-new-window": Word opened it as a new document, in a new window (Word on the web: a
 *   new browser tab, saved to the person's default OneDrive folder). This pane stays with the
 *   document that was open before;
 * - "opened-in-preview": the browser tab's preview now shows it as the open document.
 */
export type OpenGeneratedResult = "opened-new-window" | "opened-in-preview";

export type OfficeErrorKind =
  | "unsupported" // the host or its version cannot do this
  | "no_document" // nothing is open (browser tab: no .docx picked yet)
  | "read_failed"
  | "write_failed"
  | "aborted"
  | "already_written"; // writeSection: the section is in the document already (ask, then replace)

/** What a selection-changed listener is told. */
export interface SelectionChange {
  /**
   * True when Sidecar itself moved the selection (goToHeading, or the cursor after an insert)
   * rather than the person. Word reports those moves like any other, so a pane that reacts to
   * selections (e.g. looks up the section under them) should skip these to avoid bouncing back.
   */
  programmatic: boolean;
}

/** The selection and the nearest heading above it (see DocumentHost.getSelectionContext). */
export interface SelectionContext {
  /** The selected text, as getSelectedText gives it ("" when nothing is selected). */
  text: string;
  /**
   * Title of the nearest heading at or before the start of the selection, as the server outlines
   * the document (heading-match.ts headingBlocks: any heading level; a heading broken over
   * consecutive same-level heading paragraphs is one title, its parts joined by a space), white
   * space collapsed. Undefined when no heading is above the selection, or, in Word, when the
   * selection isn't in the body (header, footer, footnote, text box).
   */
  headingTitle?: string;
  /**
   * Which of the headings with that (normalised) title it is, 1-based, in document order: the
   * `occurrence` that makes goToHeading(headingTitle, occurrence) go back to this same heading.
   */
  headingOccurrence?: number;
}

/** The selected text, and the section Sidecar wrote in place around it (see DocumentHost.getSelectedTextAndSection). */
export interface SelectedTextAndSection {
  /** As getSelectedText gives it. */
  text: string;
  /**
   * The section Sidecar wrote in place that holds the start of the selection (the content control
   * around it, see writeSection), whatever the heading above it says now.
   */
  writtenSection?: WrittenSectionRef;
}

/**
 * A section Sidecar wrote into the open document: the generated document it comes from (its
 * sources are recorded under that id), the template section's id and its title. Word keeps it in
 * the tag of the content control around the section's text (contentControlTag).
 */
export interface WrittenSectionRef {
  documentId: string;
  sectionId: string;
  title: string;
}

/** A citation of a written section: "[number]" in its text, and what its footnote says. */
export interface SectionNote {
  number: number;
  text: string;
}

/**
 * The content of a section to write in place: HTML (sanitized again by the host), the same as
 * plain text, and the notes its "[n]" citations stand for.
 */
export interface SectionContent {
  html: string;
  plainText: string;
  notes?: readonly SectionNote[];
}

/**
 * Where writeSection put a section: under the heading with its title, at the cursor (heading
 * included) when the document has no such heading, or in place of the section written before.
 */
export type WrittenPlace = "under-heading" | "at-cursor" | "replaced";

export interface WriteSectionOptions extends InsertOptions {
  /** Replace the section when it was written before (else writeSection fails with `already_written`). */
  replace?: boolean;
}

const TAG_PREFIX = "sidecar:section:";

/** The tag of the content control around a written section (Word's tag, the preview's data attribute). */
export function contentControlTag(section: Pick<WrittenSectionRef, "documentId" | "sectionId">): string {
  return `${TAG_PREFIX}${encodeURIComponent(section.documentId)}:${encodeURIComponent(section.sectionId)}`;
}

/** The content control title Word shows on a written section ("Sidecar: Results"), in the pane's language. */
export function contentControlTitle(title: string): string {
  return t("office.contentControlTitle", { title });
}

/**
 * The section title inside a content control title: what contentControlTitle added is taken off,
 * as the pane's language writes it or as English does (a document written by a pane in English,
 * opened under another language); a title in neither form is taken whole.
 */
function titleInControlTitle(controlTitle: string): string {
  const marker = "\u0000";
  const forms = [t("office.contentControlTitle", { title: marker }), english["office.contentControlTitle"].replace("{title}", marker)];
  for (const form of forms) {
    const [before = "", after = ""] = form.split(marker);
    if ((before || after) && controlTitle.startsWith(before) && controlTitle.endsWith(after) && controlTitle.length >= before.length + after.length) {
      return controlTitle.slice(before.length, controlTitle.length - after.length);
    }
  }
  return controlTitle;
}

/** A written section from its content control's tag and title; undefined for any other control. */
export function writtenSectionFrom(tag: string | null | undefined, title: string | null | undefined): WrittenSectionRef | undefined {
  if (!tag?.startsWith(TAG_PREFIX)) return undefined;
  const parts = tag.slice(TAG_PREFIX.length).split(":");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  try {
    const shown = titleInControlTitle(title ?? "");
    return { documentId: decodeURIComponent(parts[0]), sectionId: decodeURIComponent(parts[1]), title: shown };
  } catch {
    return undefined;
  }
}

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

  /** File name of the open document, with .docx ("Untitled document.docx", in the pane's language, when it has none). */
  getDocumentName(): Promise<string>;

  /**
   * The open document as a .docx Blob (ready to upload). Word: getFileAsync(Compressed) in 4 MB
   * slices, each handed to the Blob as it arrives, so the pane never holds the document twice.
   */
  readDocument(options?: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal }): Promise<Blob>;

  /** The selected text ("" when nothing is selected). */
  getSelectedText(): Promise<string>;

  /**
   * Calls `listener` when the selection changes, by the person or by Sidecar itself (then
   * `change.programmatic` is true); returns an unsubscribe function.
   */
  onSelectionChanged(listener: (change: SelectionChange) => void): () => void;

  /**
   * The selected text and the nearest heading at or before the selection's start. Word: two round
   * trips (the styles of the paragraphs up to the selection, then the text of the headings among
   * them). Never fails just because no heading can be found.
   */
  getSelectionContext(): Promise<SelectionContext>;

  /**
   * The selected text and the written section around it: what the Sources panel asks on every
   * selection change. Word: one round trip (the selection's text and its innermost content
   * control, WordApi 1.3; without 1.3, the text alone).
   */
  getSelectedTextAndSection(): Promise<SelectedTextAndSection>;

  /**
   * Moves the selection to a section's heading (selecting the heading's text) and brings it into
   * view. `title` is the section title as the server gives it: it is compared with the document's
   * headings (Heading 1–9) after normalising both (heading-match.ts: whitespace, quotes, dashes,
   * case), and may be a heading broken over consecutive heading paragraphs, joined by a space.
   * `occurrence` (1-based, default 1) picks among headings with the same title, in document order.
   * Resolves false, without throwing, when the document has no such heading. Listeners of
   * onSelectionChanged hear about the move with `programmatic: true`.
   */
  goToHeading(title: string, occurrence?: number): Promise<boolean>;

  /**
   * Selects a passage of the document by its text (a cited passage: one or more paragraphs, as
   * the server extracted them, white space collapsed) and brings it into view. Resolves false,
   * without throwing, when the document has no such text (it has been edited since). Listeners
   * of onSelectionChanged hear about the move with `programmatic: true`.
   */
  selectPassage(text: string): Promise<boolean>;

  /**
   * Inserts plain text at the cursor, or in place of the selection; with `suggest`, as a tracked
   * change (see InsertOptions).
   */
  insertText(text: string, mode: InsertMode, options?: InsertOptions): Promise<void>;

  /**
   * Inserts rich content (an answer the pane rendered from markdown to HTML) just after the
   * selection, keeping it ("cursor"), or in place of it ("replace"), so that headings, lists,
   * bold/italic, links, code and tables become document formatting where the host can. The HTML
   * is sanitized again here (html-sanitize.ts: a small allow-list of tags, no style/class/on*
   * attributes, http(s)/mailto links only). The cursor ends after the inserted content; listeners
   * of onSelectionChanged hear that move with `programmatic: true`.
   *
   * `plainText` is the same content as plain text: inserted instead (and the call still succeeds)
   * when the host can't insert HTML (a Word without insertHtml, or one that refuses this HTML), or
   * when nothing is left of the HTML after sanitizing. Word: Range.insertHtml (WordApi 1.1).
   */
  insertFormatted(html: string, mode: InsertMode, plainText: string, options?: InsertOptions): Promise<void>;

  /**
   * Writes a generated section into the open document: under the heading with `section.title`
   * (heading-match.ts rules, the first such heading), or at the cursor with that heading first
   * when the document has none, wrapped in a content control tagged with the section
   * (contentControlTag; WordApi 1.1) so that the Sources panel finds it after the heading is
   * edited. A section written before (a control with the same section id, from any generation) is
   * left alone and the call fails with `already_written`, unless `replace` is set. `suggest` as
   * for insertFormatted. The HTML is sanitized again here, as for insertFormatted.
   */
  writeSection(section: WrittenSectionRef, content: SectionContent, options?: WriteSectionOptions): Promise<WrittenPlace>;

  /** The sections Sidecar wrote into the open document, in document order (none: []). */
  getWrittenSections(): Promise<WrittenSectionRef[]>;

  /** Settings stored in the document itself (Office document settings). */
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;

  /**
   * Shows a generated .docx to the person as a document of its own. Word: a new document
   * (createDocument + open, WordApi 1.3); `name` is not used there, because Word names new
   * documents itself. Browser tab: it becomes the open document in the preview, named `name`.
   */
  openGeneratedDocument(docx: Uint8Array, name: string): Promise<OpenGeneratedResult>;

  /** Inserts a whole .docx (text, formatting, tables, pictures) into the open document. */
  insertDocument(docx: Uint8Array, mode: DocumentInsertMode): Promise<void>;

  /**
   * A custom document property of the open document (File > Properties > Custom), as text;
   * undefined when the document has none of that name (names match case-insensitively, as in
   * Word), or when this Word can't read custom properties. Sidecar marks the documents it
   * generates with `SidecarDocumentId`.
   */
  getCustomProperty(name: string): Promise<string | undefined>;
}

/** The custom document property that identifies a document Sidecar generated. */
export const SIDECAR_DOCUMENT_ID_PROPERTY = "SidecarDocumentId";
