// Test doubles for the Office global: a PLAIN object (office-addin-mock's OfficeMockObject turns
// enum strings into "Error, property was not loaded": enum values read back as that text).
import { OfficeError } from "../../../src/taskpane/office/document-host";

export type Callback<T> = (result: { status: string; value?: T; error?: unknown }) => void;

export interface FakeSliceSpec {
  /** The slice's data as the platform hands it over. */
  data: unknown;
  /** When set, getSliceAsync for this slice fails with this error instead. */
  error?: { code: number; name: string; message: string };
}

export interface FakeFile {
  file: { size: number; sliceCount: number; getSliceAsync: jest.Mock; closeAsync: jest.Mock };
  /** Slice callbacks held back (with `holdSlices`), to release one at a time. */
  releaseNext: () => void;
  pendingSlices: () => number;
}

/** An Office.File whose slices answer asynchronously (like Word), or only when released. */
export function fakeFile(size: number, slices: FakeSliceSpec[], options: { holdSlices?: boolean } = {}): FakeFile {
  const held: Array<() => void> = [];
  const getSliceAsync = jest.fn((index: number, callback: Callback<unknown>) => {
    const spec = slices[index];
    const answer = () =>
      spec && !spec.error
        ? callback({ status: "succeeded", value: { index, data: spec.data, size: 0 } })
        : callback({ status: "failed", error: spec?.error ?? { code: 5001, name: "Internal Error", message: "x" } });
    if (options.holdSlices) held.push(answer);
    else setTimeout(answer, 0);
  });
  const closeAsync = jest.fn((callback?: Callback<void>) => setTimeout(() => callback?.({ status: "succeeded" }), 0));
  return {
    file: { size, sliceCount: slices.length, getSliceAsync, closeAsync },
    releaseNext: () => held.shift()?.(),
    pendingSlices: () => held.length,
  };
}

export interface FakeOfficeOptions {
  url?: string;
  getFileAsync?: jest.Mock;
  onReady?: () => Promise<unknown>;
  isSetSupported?: (name: string, version: string) => boolean;
  displayLanguage?: string;
  bodyBackgroundColor?: string;
  saveAsyncError?: { code: number; name: string; message: string };
}

export function fakeOffice(options: FakeOfficeOptions = {}) {
  const stored = new Map<string, unknown>();
  const settings = {
    get: jest.fn((key: string) => (stored.has(key) ? stored.get(key) : null)),
    set: jest.fn((key: string, value: unknown) => void stored.set(key, value)),
    remove: jest.fn((key: string) => void stored.delete(key)),
    saveAsync: jest.fn((callback: Callback<void>) =>
      setTimeout(
        () =>
          callback(
            options.saveAsyncError ? { status: "failed", error: options.saveAsyncError } : { status: "succeeded" },
          ),
        0,
      ),
    ),
  };
  const document = {
    url: options.url ?? "",
    getFileAsync: options.getFileAsync ?? jest.fn(),
    addHandlerAsync: jest.fn((_type: string, _handler: unknown, callback?: Callback<void>) =>
      callback?.({ status: "succeeded" }),
    ),
    removeHandlerAsync: jest.fn((_type: string, _options: unknown, callback?: Callback<void>) =>
      callback?.({ status: "succeeded" }),
    ),
    settings,
  };
  return {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    FileType: { Compressed: "compressed", Pdf: "pdf", Text: "text" },
    EventType: { DocumentSelectionChanged: "documentSelectionChanged" },
    HostType: { Word: "Word", Excel: "Excel" },
    onReady: jest.fn(options.onReady ?? (() => Promise.resolve({ host: "Word", platform: "PC" }))),
    context: {
      document,
      displayLanguage: options.displayLanguage ?? "en-US",
      officeTheme: { bodyBackgroundColor: options.bodyBackgroundColor ?? "#FFFFFF" },
      requirements: {
        isSetSupported: jest.fn(options.isSetSupported ?? (() => true)),
      },
    },
  };
}

export type FakeOffice = ReturnType<typeof fakeOffice>;

/** The OfficeError `promise` rejects with (the test fails when it resolves, or rejects with anything else). */
export async function caught(promise: Promise<unknown>): Promise<OfficeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OfficeError);
    return error as OfficeError;
  }
  throw new Error("expected the promise to reject");
}

export function installOffice(office: FakeOffice | undefined): void {
  const g = globalThis as { Office?: unknown };
  if (office) g.Office = office;
  else delete g.Office;
}

/** getFileAsync answering (asynchronously) with `file`. */
export function gettingFile(file: FakeFile["file"]): jest.Mock {
  return jest.fn((_type: string, _options: unknown, callback: Callback<unknown>) =>
    setTimeout(() => callback({ status: "succeeded", value: file }), 0),
  );
}

// ---------------------------------------------------------------------------------------------
// A Word document's paragraphs for goToHeading / getSelectionContext. office-addin-mock can't
// model these (it treats an `items` array as one scalar, so per-paragraph loads don't work), so
// this fake keeps Office.js's rules itself: properties queued with load() are readable only after
// context.sync(), reading any other property throws PropertyNotLoaded, and select() takes effect
// at the next sync. search() finds text inside paragraphs (never across a paragraph mark, at most
// 255 characters, "^^" and "^w" as in Word); its ranges know the characters they cover.

export interface FakeParagraphSpec {
  text: string;
  /** Localised style name; defaults to "Normal" (or "Heading N" for styleBuiltIn "HeadingN"). */
  style?: string;
  /** The paragraph carries list numbering (WordApi 1.3 isListItem). */
  isListItem?: boolean;
  /** Built-in style (WordApi 1.3); defaults to "Normal" for style "Normal", else "Other". */
  styleBuiltIn?: string;
  /** Defaults to N for Heading N, else 10 (body text), as in Word's object model. */
  outlineLevel?: number;
}

export interface FakeWordDocumentOptions {
  /** Where the selection starts (a paragraph index) and its text; default: paragraph 0, "". */
  selection?: { paragraph: number; text: string };
  /** Loading this paragraph property makes the sync fail (a Word that lacks it). */
  missingProperty?: string;
  /** The selection is in a header, footer, footnote or text box: a range from the body to it fails. */
  selectionOutsideBody?: boolean;
  /** The content control around the selection (its tag and title); none by default. */
  selectionControl?: { tag: string; title: string };
}

export interface FakeSelect {
  /** Paragraph indexes the selected range starts and ends in. */
  first: number;
  last: number;
  /** "Content", "Whole", or "Start…End" for a range expanded from one paragraph to another. */
  location: string;
  mode: string | undefined;
}

type Queued = () => void;

export function fakeWordDocument(specs: FakeParagraphSpec[], options: FakeWordDocumentOptions = {}) {
  const queue: Queued[] = [];
  let failure: { code: string; message: string } | undefined;
  const record = {
    /** The property lists every paragraph collection was loaded with. */
    collectionLoads: [] as string[],
    /** Indexes of single paragraphs whose properties were loaded (e.g. heading texts). */
    paragraphLoads: [] as Array<{ index: number; properties: string }>,
    selects: [] as FakeSelect[],
    /** The text each select() covered, paragraphs joined by "\n" (for ranges from search()). */
    selectedTexts: [] as string[],
    /** Every search() call's text, as Word got it. */
    searches: [] as string[],
    syncs: 0,
    runs: 0,
  };

  const notLoaded = (name: string) =>
    Object.assign(new Error(`The property '${name}' is not available. Load it and call context.sync() first.`), {
      code: "PropertyNotLoaded",
    });

  /** Queues `properties` to be loaded into each of `targets` at the next sync. */
  function queueLoad(targets: Array<Set<string>>, properties: string) {
    const names = properties.split(",").map((name) => name.trim()).filter(Boolean);
    if (options.missingProperty && names.includes(options.missingProperty)) {
      failure = { code: "ApiNotFound", message: `The property '${options.missingProperty}' isn't supported.` };
    }
    queue.push(() => targets.forEach((target) => names.forEach((name) => target.add(name))));
  }

  function valueOf(spec: FakeParagraphSpec, name: string): unknown {
    const builtIn = spec.styleBuiltIn ?? (spec.style === undefined || spec.style === "Normal" ? "Normal" : "Other");
    const heading = /^Heading([1-9])$/.exec(builtIn);
    switch (name) {
      case "text":
        return spec.text;
      case "styleBuiltIn":
        return builtIn;
      case "style":
        return spec.style ?? (heading ? `Heading ${heading[1]}` : "Normal");
      case "outlineLevel":
        return spec.outlineLevel ?? (heading ? Number(heading[1]) : 10);
      case "isListItem":
        return spec.isListItem ?? false;
      default:
        return undefined;
    }
  }

  /** A point in the document: a paragraph and a character offset in its text. */
  type Point = { paragraph: number; offset: number };
  const before = (a: Point, b: Point) => a.paragraph < b.paragraph || (a.paragraph === b.paragraph && a.offset < b.offset);
  const lengthOf = (index: number) => specs[index]?.text.length ?? 0;

  function textBetween(start: Point, end: Point): string {
    const parts: string[] = [];
    for (let index = start.paragraph; index <= end.paragraph; index++) {
      const text = specs[index]?.text ?? "";
      parts.push(text.slice(index === start.paragraph ? start.offset : 0, index === end.paragraph ? end.offset : text.length));
    }
    return parts.join("\n");
  }

  /** Word's search text as a pattern: "^^" a caret, "^w" any white space, "^t" a tab, "^s" a non-breaking space. */
  function searchPattern(text: string, matchCase: boolean): RegExp {
    let source = "";
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char !== "^") {
        source += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        continue;
      }
      const code = text[++i];
      if (code === "^") source += "\\^";
      else if (code === "w") source += "[ \\t\\u00a0]+";
      else if (code === "t") source += "\\t";
      else if (code === "s") source += "\\u00a0";
      else throw new Error(`the fake knows no ^${code ?? ""}`);
    }
    return new RegExp(source, matchCase ? "g" : "gi");
  }

  function rangeCollection(make: () => Array<ReturnType<typeof range>>) {
    const loaded = new Set<string>();
    let items: Array<ReturnType<typeof range>> = [];
    return {
      get items() {
        if (!loaded.has("items")) throw notLoaded("items");
        return items;
      },
      load(properties: string) {
        queue.push(() => {
          items = make();
        });
        queueLoad([loaded], properties);
        return this;
      },
    };
  }

  /** Searches from `start` to `end` like Word: paragraph by paragraph, at most 255 characters. */
  function search(start: Point, end: Point, text: string, options: { matchCase?: boolean } = {}) {
    record.searches.push(text);
    if (text.length > 255) failure = { code: "SearchStringInvalidOrTooLong", message: "The search string is too long." };
    const pattern = searchPattern(text, options.matchCase ?? false);
    return rangeCollection(() => {
      const found: Array<ReturnType<typeof range>> = [];
      for (let index = start.paragraph; index <= end.paragraph; index++) {
        const from = index === start.paragraph ? start.offset : 0;
        const to = index === end.paragraph ? end.offset : lengthOf(index);
        const within = (specs[index]?.text ?? "").slice(0, to);
        pattern.lastIndex = from;
        for (let match = pattern.exec(within); match; match = pattern.exec(within)) {
          found.push(range(index, index, "Found", { paragraph: index, offset: match.index }, { paragraph: index, offset: match.index + match[0].length }));
          if (match[0].length === 0) pattern.lastIndex++;
        }
      }
      return found;
    });
  }

  function range(first: number, last: number, location: string, startAt?: Point, endAt?: Point) {
    // Paragraph ranges (no points given) cover their paragraphs' text; "Start"/"End" are points.
    const start: Point = startAt ?? { paragraph: first, offset: location === "End" ? lengthOf(first) : 0 };
    const end: Point = endAt ?? { paragraph: last, offset: location === "Start" ? 0 : lengthOf(last) };
    return {
      first,
      last,
      location,
      start,
      end,
      select(mode?: string) {
        queue.push(() => {
          record.selects.push({ first, last, location, mode });
          record.selectedTexts.push(textBetween(start, end));
        });
      },
      expandTo(other: { first: number; last: number; location: string; start?: Point; end?: Point }) {
        const otherStart = other.start ?? { paragraph: other.first, offset: 0 };
        const otherEnd = other.end ?? { paragraph: other.last, offset: lengthOf(other.last) };
        const from = before(otherStart, start) ? otherStart : start;
        const to = before(end, otherEnd) ? otherEnd : end;
        return range(Math.min(first, other.first), Math.max(last, other.last), `${location}…${other.location}`, from, to);
      },
      getRange(where = "Whole") {
        if (where === "Start") return range(start.paragraph, start.paragraph, `${location}:Start`, start, start);
        if (where === "End") return range(end.paragraph, end.paragraph, `${location}:End`, end, end);
        return range(first, last, location, start, end);
      },
      search(text: string, options?: { matchCase?: boolean }) {
        return search(start, end, text, options);
      },
      get paragraphs() {
        return collection(first, last);
      },
    };
  }

  function paragraph(index: number) {
    const spec = specs[index]!;
    const loaded = new Set<string>();
    const read = (name: string) => {
      if (!loaded.has(name)) throw notLoaded(name);
      return valueOf(spec, name);
    };
    return {
      loaded,
      get text() {
        return read("text") as string;
      },
      get style() {
        return read("style") as string;
      },
      get styleBuiltIn() {
        return read("styleBuiltIn") as string;
      },
      get outlineLevel() {
        return read("outlineLevel") as number;
      },
      get isListItem() {
        return read("isListItem") as boolean;
      },
      load(properties: string) {
        record.paragraphLoads.push({ index, properties });
        queueLoad([loaded], properties);
        return this;
      },
      getRange(location = "Whole") {
        return range(index, index, location);
      },
      select(mode?: string) {
        queue.push(() => record.selects.push({ first: index, last: index, location: "Whole", mode }));
      },
    };
  }

  type FakeParagraph = ReturnType<typeof paragraph>;

  function collection(first: number, last: number) {
    const items: FakeParagraph[] = [];
    for (let index = first; index <= last && index < specs.length; index++) items.push(paragraph(index));
    const loaded = new Set<string>();
    return {
      get items() {
        if (!loaded.has("items")) throw notLoaded("items");
        return items;
      },
      load(option: string | { select: string; top?: number }) {
        const properties = typeof option === "string" ? option : option.select;
        const top = typeof option === "string" ? undefined : option.top;
        record.collectionLoads.push(top === undefined ? properties : `${properties} (top ${top})`);
        // A collection load loads those properties of every item (of the first `top` items).
        if (top !== undefined) items.splice(top);
        queueLoad(
          items.map((item) => item.loaded),
          properties,
        );
        queueLoad([loaded], "items");
        return this;
      },
      getFirst() {
        return items[0] ?? paragraph(first);
      },
    };
  }

  const selectionAt = options.selection?.paragraph ?? 0;
  const selectionLoaded = new Set<string>();
  const selection = {
    get text() {
      if (!selectionLoaded.has("text")) throw notLoaded("text");
      return options.selection?.text ?? "";
    },
    load(properties: string) {
      queueLoad([selectionLoaded], properties);
      return this;
    },
    get paragraphs() {
      return collection(selectionAt, selectionAt);
    },
    getRange(location = "Whole") {
      return range(selectionAt, selectionAt, location);
    },
    /** WordApi 1.3: the innermost content control around the selection, or a null object. */
    get parentContentControlOrNullObject() {
      const control = options.selectionControl;
      const loaded = new Set<string>();
      const read = (name: string) => {
        if (!loaded.has(name)) throw notLoaded(name);
        return control?.[name as "tag" | "title"];
      };
      return {
        // A null object's isNullObject is known after the sync that loads it.
        get isNullObject() {
          if (loaded.size === 0) throw notLoaded("isNullObject");
          return control === undefined;
        },
        get tag() {
          return read("tag");
        },
        get title() {
          return read("title");
        },
        load(properties: string) {
          queueLoad([loaded], properties);
          return this;
        },
      };
    },
  };

  const context = {
    document: {
      getSelection: () => selection,
      body: {
        get paragraphs() {
          return collection(0, specs.length - 1);
        },
        search(text: string, options?: { matchCase?: boolean }) {
          const last = specs.length - 1;
          return search({ paragraph: 0, offset: 0 }, { paragraph: last, offset: lengthOf(last) }, text, options);
        },
        getRange(location = "Whole") {
          const end = specs.length - 1;
          const bodyRange = range(location === "End" ? end : 0, location === "Start" ? 0 : end, location);
          if (!options.selectionOutsideBody) return bodyRange;
          return {
            ...bodyRange,
            expandTo(other: { first: number; last: number; location: string }) {
              failure = { code: "InvalidArgument", message: "The ranges are in different stories." };
              return bodyRange.expandTo(other);
            },
          };
        },
      },
    },
    sync: jest.fn(async () => {
      record.syncs++;
      await Promise.resolve();
      const failed = failure;
      const work = queue.splice(0);
      failure = undefined;
      if (failed) throw Object.assign(new Error(failed.message), { code: failed.code, name: failed.code });
      work.forEach((run) => run());
    }),
  };

  const word = {
    run: jest.fn(async <T,>(batch: (context: unknown) => Promise<T>) => {
      record.runs++;
      return batch(context);
    }),
  };
  (globalThis as { Word?: unknown }).Word = word;
  return { word, context, record };
}

// ---------------------------------------------------------------------------------------------
// Word for insertText / insertFormatted: the selection's insertHtml and insertText, with Office.js's
// batching (inserts and selects take effect at context.sync(); a failure there drops the batch).

export interface FakeWordInsertOptions {
  /** Range has no insertHtml at all (calling it is a TypeError). */
  noInsertHtml?: boolean;
  /** The sync after insertHtml fails with this Word error code (e.g. "ApiNotFound", "AccessDenied"). */
  insertHtmlError?: string;
  /** The sync after insertText fails with this Word error code. */
  insertTextError?: string;
  /** The writer's Track Changes setting (document.changeTrackingMode, WordApi 1.4). */
  trackingMode?: string;
  /** Setting changeTrackingMode back fails at its sync with this Word error code. */
  restoreTrackingError?: string;
}

export interface FakeInsert {
  kind: "html" | "text";
  content: string;
  location: string;
  /** Track Changes when Word carried the insert out. */
  tracking?: string;
}

export function fakeWordInsert(options: FakeWordInsertOptions = {}) {
  const record = {
    /** Inserts Word carried out, in order. */
    inserts: [] as FakeInsert[],
    /** select() calls carried out: which insert's range, and where. */
    selects: [] as Array<{ kind: FakeInsert["kind"]; mode: string | undefined }>,
    syncs: 0,
    runs: 0,
    /** Track Changes as the document has it now, and every value it was set to, in order. */
    tracking: options.trackingMode ?? "Off",
    trackingSets: [] as string[],
    /** Footnotes and comments made on citation marks in the inserted content, in order. */
    notes: [] as Array<{ kind: "footnote" | "comment"; mark: string; text: string }>,
    /** Text put in place of a citation mark (a footnote's mark gives way to Word's number). */
    markEdits: [] as Array<{ mark: string; replacement: string; location: string }>,
  };
  const queue: Array<() => void> = [];
  let failure: string | undefined;
  /** Inserts say under which Track Changes setting they went in when the test gave one. */
  const tracked = () => (options.trackingMode === undefined ? {} : { tracking: record.tracking });

  /** An inserted range: select(), and search() for citation marks in what was inserted (WordApi 1.1). */
  function insertedRange(kind: FakeInsert["kind"], content: string) {
    const text = kind === "html" ? (new DOMParser().parseFromString(content, "text/html").body.textContent ?? "") : content;
    return {
      select(mode?: string) {
        queue.push(() => record.selects.push({ kind, mode }));
      },
      search(needle: string, searchOptions: { matchCase?: boolean } = {}) {
        if (!searchOptions.matchCase) throw new Error("the fake searches with matchCase only");
        let loaded = false;
        return {
          get items() {
            if (!loaded) throw Object.assign(new Error("The property 'items' is not available."), { code: "PropertyNotLoaded" });
            return text.includes(needle)
              ? [
                  {
                    insertFootnote: (note: string) => queue.push(() => record.notes.push({ kind: "footnote", mark: needle, text: note })),
                    insertComment: (note: string) => queue.push(() => record.notes.push({ kind: "comment", mark: needle, text: note })),
                    insertText: (replacement: string, location: string) =>
                      queue.push(() => record.markEdits.push({ mark: needle, replacement, location })),
                  },
                ]
              : [];
          },
          load() {
            queue.push(() => (loaded = true));
            return this;
          },
        };
      },
    };
  }

  const selection: Record<string, unknown> = {
    insertText(text: string, location: string) {
      if (options.insertTextError) failure = options.insertTextError;
      queue.push(() => record.inserts.push({ kind: "text", content: text, location, ...tracked() }));
      return insertedRange("text", text);
    },
  };
  if (!options.noInsertHtml) {
    selection.insertHtml = (html: string, location: string) => {
      if (options.insertHtmlError) failure = options.insertHtmlError;
      queue.push(() => record.inserts.push({ kind: "html", content: html, location, ...tracked() }));
      return insertedRange("html", html);
    };
  }

  // What the pane sees of the mode: loaded at a sync, or as it set it. Setting it takes effect at
  // the next sync, like any Office.js change.
  let loadedOrSet: string | undefined;
  const document = {
    getSelection: () => selection,
    changeTrackingMode: undefined as string | undefined,
    load: jest.fn(() => queue.push(() => (loadedOrSet = record.tracking))),
  };
  Object.defineProperty(document, "changeTrackingMode", {
    get: () => loadedOrSet,
    set: (mode: string) => {
      loadedOrSet = mode;
      const restoring = record.trackingSets.length > 0;
      if (restoring && options.restoreTrackingError) failure = options.restoreTrackingError;
      queue.push(() => {
        record.tracking = mode;
        record.trackingSets.push(mode);
      });
    },
  });
  const context = {
    document,
    sync: jest.fn(async () => {
      record.syncs++;
      await Promise.resolve();
      const failed = failure;
      const work = queue.splice(0);
      failure = undefined;
      if (failed) throw Object.assign(new Error(failed), { code: failed, name: failed });
      work.forEach((run) => run());
    }),
  };
  const word = {
    run: jest.fn(async <T,>(batch: (context: unknown) => Promise<T>) => {
      record.runs++;
      queue.splice(0);
      failure = undefined;
      return batch(context);
    }),
  };
  (globalThis as { Word?: unknown }).Word = word;
  return { word, record };
}
