// A Word document for writeSection / getWrittenSections: body paragraphs (text, built-in style),
// rich-text content controls around some of them, footnotes, and Track Changes. It keeps
// Office.js's batching rules where the host relies on them: collection items and loaded
// properties are readable only after context.sync(), and every change (insertParagraph,
// insertContentControl, insertHtml, tag, insertFootnote, ...) takes effect at the next sync, in
// the order queued; a failure at a sync drops that batch. office-addin-mock can't model a
// document that changes shape between syncs, hence this fake.

export interface FakeSectionParagraph {
  text: string;
  /** Built-in style: "Normal" (default), "Heading1", ... */
  style?: string;
}

export interface FakeControl {
  tag: string;
  title: string;
  appearance?: string;
}

export interface FakeWrittenParagraph {
  text: string;
  style: string;
  control?: FakeControl;
  /** Went in while Track Changes was on. */
  tracked: boolean;
  footnotes: string[];
}

export interface FakeWordWritingOptions {
  /** Index of the paragraph holding the selection (default 0). */
  selectionAt?: number;
  /** Content controls already in the document: around the paragraphs with these indexes. */
  controls?: Array<{ paragraphs: number[]; tag: string; title: string }>;
  /** The writer's Track Changes setting. */
  trackingMode?: string;
  /** The sync after insertHtml fails with this Word error code. */
  insertHtmlError?: string;
}

const notLoaded = (name: string) => Object.assign(new Error(`The property '${name}' is not available. Load it and call context.sync() first.`), { code: "PropertyNotLoaded" });

/** The block texts of an HTML fragment, as Word makes paragraphs of them. */
function htmlParagraphs(html: string): string[] {
  const body = new DOMParser().parseFromString(html, "text/html").body;
  const blocks = Array.from(body.children);
  return (blocks.length ? blocks.map((block) => block.textContent ?? "") : [body.textContent ?? ""]).map((text) => text.replace(/\s+/g, " ").trim());
}

export function fakeWordWriting(specs: FakeSectionParagraph[], options: FakeWordWritingOptions = {}) {
  const paragraphs: FakeWrittenParagraph[] = specs.map((spec) => ({ text: spec.text, style: spec.style ?? "Normal", tracked: false, footnotes: [] }));
  for (const control of options.controls ?? []) {
    const shared: FakeControl = { tag: control.tag, title: control.title };
    for (const index of control.paragraphs) paragraphs[index]!.control = shared;
  }
  const selected = paragraphs[options.selectionAt ?? 0]!;
  const record = {
    paragraphs,
    tracking: options.trackingMode ?? "Off",
    trackingSets: [] as string[],
    /** Where the cursor was put, as a description. */
    selects: [] as string[],
    syncs: 0,
  };
  const queue: Array<() => void> = [];
  let failure: string | undefined;

  const insertAfter = (anchor: FakeWrittenParagraph, added: FakeWrittenParagraph) => paragraphs.splice(paragraphs.indexOf(anchor) + 1, 0, added);
  const newParagraph = (text: string, style: string): FakeWrittenParagraph => ({ text, style, tracked: record.tracking === "TrackAll", footnotes: [] });
  const controlParagraphs = (control: FakeControl) => paragraphs.filter((paragraph) => paragraph.control === control);

  function replaceControlContent(control: FakeControl, texts: string[]) {
    const old = controlParagraphs(control);
    const at = paragraphs.indexOf(old[0]!);
    paragraphs.splice(at, old.length, ...texts.map((text) => ({ ...newParagraph(text, "Normal"), control })));
  }

  function controlProxy(control: FakeControl, existing: boolean) {
    const loaded = new Set<string>(existing ? [] : ["tag", "title"]);
    const read = (name: "tag" | "title") => {
      if (!loaded.has(name)) throw notLoaded(name);
      return control[name];
    };
    return {
      loaded,
      get tag() {
        return read("tag");
      },
      set tag(value: string) {
        queue.push(() => (control.tag = value));
      },
      get title() {
        return read("title");
      },
      set title(value: string) {
        queue.push(() => (control.title = value));
      },
      set appearance(value: string) {
        queue.push(() => (control.appearance = value));
      },
      insertHtml(html: string, location: string) {
        if (location !== "Replace") throw new Error(`the fake only replaces, not ${location}`);
        if (options.insertHtmlError) failure = options.insertHtmlError;
        queue.push(() => replaceControlContent(control, htmlParagraphs(html)));
      },
      insertText(text: string, location: string) {
        if (location !== "Replace") throw new Error(`the fake only replaces, not ${location}`);
        queue.push(() => replaceControlContent(control, text.split("\n")));
      },
      search(text: string, { matchCase }: { matchCase?: boolean } = {}) {
        if (!matchCase) throw new Error("the fake searches with matchCase only");
        const hits = { loaded: false, found: [] as Array<{ paragraph: FakeWrittenParagraph }> };
        return {
          get items() {
            if (!hits.loaded) throw notLoaded("items");
            return hits.found.map(({ paragraph }) => ({
              insertFootnote(note: string) {
                queue.push(() => paragraph.footnotes.push(note));
              },
              insertText(replacement: string, location: string) {
                if (location !== "Replace") throw new Error(`the fake only replaces, not ${location}`);
                // Word's range follows its text when text before it changes: the mark's first occurrence.
                queue.push(() => (paragraph.text = paragraph.text.replace(text, replacement)));
              },
            }));
          },
          load() {
            queue.push(() => {
              hits.loaded = true;
              hits.found = controlParagraphs(control).flatMap((paragraph) => (paragraph.text.includes(text) ? [{ paragraph }] : []));
            });
            return this;
          },
        };
      },
      getRange(location: string) {
        return {
          select(mode: string) {
            queue.push(() => record.selects.push(`${location} of “${control.title}” (${mode})`));
          },
        };
      },
    };
  }

  function paragraphProxy(paragraph: FakeWrittenParagraph) {
    const loaded = new Set<string>();
    const read = <T,>(name: string, value: T): T => {
      if (!loaded.has(name)) throw notLoaded(name);
      return value;
    };
    const heading = /^Heading([1-9])$/.exec(paragraph.style);
    return {
      loaded,
      get text() {
        return read("text", paragraph.text);
      },
      get style() {
        return read("style", heading ? `Heading ${heading[1]}` : paragraph.style);
      },
      get styleBuiltIn() {
        return read("styleBuiltIn", paragraph.style);
      },
      set styleBuiltIn(value: string) {
        queue.push(() => (paragraph.style = value));
      },
      get outlineLevel() {
        return read("outlineLevel", heading ? Number(heading[1]) : 10);
      },
      get isListItem() {
        return read("isListItem", false);
      },
      insertParagraph(text: string, location: string) {
        if (location !== "After") throw new Error(`the fake only inserts after, not ${location}`);
        const added = newParagraph(text, "Normal");
        queue.push(() => {
          added.tracked = record.tracking === "TrackAll";
          insertAfter(paragraph, added);
        });
        return paragraphProxy(added);
      },
      insertContentControl() {
        const control: FakeControl = { tag: "", title: "" };
        queue.push(() => (paragraph.control = control));
        return controlProxy(control, false);
      },
    };
  }

  let trackingSeen: string | undefined;
  const document = {
    get contentControls() {
      let items: Array<ReturnType<typeof controlProxy>> | undefined;
      return {
        get items() {
          if (!items) throw notLoaded("items");
          return items;
        },
        load(properties: string) {
          queue.push(() => {
            const controls = [...new Set(paragraphs.flatMap((paragraph) => (paragraph.control ? [paragraph.control] : [])))];
            items = controls.map((control) => controlProxy(control, true));
            if (/tag/.test(properties)) items.forEach((item) => item.loaded.add("tag"));
            if (/title/.test(properties)) items.forEach((item) => item.loaded.add("title"));
          });
          return this;
        },
      };
    },
    body: {
      get paragraphs() {
        let items: Array<ReturnType<typeof paragraphProxy>> | undefined;
        return {
          get items() {
            if (!items) throw notLoaded("items");
            return items;
          },
          load(properties: string) {
            queue.push(() => {
              items = paragraphs.map(paragraphProxy);
              const names = properties.split(",").map((name) => name.trim());
              items.forEach((item) => names.forEach((name) => item.loaded.add(name)));
            });
            return this;
          },
        };
      },
    },
    getSelection: () => paragraphProxy(selected),
    get changeTrackingMode(): string {
      if (trackingSeen === undefined) throw notLoaded("changeTrackingMode");
      return trackingSeen;
    },
    set changeTrackingMode(mode: string) {
      trackingSeen = mode;
      queue.push(() => {
        record.tracking = mode;
        record.trackingSets.push(mode);
      });
    },
    load() {
      queue.push(() => (trackingSeen = record.tracking));
    },
  };
  const context = {
    document,
    sync: async () => {
      record.syncs++;
      await Promise.resolve();
      const failed = failure;
      const work = queue.splice(0);
      failure = undefined;
      if (failed) throw Object.assign(new Error(failed), { code: failed, name: failed });
      work.forEach((run) => run());
    },
  };
  const word = {
    run: async <T,>(batch: (context: unknown) => Promise<T>) => {
      queue.splice(0);
      failure = undefined;
      return batch(context);
    },
  };
  (globalThis as { Word?: unknown }).Word = word;
  return { record };
}
