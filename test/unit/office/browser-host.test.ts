import "fake-indexeddb/auto";
import { createHash } from "node:crypto";
import { IDBFactory } from "fake-indexeddb";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { BrowserHost, type BrowserHostSnapshot } from "../../../src/taskpane/office/browser-host";
import { isBrowserHost } from "../../../src/taskpane/office/connect-host";
import { docxHead, endOfBlocks, HEAD_BLOCKS } from "../../../src/taskpane/office/preview-head";
import { type ReadProgress } from "../../../src/taskpane/office/document-host";
import { caught } from "./office-fakes";
import { cleanText } from "../../../src/server/docx/headings";
import { paragraphsFromXml } from "../../../src/server/docx/paragraphs";
import { splitIntoPassages } from "../../../src/server/services/generation/passages";
import { readFixture } from "../../support/fixtures";

/** The bytes of what readDocument returned. */
async function bytesOf(docx: Blob | Promise<Blob>): Promise<Uint8Array> {
  return new Uint8Array(await (await docx).arrayBuffer());
}

/** Fixture bytes as a Uint8Array of the test's realm (Buffer belongs to Node's). */
function fixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFixture(name));
}


function mountPreview(): HTMLElement {
  const element = document.createElement("div");
  element.setAttribute("data-testid", "preview");
  document.body.appendChild(element);
  return element;
}

function select(startNode: Node, startOffset: number, endNode: Node = startNode, endOffset = startOffset): void {
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = document.getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event("selectionchange"));
}

function textOf(element: Element, selector: string): Text {
  const node = element.querySelector(selector)?.firstChild;
  if (!node || node.nodeType !== Node.TEXT_NODE) throw new Error(`no text in ${selector}`);
  return node as Text;
}

const paragraphs = (element: Element) => [...element.querySelectorAll("p")].map((p) => p.textContent);
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let hosts: BrowserHost[] = [];
function newHost(options?: ConstructorParameters<typeof BrowserHost>[0]): BrowserHost {
  const host = new BrowserHost(options);
  hosts.push(host);
  return host;
}

beforeEach(() => {
  (globalThis as { indexedDB?: IDBFactory }).indexedDB = new IDBFactory(); // a fresh, empty database per test
  localStorage.clear();
  document.body.innerHTML = "";
  document.getSelection()?.removeAllRanges();
});

afterEach(() => {
  for (const host of hosts) host.dispose();
  hosts = [];
});

describe("opening a .docx", () => {
  test.each([
    ["mammoth-single-paragraph.docx", ["Walking on imported air"]],
    ["mammoth-tables.docx", ["Above", "Top left", "Bottom right", "Below"]],
    ["mammoth-simple-list.docx", ["Apple", "Banana"]],
    ["mammoth-strict-format.docx", ["Test"]],
    ["openxml-sdk-nutrition-report.docx", ["EUROPEAN HEALTH FORUM GASTEIN", "Nutrition and Food Policy"]],
  ])("%s renders its text into the preview", async (name, texts) => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);

    await host.openFile({ name, bytes: fixture(name) });

    for (const text of texts) expect(preview.textContent).toContain(text);
    expect(host.getSnapshot()).toEqual({ status: "ready", name, key: sha256(fixture(name)) });
    await expect(host.getDocumentName()).resolves.toBe(name);
  });

  test("a picked File (read through FileReader in jsdom) works too", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    const file = new File([fixture("mammoth-single-paragraph.docx")], "Picked.docx");
    // Current browsers give File a bytes() method; it must not be mistaken for {name, bytes}.
    Object.defineProperty(file, "bytes", { value: () => Promise.resolve(new Uint8Array(0)) });

    await host.openFile(file);

    expect(preview.textContent).toBe("Walking on imported air");
    await expect(host.getDocumentName()).resolves.toBe("Picked.docx");
  });

  test("the preview is sanitized: no scripts or event handlers from the document reach the page", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "images.docx", bytes: fixture("python-docx-having-images.docx") });
    expect(preview.querySelectorAll("img").length).toBeGreaterThan(0);
    expect(preview.querySelector("script, [onerror], [onload]")).toBeNull();
  });

  test("text bytes are refused with words, and there is still no document", async () => {
    const host = newHost();
    const error = await caught(host.openFile({ name: "notes.txt", bytes: new TextEncoder().encode("Meeting notes") }));

    expect(error.kind).toBe("unsupported");
    expect(error.message).toBe(
      "“notes.txt” is not a Word document. Choose a .docx file (an older .doc file must first be saved as .docx in Word).",
    );
    expect(host.getSnapshot()).toMatchObject({ status: "error", name: "notes.txt", error });
    expect((await caught(host.readDocument())).kind).toBe("no_document");
  });

  test("a ZIP that is not a Word document is refused with words", async () => {
    const host = newHost();
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
    const error = await caught(host.openFile({ name: "archive.docx", bytes }));
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/couldn't read “archive.docx” as a Word document/);
    expect(error.message).toMatch(/save it as \.docx and choose it again/);
  });

  test("a failed pick keeps the document that was open, and reports the failure alongside", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    const good = fixture("mammoth-single-paragraph.docx");
    await host.openFile({ name: "Good.docx", bytes: good });

    await caught(host.openFile({ name: "bad.txt", bytes: new TextEncoder().encode("nope") }));

    const snapshot = host.getSnapshot();
    expect(snapshot).toMatchObject({ status: "ready", name: "Good.docx", key: sha256(good) });
    expect(snapshot.error?.kind).toBe("unsupported");
    expect(preview.textContent).toBe("Walking on imported air");
    expect(await bytesOf(host.readDocument())).toEqual(good);
  });

  test("subscribers see loading then ready, and the snapshot object stays the same between changes", async () => {
    const host = newHost();
    const seen: BrowserHostSnapshot[] = [];
    host.subscribe(() => seen.push(host.getSnapshot()));
    expect(host.getSnapshot()).toBe(host.getSnapshot());
    expect(host.getSnapshot()).toEqual({ status: "empty" });

    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });

    expect(seen.map((s) => s.status)).toEqual(["loading", "ready"]);
    expect(host.getSnapshot()).toBe(seen[1]);
  });

  test("a preview attached after opening shows the document, and so does a new element", async () => {
    const host = newHost();
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-simple-list.docx") });
    const first = mountPreview();
    host.attachPreview(first);
    expect(first.querySelectorAll("li")).toHaveLength(2);

    host.attachPreview(null);
    const second = mountPreview();
    host.attachPreview(second);
    expect(second.textContent).toBe("AppleBanana");
  });

  test("closeFile empties the preview and forgets the document", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });

    await host.closeFile();

    expect(preview.innerHTML).toBe("");
    expect(host.getSnapshot()).toEqual({ status: "empty" });
    expect((await caught(host.getDocumentName())).kind).toBe("no_document");
  });

  test("isBrowserHost tells the browser host apart", () => {
    expect(isBrowserHost(newHost())).toBe(true);
    expect(isBrowserHost(undefined)).toBe(false);
  });

  test("info describes the browser tab", () => {
    const matchMedia = jest.fn(() => ({ matches: true }));
    (window as { matchMedia?: unknown }).matchMedia = matchMedia;
    try {
      expect(newHost().info).toEqual({
        kind: "browser",
        platform: "Browser",
        supported: true,
        displayLanguage: navigator.language,
        darkTheme: true,
      });
      expect(matchMedia).toHaveBeenCalledWith("(prefers-color-scheme: dark)");
    } finally {
      delete (window as { matchMedia?: unknown }).matchMedia;
    }
    expect(newHost().info.darkTheme).toBe(false); // jsdom has no matchMedia
  });
});

describe("readDocument", () => {
  test("returns exactly the picked bytes, with one progress report for the whole size", async () => {
    const host = newHost();
    const bytes = fixture("mammoth-tables.docx");
    await host.openFile({ name: "t.docx", bytes });
    const progress: ReadProgress[] = [];

    const read = await host.readDocument({ onProgress: (p) => progress.push(p) });

    expect(read).toBeInstanceOf(Blob);
    expect(read.type).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const readBytes = await bytesOf(read);
    expect(readBytes).toEqual(bytes);
    expect(progress).toEqual([{ bytesRead: bytes.length, totalBytes: bytes.length }]);
    readBytes[0] = 0; // the caller's copy: changing it doesn't change the document
    expect(await bytesOf(host.readDocument())).toEqual(bytes);
  });

  test("without a document it asks for one", async () => {
    const error = await caught(newHost().readDocument());
    expect(error.kind).toBe("no_document");
    expect(error.message).toBe("Choose a Word document (.docx) to stand for the open document.");
  });

  test("an aborted signal is honoured", async () => {
    const host = newHost();
    await host.openFile({ name: "t.docx", bytes: fixture("mammoth-tables.docx") });
    const controller = new AbortController();
    controller.abort();
    expect((await caught(host.readDocument({ signal: controller.signal }))).kind).toBe("aborted");
  });
});

describe("selection", () => {
  async function openSingleParagraph() {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    return { host, preview, text: textOf(preview, "p") };
  }

  test("a selection inside the preview is the selected text, and listeners hear about it", async () => {
    const { host, text } = await openSingleParagraph();
    const listener = jest.fn();
    host.onSelectionChanged(listener);

    select(text, 11, text, 19);

    expect(listener).toHaveBeenCalledTimes(1);
    await expect(host.getSelectedText()).resolves.toBe("imported");
  });

  test("the selection survives a click elsewhere on the page (e.g. a pane button)", async () => {
    const { host, text } = await openSingleParagraph();
    const listener = jest.fn();
    host.onSelectionChanged(listener);
    select(text, 0, text, 7);
    const button = document.createElement("button");
    button.textContent = "Insert";
    document.body.appendChild(button);

    select(button.firstChild!, 0, button.firstChild!, 3);

    expect(listener).toHaveBeenCalledTimes(1);
    await expect(host.getSelectedText()).resolves.toBe("Walking");
  });

  test("a collapsed selection (just the caret) is no selected text", async () => {
    const { host, text } = await openSingleParagraph();
    select(text, 4);
    await expect(host.getSelectedText()).resolves.toBe("");
  });

  test("no selection at all is no selected text", async () => {
    const { host } = await openSingleParagraph();
    await expect(host.getSelectedText()).resolves.toBe("");
  });

  test("a selection across paragraphs keeps the line breaks", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "t.docx", bytes: fixture("mammoth-tables.docx") });
    const above = textOf(preview, "p");
    const below = preview.lastElementChild!.firstChild!;

    select(above, 0, below, 5);

    const selected = await host.getSelectedText();
    expect(selected.startsWith("Above\n")).toBe(true);
    expect(selected).toContain("\nTop left\tTop right\nBottom left\tBottom right\n");
    expect(selected.endsWith("\nBelow")).toBe(true);
  });

  test("an unsubscribed listener hears nothing more", async () => {
    const { host, text } = await openSingleParagraph();
    const listener = jest.fn();
    const unsubscribe = host.onSelectionChanged(listener);
    unsubscribe();
    select(text, 0, text, 7);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe("insertText", () => {
  async function openWithPreview(name = "mammoth-single-paragraph.docx") {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    const bytes = fixture(name);
    await host.openFile({ name, bytes });
    return { host, preview, bytes };
  }

  test("cursor: inserts paragraphs after the selection, keeps the selected text, caret after the insert", async () => {
    const { host, preview } = await openWithPreview();
    select(textOf(preview, "p"), 0, textOf(preview, "p"), 7); // "Walking"

    await host.insertText("First new line\nSecond new line", "cursor");

    expect(paragraphs(preview)).toEqual(["Walking", "First new line", "Second new line", " on imported air"]);
    const inserted = [...preview.querySelectorAll('p[data-sidecar-inserted="true"]')].map((p) => p.textContent);
    expect(inserted).toEqual(["First new line", "Second new line"]);
    const caret = document.getSelection()!.getRangeAt(0);
    expect(caret.collapsed).toBe(true);
    expect(caret.startContainer).toBe(preview.querySelectorAll("p")[2]);
    await expect(host.getSelectedText()).resolves.toBe("");

    await host.insertText("Third", "cursor"); // the next insert follows the previous one
    expect(paragraphs(preview)).toEqual(["Walking", "First new line", "Second new line", "Third", " on imported air"]);
  });

  test("replace: the selected text is removed and the new text takes its place", async () => {
    const { host, preview } = await openWithPreview();
    select(textOf(preview, "p"), 11, textOf(preview, "p"), 19); // "imported"

    await host.insertText("Replacement", "replace");

    expect(paragraphs(preview)).toEqual(["Walking on ", "Replacement", " air"]);
    expect(preview.textContent).not.toContain("imported");
  });

  test("replace of a whole paragraph leaves no empty paragraph behind", async () => {
    const { host, preview } = await openWithPreview();
    const text = textOf(preview, "p");
    select(text, 0, text, text.length);

    await host.insertText("All new\nTwo lines", "replace");

    expect(paragraphs(preview)).toEqual(["All new", "Two lines"]);
  });

  test("at the start of a paragraph the new paragraphs go before it", async () => {
    const { host, preview } = await openWithPreview();
    select(textOf(preview, "p"), 0);
    await host.insertText("Intro", "cursor");
    expect(paragraphs(preview)).toEqual(["Intro", "Walking on imported air"]);
  });

  test("inside a list item the paragraphs stay in that item", async () => {
    const { host, preview } = await openWithPreview("mammoth-simple-list.docx");
    select(textOf(preview, "li"), 5); // after "Apple"
    await host.insertText("note", "cursor");
    const firstItem = preview.querySelector("li")!;
    expect(firstItem.textContent).toBe("Applenote");
    expect(firstItem.querySelector("p[data-sidecar-inserted]")?.textContent).toBe("note");
    expect(preview.querySelectorAll("li")).toHaveLength(2);
  });

  test("with no selection in the preview the text is added at the end", async () => {
    const { host, preview } = await openWithPreview();
    await host.insertText("Appended", "cursor");
    expect(paragraphs(preview)).toEqual(["Walking on imported air", "Appended"]);
    expect(preview.lastElementChild?.getAttribute("data-sidecar-inserted")).toBe("true");
  });

  test("text goes in as text, never as markup", async () => {
    const { host, preview } = await openWithPreview();
    await host.insertText('<img src="x" onerror="alert(1)">', "cursor");
    expect(preview.querySelector("img")).toBeNull();
    expect(preview.lastElementChild?.textContent).toBe('<img src="x" onerror="alert(1)">');
  });

  test("the picked bytes are not modified by inserts", async () => {
    const { host, preview, bytes } = await openWithPreview();
    select(textOf(preview, "p"), 0, textOf(preview, "p"), 7);
    await host.insertText("Something", "replace");
    expect(await bytesOf(host.readDocument())).toEqual(bytes);
  });

  test("inserts survive re-attaching the preview", async () => {
    const { host } = await openWithPreview();
    await host.insertText("Kept", "cursor");
    host.attachPreview(null);
    const again = mountPreview();
    host.attachPreview(again);
    expect(paragraphs(again)).toEqual(["Walking on imported air", "Kept"]);
  });

  test("as a suggestion: the inserted text is marked and the replaced text kept struck through, listed in the snapshot; accept keeps the new, reject brings the old back", async () => {
    const { host, preview } = await openWithPreview();
    select(textOf(preview, "p"), 0, textOf(preview, "p"), 7); // "Walking"
    await host.insertText("Running", "replace", { suggest: true });

    const deleted = preview.querySelector("del[data-sidecar-suggestion]")!;
    expect(deleted.textContent).toBe("Walking");
    const inserted = [...preview.querySelectorAll("p[data-sidecar-suggestion]")];
    expect(inserted.map((p) => p.textContent)).toEqual(["Running"]);
    const [suggestion] = host.getSnapshot().suggestions!;
    expect(suggestion).toEqual({ id: deleted.getAttribute("data-sidecar-suggestion"), inserted: "Running", deleted: "Walking" });
    expect(inserted[0]!.getAttribute("data-sidecar-suggestion")).toBe(suggestion!.id);

    // Reject: the old text back, the new gone, nothing left to review.
    expect(host.resolveSuggestion(suggestion!.id, false)).toBe(true);
    expect(preview.textContent).toContain("Walking on imported air");
    expect(preview.textContent).not.toContain("Running");
    expect(preview.querySelector("[data-sidecar-suggestion]")).toBeNull();
    expect(host.getSnapshot().suggestions).toBeUndefined();

    // Accept: the new text stays as ordinary content, the old goes; the edit survives a new preview.
    select(textOf(preview, "p"), 0, textOf(preview, "p"), 7);
    await host.insertFormatted("<p>Cycling</p>", "cursor", "Cycling", { suggest: true });
    const id = host.getSnapshot().suggestions![0]!.id;
    expect(host.resolveSuggestion(id, true)).toBe(true);
    expect(host.resolveSuggestion(id, true)).toBe(false);
    expect(preview.querySelector("[data-sidecar-suggestion]")).toBeNull();
    host.attachPreview(null);
    const again = mountPreview();
    host.attachPreview(again);
    expect(again.textContent).toContain("Cycling");
  });

  test("without a document it asks for one", async () => {
    expect((await caught(newHost().insertText("x", "cursor"))).kind).toBe("no_document");
  });
});

describe("settings", () => {
  test("survive a new BrowserHost for the same document, keyed by its SHA-256", async () => {
    const bytes = fixture("mammoth-single-paragraph.docx");
    const first = newHost();
    await first.openFile({ name: "a.docx", bytes });
    await first.setSetting("sidecar.documentId", "doc-7");
    expect(JSON.parse(localStorage.getItem(`sidecar.document-settings.${sha256(bytes)}`)!)).toEqual({
      "sidecar.documentId": "doc-7",
    });

    const second = newHost();
    await second.openFile({ name: "renamed.docx", bytes });
    await expect(second.getSetting("sidecar.documentId")).resolves.toBe("doc-7");

    const other = newHost();
    await other.openFile({ name: "b.docx", bytes: fixture("mammoth-tables.docx") });
    await expect(other.getSetting("sidecar.documentId")).resolves.toBeUndefined();
  });

  test("setting undefined removes the setting", async () => {
    const host = newHost();
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await host.setSetting("k", { a: 1 });
    await host.setSetting("k", undefined);
    await expect(host.getSetting("k")).resolves.toBeUndefined();
  });

  test("a storage that throws still keeps settings for this tab", async () => {
    const throwing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    } as unknown as Storage;
    const host = newHost({ storage: throwing });
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await host.setSetting("k", [1, 2]);
    await expect(host.getSetting("k")).resolves.toEqual([1, 2]);
  });

  test("a value that can't be stored is refused with write_failed", async () => {
    const host = newHost();
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect((await caught(host.setSetting("k", circular))).kind).toBe("write_failed");
  });

  test("without a document settings ask for one", async () => {
    expect((await caught(newHost().getSetting("k"))).kind).toBe("no_document");
    expect((await caught(newHost().setSetting("k", 1))).kind).toBe("no_document");
  });
});

describe("restore after a reload", () => {
  test("a new instance brings back the same document from IndexedDB", async () => {
    const bytes = fixture("mammoth-tables.docx");
    await newHost().openFile({ name: "Tables.docx", bytes });

    const reloaded = newHost();
    const preview = mountPreview();
    reloaded.attachPreview(preview);
    const statuses: string[] = [];
    reloaded.subscribe(() => statuses.push(reloaded.getSnapshot().status));

    await expect(reloaded.restore()).resolves.toBe(true);

    expect(statuses[0]).toBe("loading");
    expect(reloaded.getSnapshot()).toEqual({ status: "ready", name: "Tables.docx", key: sha256(bytes) });
    expect(await bytesOf(reloaded.readDocument())).toEqual(bytes);
    expect(preview.textContent).toContain("Bottom right");
  });

  test("nothing stored: restore resolves false and the host stays empty", async () => {
    const host = newHost();
    await expect(host.restore()).resolves.toBe(false);
    expect(host.getSnapshot()).toEqual({ status: "empty" });
  });

  test("a closed document is not restored", async () => {
    const first = newHost();
    await first.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await first.closeFile();
    await expect(newHost().restore()).resolves.toBe(false);
  });

  test("the latest pick is what comes back", async () => {
    const host = newHost();
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await host.openFile({ name: "b.docx", bytes: fixture("mammoth-simple-list.docx") });
    const reloaded = newHost();
    await reloaded.restore();
    await expect(reloaded.getDocumentName()).resolves.toBe("b.docx");
  });

  test("without IndexedDB everything works except restoring, silently", async () => {
    const host = newHost({ indexedDB: null });
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await expect(host.readDocument()).resolves.toBeInstanceOf(Blob);
    await expect(newHost({ indexedDB: null }).restore()).resolves.toBe(false);
  });

  test("an IndexedDB that fails to open is tolerated", async () => {
    const broken = {
      open: () => {
        throw new Error("InvalidStateError");
      },
    } as unknown as IDBFactory;
    const host = newHost({ indexedDB: broken });
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    expect(host.getSnapshot().status).toBe("ready");
    await expect(newHost({ indexedDB: broken }).restore()).resolves.toBe(false);
  });

  test("a pick made while restoring wins", async () => {
    await newHost().openFile({ name: "old.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    const host = newHost();
    const restoring = host.restore();
    await host.openFile({ name: "new.docx", bytes: fixture("mammoth-simple-list.docx") });
    await restoring;
    await expect(host.getDocumentName()).resolves.toBe("new.docx");
  });
});

// ---------------------------------------------------------------------------------------------
// Generated documents

const CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const CUSTOM_PROPERTIES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";

/**
 * A fixture with a docProps/custom.xml added the way Word writes one: the part, its content-type
 * override and its package relationship. `properties` are raw <property> value elements.
 */
function withCustomProperties(name: string, properties: Record<string, string>): Uint8Array<ArrayBuffer> {
  const files = unzipSync(fixture(name));
  const text = (path: string) => strFromU8(files[path]!);
  let pid = 2;
  const entries = Object.entries(properties)
    .map(
      ([key, value]) =>
        `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="${pid++}" name="${key}">${value}</property>`,
    )
    .join("");
  files["docProps/custom.xml"] = strToU8(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ' +
      `xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${entries}</Properties>`,
  );
  files["[Content_Types].xml"] = strToU8(
    text("[Content_Types].xml").replace(
      "</Types>",
      `<Override PartName="/docProps/custom.xml" ContentType="${CUSTOM_PROPERTIES_TYPE}"/></Types>`,
    ),
  );
  files["_rels/.rels"] = strToU8(
    text("_rels/.rels").replace(
      "</Relationships>",
      `<Relationship Id="rId99" Type="${CUSTOM_PROPERTIES_REL}" Target="docProps/custom.xml"/></Relationships>`,
    ),
  );
  return new Uint8Array(zipSync(files));
}

const insertedTexts = (element: Element) =>
  [...element.querySelectorAll("[data-sidecar-inserted]")].map((node) => node.textContent);

describe("openGeneratedDocument", () => {
  test("the generated document replaces the preview at once, and the snapshot names it", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "Picked.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    const generated = fixture("mammoth-tables.docx");

    await expect(host.openGeneratedDocument(generated, "Quarterly summary")).resolves.toBe("opened-in-preview");

    expect(preview.textContent).toContain("Bottom right");
    expect(preview.textContent).not.toContain("Walking on imported air");
    expect(host.getSnapshot()).toEqual({ status: "ready", name: "Quarterly summary.docx", key: sha256(generated) });
    await expect(host.getDocumentName()).resolves.toBe("Quarterly summary.docx");
    expect(await bytesOf(host.readDocument())).toEqual(generated);
  });

  test("a name that already ends in .docx is kept as it is", async () => {
    const host = newHost();
    await host.openGeneratedDocument(fixture("mammoth-simple-list.docx"), "Fruit.DOCX");
    expect(host.getSnapshot().name).toBe("Fruit.DOCX");
  });

  test("it is kept in IndexedDB like a picked document, so a reload brings it back", async () => {
    const generated = fixture("mammoth-simple-list.docx");
    await newHost().openGeneratedDocument(generated, "Fruit.docx");

    const reloaded = newHost();
    await expect(reloaded.restore()).resolves.toBe(true);
    await expect(reloaded.getDocumentName()).resolves.toBe("Fruit.docx");
    expect(await bytesOf(reloaded.readDocument())).toEqual(generated);
  });

  test("bytes that aren't a .docx are refused in words, and the open document stays", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "Picked.docx", bytes: fixture("mammoth-single-paragraph.docx") });

    const error = await caught(host.openGeneratedDocument(new TextEncoder().encode("Internal Server Error"), "x"));

    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/Generate it again/);
    expect(host.getSnapshot()).toMatchObject({ status: "ready", name: "Picked.docx" });
    expect(preview.textContent).toBe("Walking on imported air");
  });
});

describe("insertDocument", () => {
  async function openSingleParagraph() {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    const bytes = fixture("mammoth-single-paragraph.docx");
    await host.openFile({ name: "a.docx", bytes });
    return { host, preview, bytes, text: textOf(preview, "p") };
  }

  test("cursor: the document's content goes after the selection, which stays; no paragraph inside a paragraph", async () => {
    const { host, preview, text } = await openSingleParagraph();
    select(text, 0, text, 7); // "Walking"

    await host.insertDocument(fixture("mammoth-simple-list.docx"), "cursor");

    expect([...preview.children].map((child) => [child.tagName, child.textContent])).toEqual([
      ["P", "Walking"],
      ["UL", "AppleBanana"],
      ["P", " on imported air"],
    ]);
    expect(preview.querySelector("ul")?.getAttribute("data-sidecar-inserted")).toBe("true");
    expect(preview.querySelector("p p, p ul, p table")).toBeNull();
    await expect(host.getSelectedText()).resolves.toBe(""); // the caret moved after the insert
  });

  test("replace: the document's content takes the selected text's place", async () => {
    const { host, preview, text } = await openSingleParagraph();
    select(text, 11, text, 19); // "imported"

    await host.insertDocument(fixture("mammoth-tables.docx"), "replace");

    expect(preview.textContent).not.toContain("imported");
    const children = [...preview.children];
    expect(children[0]?.textContent).toBe("Walking on ");
    expect(children.at(-1)?.textContent).toBe(" air");
    expect(insertedTexts(preview)).toEqual(["Above", expect.stringContaining("Top left"), "Below"]);
    expect(preview.querySelector("p table, p p")).toBeNull();
  });

  test("end: the content goes after everything, whatever is selected", async () => {
    const { host, preview, text } = await openSingleParagraph();
    select(text, 0, text, 7);

    await host.insertDocument(fixture("mammoth-simple-list.docx"), "end");

    expect(preview.firstElementChild?.textContent).toBe("Walking on imported air");
    expect(preview.lastElementChild?.tagName).toBe("UL");
    expect(preview.lastElementChild?.getAttribute("data-sidecar-inserted")).toBe("true");
  });

  test("without a selection in the preview, cursor inserts at the end", async () => {
    const { host, preview } = await openSingleParagraph();
    await host.insertDocument(fixture("mammoth-single-paragraph.docx"), "cursor");
    expect(paragraphs(preview)).toEqual(["Walking on imported air", "Walking on imported air"]);
    expect(insertedTexts(preview)).toEqual(["Walking on imported air"]);
  });

  test("a text insert after a document insert follows it", async () => {
    const { host, preview, text } = await openSingleParagraph();
    select(text, 7);
    await host.insertDocument(fixture("mammoth-tables.docx"), "cursor");
    await host.insertText("After the table", "cursor");
    expect(paragraphs(preview).slice(-3)).toEqual(["Below", "After the table", " on imported air"]);
  });

  test("inserted content is sanitized like the preview", async () => {
    const { host, preview } = await openSingleParagraph();
    await host.insertDocument(fixture("python-docx-having-images.docx"), "end");
    expect(preview.querySelectorAll("[data-sidecar-inserted] img, img[data-sidecar-inserted]").length).toBeGreaterThan(0);
    expect(preview.querySelector("script, [onerror], [onload]")).toBeNull();
  });

  test("the open document's bytes are not modified, and the insert survives re-attaching the preview", async () => {
    const { host, bytes } = await openSingleParagraph();
    await host.insertDocument(fixture("mammoth-simple-list.docx"), "end");
    expect(await bytesOf(host.readDocument())).toEqual(bytes);
    host.attachPreview(null);
    const again = mountPreview();
    host.attachPreview(again);
    expect(again.textContent).toBe("Walking on imported airAppleBanana");
  });

  test("bytes that aren't a .docx are refused in words; without a document it asks for one", async () => {
    const { host, preview } = await openSingleParagraph();
    const error = await caught(host.insertDocument(new Uint8Array([1, 2, 3]), "cursor"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/Generate it again/);
    expect(preview.textContent).toBe("Walking on imported air");

    expect((await caught(newHost().insertDocument(fixture("mammoth-simple-list.docx"), "end"))).kind).toBe(
      "no_document",
    );
  });
});

describe("insertFormatted (browser tab)", () => {
  const ANSWER =
    "<h2>Plan</h2>\n<ul><li>One <strong>bold</strong></li><li>Two<ul><li>Nested</li></ul></li></ul>\n" +
    "<table><thead><tr><th>Name</th><th>Role</th></tr></thead><tbody><tr><td>Ada</td><td>Lead</td></tr></tbody></table>";
  const DANGEROUS =
    '<p style="color:red" class="x" onclick="evil()">Hi <a href="javascript:alert(1)">bad</a> <a href="https://example.com/">ok</a></p>' +
    '<script>window.hacked = true</script><img src="x" onerror="window.hacked = true"><p data-x="1" aria-label="y">Bye</p>';

  async function openSingleParagraph() {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    return { host, preview, text: textOf(preview, "p") };
  }

  const shape = (preview: Element) => [...preview.children].map((child) => [child.tagName, child.textContent]);

  test("replace: a heading, a list and a table take the selected text's place, marked, never inside a paragraph", async () => {
    const { host, preview, text } = await openSingleParagraph();
    select(text, 11, text, 19); // "imported"

    await host.insertFormatted(ANSWER, "replace", "Plan ...");

    expect(shape(preview)).toEqual([
      ["P", "Walking on "],
      ["H2", "Plan"],
      ["UL", "One boldTwoNested"],
      ["TABLE", "NameRoleAdaLead"],
      ["P", " air"],
    ]);
    expect(preview.textContent).not.toContain("imported");
    expect(insertedTexts(preview)).toEqual(["Plan", "One boldTwoNested", "NameRoleAdaLead"]);
    expect(preview.querySelector("ul ul li")?.textContent).toBe("Nested");
    expect(preview.querySelector("li strong")?.textContent).toBe("bold");
    expect(preview.querySelector("p p, p h2, p ul, p table")).toBeNull();
  });

  test("cursor: the content goes after the selection, which stays in the document; the caret ends after it", async () => {
    const { host, preview, text } = await openSingleParagraph();
    select(text, 0, text, 7); // "Walking"

    await host.insertFormatted("<h1>Title</h1><p>Some <em>text</em></p>", "cursor", "Title\nSome text");

    expect(shape(preview)).toEqual([
      ["P", "Walking"],
      ["H1", "Title"],
      ["P", "Some text"],
      ["P", " on imported air"],
    ]);
    expect(preview.querySelector("p em")?.textContent).toBe("text");
    expect(insertedTexts(preview)).toEqual(["Title", "Some text"]);
    const caret = document.getSelection()!.getRangeAt(0);
    expect(caret.collapsed).toBe(true);
    expect(caret.startContainer).toBe(preview.children[2]);
    await expect(host.getSelectedText()).resolves.toBe("");

    await host.insertText("Next", "cursor"); // the next insert follows
    expect(paragraphs(preview)).toEqual(["Walking", "Some text", "Next", " on imported air"]);
  });

  test("dangerous HTML is inert: no script, no event handler, no style/class/data-*, no javascript: link", async () => {
    const { host, preview } = await openSingleParagraph();
    await host.insertFormatted(DANGEROUS, "cursor", "Hi bad ok\nBye");
    expect(preview.querySelector("script, img, [onerror], [onclick], [style], [class], [data-x], [aria-label]")).toBeNull();
    expect((globalThis as { hacked?: boolean }).hacked).toBeUndefined();
    expect([...preview.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["bad", null],
      ["ok", "https://example.com/"],
    ]);
    expect(insertedTexts(preview)).toEqual(["Hi bad ok", "Bye"]);
  });

  test("with no selection in the preview it is appended at the end", async () => {
    const { host, preview } = await openSingleParagraph();
    await host.insertFormatted(ANSWER, "cursor", "Plan ...");
    expect(shape(preview).map(([tag]) => tag)).toEqual(["P", "H2", "UL", "TABLE"]);
    expect(preview.firstElementChild?.textContent).toBe("Walking on imported air");
    expect(preview.lastElementChild?.getAttribute("data-sidecar-inserted")).toBe("true");
  });

  test("loose inline content is wrapped in a paragraph; inside a list item the blocks stay in that item", async () => {
    const { host, preview } = await openSingleParagraph();
    await host.insertFormatted("Just <strong>inline</strong> text", "cursor", "Just inline text");
    expect(preview.lastElementChild?.outerHTML).toBe('<p data-sidecar-inserted="true">Just <strong>inline</strong> text</p>');

    const list = newHost();
    const listPreview = mountPreview();
    list.attachPreview(listPreview);
    await list.openFile({ name: "list.docx", bytes: fixture("mammoth-simple-list.docx") });
    select(textOf(listPreview, "li"), 5); // after "Apple"
    await list.insertFormatted("<p>note <em>here</em></p>", "cursor", "note here");
    expect(listPreview.querySelector("li p[data-sidecar-inserted]")?.textContent).toBe("note here");
    expect(listPreview.querySelectorAll("li")).toHaveLength(2);
  });

  test("nothing left after sanitizing: the plain text goes in; the bytes stay; without a document it asks for one", async () => {
    const { host, preview, text } = await openSingleParagraph();
    const bytes = await bytesOf(host.readDocument());
    select(text, 0, text, 7);
    await host.insertFormatted("<script>alert(1)</script>", "replace", "Plain one\nPlain two");
    expect(paragraphs(preview)).toEqual(["Plain one", "Plain two", " on imported air"]);
    expect(preview.querySelector("script")).toBeNull();
    expect(await bytesOf(host.readDocument())).toEqual(bytes);

    expect((await caught(newHost().insertFormatted("<p>x</p>", "cursor", "x"))).kind).toBe("no_document");
  });

  test("listeners hear the caret move after the insert as programmatic", async () => {
    const { host, preview, text } = await openSingleParagraph();
    const listener = jest.fn();
    host.onSelectionChanged(listener);
    select(text, 0, text, 7);
    await host.insertFormatted("<h2>X</h2>", "cursor", "X");
    document.dispatchEvent(new Event("selectionchange")); // the page reporting the caret Sidecar placed
    expect(listener.mock.calls).toEqual([[{ programmatic: false }], [{ programmatic: true }]]);
    expect(preview.querySelector("h2")?.getAttribute("data-sidecar-inserted")).toBe("true");
  });

  test("the insert survives re-attaching the preview", async () => {
    const { host } = await openSingleParagraph();
    await host.insertFormatted("<h3>Kept</h3>", "cursor", "Kept");
    host.attachPreview(null);
    const again = mountPreview();
    host.attachPreview(again);
    expect(shape(again)).toEqual([
      ["P", "Walking on imported air"],
      ["H3", "Kept"],
    ]);
  });
});

describe("getCustomProperty", () => {
  test("reads a property from docProps/custom.xml (case-insensitive name), undefined for others", async () => {
    const host = newHost();
    const bytes = withCustomProperties("mammoth-single-paragraph.docx", {
      SidecarDocumentId: "<vt:lpwstr>doc-42</vt:lpwstr>",
    });
    await host.openFile({ name: "generated.docx", bytes });

    await expect(host.getCustomProperty("SidecarDocumentId")).resolves.toBe("doc-42");
    await expect(host.getCustomProperty("sidecardocumentid")).resolves.toBe("doc-42");
    await expect(host.getCustomProperty("Something else")).resolves.toBeUndefined();
  });

  test("other value types come back as text, the way Word would give them", async () => {
    const host = newHost();
    await host.openFile({
      name: "typed.docx",
      bytes: withCustomProperties("mammoth-simple-list.docx", {
        Count: "<vt:i4>42</vt:i4>",
        Ratio: "<vt:r8>2.50</vt:r8>",
        Approved: "<vt:bool>1</vt:bool>",
        Draft: "<vt:bool>false</vt:bool>",
        Released: "<vt:filetime>2025-03-04T05:06:07Z</vt:filetime>",
        Note: "<vt:lpstr>  spaced  </vt:lpstr>",
      }),
    });

    await expect(host.getCustomProperty("Count")).resolves.toBe("42");
    await expect(host.getCustomProperty("Ratio")).resolves.toBe("2.5");
    await expect(host.getCustomProperty("Approved")).resolves.toBe("true");
    await expect(host.getCustomProperty("Draft")).resolves.toBe("false");
    await expect(host.getCustomProperty("Released")).resolves.toBe("2025-03-04T05:06:07.000Z");
    await expect(host.getCustomProperty("Note")).resolves.toBe("  spaced  ");
  });

  test("a document without custom properties gives undefined", async () => {
    const host = newHost();
    await host.openFile({ name: "a.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await expect(host.getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();
  });

  test("a property written by Word itself is read (shared fixture)", async () => {
    const host = newHost();
    await host.openFile({ name: "complex.docx", bytes: fixture("openxml-sdk-complex0.docx") });
    await expect(host.getCustomProperty("Microsoft Theme")).resolves.toBe("citrus 011");
  });

  test("a generated document opened in the preview is recognised; switching documents switches the answer", async () => {
    const host = newHost();
    const generated = withCustomProperties("mammoth-tables.docx", { SidecarDocumentId: "<vt:lpwstr>gen-7</vt:lpwstr>" });
    await host.openFile({ name: "other.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await expect(host.getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();

    await host.openGeneratedDocument(generated, "Generated");
    await expect(host.getCustomProperty("SidecarDocumentId")).resolves.toBe("gen-7");

    await host.openFile({ name: "other.docx", bytes: fixture("mammoth-single-paragraph.docx") });
    await expect(host.getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();

    const reloaded = newHost();
    await host.openGeneratedDocument(generated, "Generated");
    await reloaded.restore();
    await expect(reloaded.getCustomProperty("SidecarDocumentId")).resolves.toBe("gen-7");
  });

  test("without a document it asks for one", async () => {
    expect((await caught(newHost().getCustomProperty("SidecarDocumentId"))).kind).toBe("no_document");
  });
});

// ---------------------------------------------------------------------------------------------
// Selection as a person makes it (the page's selectionchange), headings, and Sidecar's own moves

describe("selection by mouse and keyboard", () => {
  async function openNutritionReport() {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "report.docx", bytes: fixture("openxml-sdk-nutrition-report.docx") });
    const listener = jest.fn();
    host.onSelectionChanged(listener);
    const heading = [...preview.querySelectorAll("h2")].find((h) => h.textContent?.startsWith("Time for action"))!;
    const paragraph = heading.nextElementSibling!;
    return { host, preview, listener, text: paragraph.firstChild as Text };
  }

  test("a mouse drag (mousedown, selection, mouseup) is heard as the person's selection", async () => {
    const { host, listener, text } = await openNutritionReport();
    text.parentElement!.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    select(text, 0, text, 8);
    text.parentElement!.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));

    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ programmatic: false });
    await expect(host.getSelectedText()).resolves.toBe(text.data.slice(0, 8));
  });

  test("a selection running out of the preview (a triple click on its last paragraph ends after it) is the preview's part; one wholly outside is not heard", async () => {
    const { host, preview, listener } = await openNutritionReport();
    const after = document.createElement("button");
    after.textContent = "Pane button";
    document.body.appendChild(after);
    const last = [...preview.querySelectorAll("p")].filter((p) => p.textContent?.trim()).at(-1)!;
    select(last.firstChild!, 0, after, 0);
    expect(listener).toHaveBeenCalledWith({ programmatic: false });
    await expect(host.getSelectedText()).resolves.toBe(last.textContent!.trim());

    listener.mockClear();
    select(after.firstChild!, 0, after.firstChild!, 4);
    expect(listener).not.toHaveBeenCalled();
    await expect(host.getSelectedText()).resolves.toBe(last.textContent!.trim());
  });

  test("shift+arrow keys extend the selection one step at a time, each step heard", async () => {
    const { host, listener, text } = await openNutritionReport();
    const selection = document.getSelection()!;
    selection.collapse(text, 0);
    document.dispatchEvent(new Event("selectionchange"));
    for (let step = 1; step <= 3; step++) {
      text.parentElement!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", shiftKey: true, bubbles: true }));
      selection.extend(text, step);
      document.dispatchEvent(new Event("selectionchange"));
    }

    expect(listener.mock.calls).toEqual([
      [{ programmatic: false }],
      [{ programmatic: false }],
      [{ programmatic: false }],
      [{ programmatic: false }],
    ]);
    await expect(host.getSelectedText()).resolves.toBe(text.data.slice(0, 3));
  });

  test("clicking elsewhere in the preview clears the selection: heard, and the selected text is ''", async () => {
    const { host, listener, text } = await openNutritionReport();
    select(text, 0, text, 8);
    select(text, 12); // a click: the selection collapses to the caret

    expect(listener).toHaveBeenCalledTimes(2);
    await expect(host.getSelectedText()).resolves.toBe("");
    await expect(host.getSelectionContext()).resolves.toMatchObject({ text: "" });
  });

  test("the same selection reported twice is heard once", async () => {
    const { listener, text } = await openNutritionReport();
    select(text, 0, text, 8);
    document.dispatchEvent(new Event("selectionchange"));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  test("the caret after an insert is Sidecar's own move", async () => {
    const { host, listener, text } = await openNutritionReport();
    select(text, 0, text, 8);
    await host.insertText("New line", "cursor");
    document.dispatchEvent(new Event("selectionchange")); // the page reporting the caret Sidecar placed
    expect(listener.mock.calls).toEqual([[{ programmatic: false }], [{ programmatic: true }]]);
  });
});

describe("goToHeading (browser tab)", () => {
  // jsdom lays nothing out: every element is given a top 20 px below the one before it in the
  // document, and scrollTo calls are recorded, so a test can tell which element was scrolled to
  // the top of which container. Only the preview may scroll (never the page or the pane).
  const ROW = 20;
  let scrolls: Array<{ container: Element; top: number }>;
  const realRect = Element.prototype.getBoundingClientRect;
  const realWindowScroll = window.scrollTo;
  const position = (element: Element) => [...document.querySelectorAll("*")].indexOf(element);
  beforeEach(() => {
    scrolls = [];
    Element.prototype.getBoundingClientRect = function (this: Element) {
      const top = position(this) * ROW;
      return { top, bottom: top + ROW, left: 0, right: 0, width: 0, height: ROW, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
    };
    (Element.prototype as { scrollTo?: unknown }).scrollTo = function (this: Element, options: ScrollToOptions) {
      scrolls.push({ container: this, top: options.top ?? 0 });
    };
    window.scrollTo = () => {
      throw new Error("the page must not scroll");
    };
  });
  afterEach(() => {
    Element.prototype.getBoundingClientRect = realRect;
    window.scrollTo = realWindowScroll;
    delete (Element.prototype as { scrollTo?: unknown }).scrollTo;
  });
  /** The element the nth scroll put at the top of its container. */
  const scrolledTo = (nth: number) => {
    const scroll = scrolls[nth]!;
    return [...scroll.container.querySelectorAll("*")].find((element) => (position(element) - position(scroll.container)) * ROW === scroll.top);
  };

  async function open(name: string) {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name, bytes: fixture(name) });
    const listener = jest.fn();
    host.onSelectionChanged(listener);
    return { host, preview, listener };
  }

  const headingWith = (preview: Element, tag: string, text: string, nth = 1) =>
    [...preview.querySelectorAll(tag)].filter((h) => h.textContent?.trim() === text)[nth - 1]!;

  test("selects a heading's text as mammoth renders it (nutrition report), and scrolls it to the top", async () => {
    const { host, preview } = await open("openxml-sdk-nutrition-report.docx");
    const heading = headingWith(preview, "h2", "Not only a problem of developing countries");

    await expect(host.goToHeading("not only a problem of developing countries")).resolves.toBe(true);

    expect(document.getSelection()!.toString()).toBe("Not only a problem of developing countries ");
    await expect(host.getSelectedText()).resolves.toBe("Not only a problem of developing countries ");
    expect(scrolls).toHaveLength(1);
    expect(scrolls[0]!.container).toBe(preview);
    expect(scrolledTo(0)).toBe(heading);
  });

  test("a title split over consecutive headings (the report's two h1 lines) selects both", async () => {
    const { host, preview } = await open("openxml-sdk-nutrition-report.docx");
    const first = headingWith(preview, "h1", "5. EUROPEAN HEALTH FORUM GASTEIN –");

    await expect(host.goToHeading("5. European Health Forum Gastein - on the Future of Health in Europe")).resolves.toBe(true);

    expect(document.getSelection()!.toString()).toBe("5. EUROPEAN HEALTH FORUM GASTEIN –on the Future of Health in Europe");
    await expect(host.getSelectedText()).resolves.toBe("5. EUROPEAN HEALTH FORUM GASTEIN –\non the Future of Health in Europe");
    expect(scrolledTo(0)).toBe(first);
  });

  test("a heading with a bookmark inside and an en dash, given with a hyphen", async () => {
    const { host } = await open("openxml-sdk-nutrition-report.docx");
    await expect(host.goToHeading("Parallelforum IV: Health Determinants - Nutrition and Food Policy")).resolves.toBe(true);
    expect(document.getSelection()!.toString()).toBe("Parallelforum IV: Health Determinants – Nutrition and Food Policy");
  });

  test("occurrence picks among headings with the same title (complex0 has two 'Three Columns')", async () => {
    const { host, preview } = await open("openxml-sdk-complex0.docx");
    const second = headingWith(preview, "h3", "Three Columns", 2);

    await expect(host.goToHeading("Three Columns", 2)).resolves.toBe(true);
    expect(scrolledTo(0)).toBe(second);
    expect(second.contains(document.getSelection()!.anchorNode)).toBe(true);

    await expect(host.goToHeading("Three Columns", 3)).resolves.toBe(false);
  });

  test("no such heading: false, and the selection, the scroll position and the listeners are left alone", async () => {
    const { host, preview, listener } = await open("openxml-sdk-nutrition-report.docx");
    const paragraph = preview.querySelector("h2 + p")!.firstChild as Text;
    select(paragraph, 0, paragraph, 9);
    listener.mockClear();

    await expect(host.goToHeading("Conclusions")).resolves.toBe(false);
    await expect(host.goToHeading("Europeans lack the consciousness")).resolves.toBe(false); // body text, not a heading

    expect(scrolls).toEqual([]);
    expect(listener).not.toHaveBeenCalled();
    await expect(host.getSelectedText()).resolves.toBe(paragraph.data.slice(0, 9));
  });

  test("HTML-level cases: curly quotes, nbsp, dashes and case; a <br> in a heading; body text is no heading", async () => {
    const { host, preview } = await open("mammoth-single-paragraph.docx");
    preview.innerHTML =
      "<p>Costs &amp; “Savings” — 2024</p>" +
      "<h2>Costs &amp; “Savings”&nbsp;— 2024</h2>" +
      "<p>Text.</p>" +
      "<h3>Line<br>break</h3>" +
      "<h1>Part A</h1><p>Text.</p><h1>Part B</h1>" +
      "<h1>Part C</h1><p> </p><h1>Part D</h1>";

    await expect(host.goToHeading('costs & "savings" - 2024')).resolves.toBe(true);
    expect(scrolledTo(0)).toBe(preview.querySelector("h2"));
    await expect(host.goToHeading("Line break")).resolves.toBe(true);
    expect(scrolledTo(1)).toBe(preview.querySelector("h3"));
    await expect(host.goToHeading("Part A Part B")).resolves.toBe(false); // text between: not one heading
    await expect(host.goToHeading("Part C Part D")).resolves.toBe(true); // an empty paragraph between doesn't count
    expect(document.getSelection()!.toString()).toBe("Part C Part D");
  });

  test("the report's title block as the server names it (four h1 parts, one title) selects all four", async () => {
    const { host, preview } = await open("openxml-sdk-nutrition-report.docx");
    const title =
      "5. EUROPEAN HEALTH FORUM GASTEIN – on the Future of Health in Europe 25 to 28 September 2002 Parallelforum IV: Health Determinants – Nutrition and Food Policy";
    await expect(host.goToHeading(title)).resolves.toBe(true);
    const h1s = [...preview.querySelectorAll("h1")];
    const selected = document.getSelection()!.getRangeAt(0);
    expect(h1s.every((h1) => selected.intersectsNode(h1))).toBe(true);
    expect(scrolledTo(0)).toBe(h1s[0]);
  });

  test("listeners hear the move once, marked programmatic; the page's own report of it adds nothing", async () => {
    const { host, preview, listener } = await open("openxml-sdk-nutrition-report.docx");

    await host.goToHeading("Time for action");
    document.dispatchEvent(new Event("selectionchange")); // the page reporting the selection Sidecar made

    expect(listener.mock.calls).toEqual([[{ programmatic: true }]]);

    const paragraph = headingWith(preview, "h2", "Time for action").nextElementSibling!.firstChild as Text;
    select(paragraph, 0, paragraph, 4);
    expect(listener.mock.calls).toEqual([[{ programmatic: true }], [{ programmatic: false }]]);
  });

  test("without a document it asks for one; with no preview on screen it is false", async () => {
    const host = newHost();
    expect((await caught(host.goToHeading("Anything"))).kind).toBe("no_document");
    await host.openFile({ name: "a.docx", bytes: fixture("openxml-sdk-nutrition-report.docx") });
    await expect(host.goToHeading("Time for action")).resolves.toBe(false);
  });
});

describe("selectPassage (browser tab)", () => {
  async function open(name: string) {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name, bytes: fixture(name) });
    const listener = jest.fn();
    host.onSelectionChanged(listener);
    return { host, preview, listener };
  }

  /** The passages the local server cuts this fixture into, the texts its citations carry (docs/api.md "Chat"). */
  function serverPassages(name: string): string[] {
    const files = unzipSync(fixture(name));
    const paragraphs = paragraphsFromXml(strFromU8(files["word/document.xml"]!), files["word/styles.xml"] ? strFromU8(files["word/styles.xml"]) : null);
    return splitIntoPassages(paragraphs).map((passage) => passage.text);
  }

  /** As the server cleans text: white space collapsed, soft hyphens and zero-width characters dropped. */
  const collapsed = cleanText;

  test("every passage the server would cite in the nutrition report is selected exactly, the pieces of a long paragraph too", async () => {
    const { host, listener } = await open("openxml-sdk-nutrition-report.docx");
    const passages = serverPassages("openxml-sdk-nutrition-report.docx");
    // Paragraph 36 is long: the server cuts it into three passages, two of which start mid-paragraph.
    expect(passages.some((text) => text.startsWith("By means of categories"))).toBe(true);
    for (const passage of passages) {
      listener.mockClear();
      await expect(host.selectPassage(passage)).resolves.toBe(true);
      expect(collapsed(await host.getSelectedText())).toBe(collapsed(passage));
      expect(listener).toHaveBeenCalledWith({ programmatic: true });
    }
  });

  test("white space the server collapsed (tabs, non-breaking spaces, line breaks) and paragraphs given one per line still match", async () => {
    const { host, preview } = await open("mammoth-single-paragraph.docx");
    preview.innerHTML =
      "<p>Intro.</p><p>Costs\u00a0rose\tby a third</p><p>in <strong>every</strong> region.</p><p>Note: costs rose by a third in some years.</p>";
    await expect(host.selectPassage("Costs rose by a third\nin every region.")).resolves.toBe(true);
    await expect(host.getSelectedText()).resolves.toBe("Costs\u00a0rose\tby a third\nin every region.");
    // A piece in the middle of a paragraph: only that piece.
    await expect(host.selectPassage("costs rose by a third")).resolves.toBe(true);
    expect(document.getSelection()!.toString()).toBe("costs rose by a third");
  });

  test("a passage edited inside since it was uploaded is still found by its first and last words", async () => {
    const { host, preview } = await open("mammoth-single-paragraph.docx");
    const now =
      "Mortality fell by a third in the ten years of the study, most of all among children under five, and the trial ran on in four countries until the end of 2004.";
    preview.innerHTML = `<p>Before.</p><p>${now}</p><p>After.</p>`;
    const then = now.replace("most of all among", "above all for");
    await expect(host.selectPassage(then)).resolves.toBe(true);
    expect(document.getSelection()!.toString()).toBe(now);
  });

  test("the page reporting the selected passage late (a busy page), with its ends moved to other nodes, is still heard as Sidecar's own move", async () => {
    const { host, preview, listener } = await open("mammoth-single-paragraph.docx");
    preview.innerHTML = "<p>Before.</p><p>Costs rose by a third in <strong>every</strong> region.</p><p>After.</p>";
    await expect(host.selectPassage("Costs rose by a third in every region.")).resolves.toBe(true);
    expect(listener.mock.calls).toEqual([[{ programmatic: true }]]);
    listener.mockClear();
    // A second later the page's selectionchange comes, its end given in the paragraph, not its text.
    const paragraph = preview.querySelectorAll("p")[1]!;
    const now = Date.now();
    const later = jest.spyOn(Date, "now").mockReturnValue(now + 1000);
    try {
      select(paragraph.firstChild!, 0, paragraph, paragraph.childNodes.length);
      expect(listener.mock.calls).toEqual([[{ programmatic: true }]]);
      // The person's next selection is theirs.
      select(paragraph.firstChild!, 0, paragraph.firstChild!, 5);
      expect(listener.mock.calls).toEqual([[{ programmatic: true }], [{ programmatic: false }]]);
    } finally {
      later.mockRestore();
    }
  });

  test("text that is not in the document (edited since): false, and the selection is left alone", async () => {
    const { host, preview, listener } = await open("openxml-sdk-nutrition-report.docx");
    const paragraph = preview.querySelector("h2 + p")!.firstChild as Text;
    select(paragraph, 0, paragraph, 9);
    listener.mockClear();
    await expect(host.selectPassage("Europeans have long known that nutrition is a problem in highly developed countries.")).resolves.toBe(false);
    await expect(host.selectPassage(" \n ")).resolves.toBe(false);
    expect(listener).not.toHaveBeenCalled();
    await expect(host.getSelectedText()).resolves.toBe(paragraph.data.slice(0, 9));
  });

  test("without a document it asks for one", async () => {
    const host = newHost();
    expect((await caught(host.selectPassage("Anything at all"))).kind).toBe("no_document");
  });
});

describe("getSelectionContext (browser tab)", () => {
  async function open(name: string) {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name, bytes: fixture(name) });
    return { host, preview };
  }

  const textAfter = (heading: Element) => {
    let block = heading.nextElementSibling!;
    while (!block.textContent?.trim()) block = block.nextElementSibling!;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    return walker.nextNode() as Text;
  };

  test("the nearest heading above the selection, whitespace collapsed", async () => {
    const { host, preview } = await open("openxml-sdk-nutrition-report.docx");
    const heading = [...preview.querySelectorAll("h2")].find((h) => h.textContent?.startsWith("The West-East Divide"))!;
    const text = textAfter(heading);
    select(text, 0, text, 5);

    await expect(host.getSelectionContext()).resolves.toEqual({
      text: text.data.slice(0, 5),
      headingTitle: "The West-East Divide",
      headingOccurrence: 1,
    });
  });

  test("under the second 'Three Columns': occurrence 2, and goToHeading goes back to that heading", async () => {
    const { host, preview } = await open("openxml-sdk-complex0.docx");
    const second = [...preview.querySelectorAll("h3")].filter((h) => h.textContent?.trim() === "Three Columns")[1]!;
    const text = textAfter(second);
    select(text, 0, text, 3);

    const context = await host.getSelectionContext();
    expect(context).toMatchObject({ headingTitle: "Three Columns", headingOccurrence: 2 });

    await host.goToHeading(context.headingTitle!, context.headingOccurrence);
    expect(second.contains(document.getSelection()!.anchorNode)).toBe(true);
  });

  test("the nearest heading of any level counts (an h4 under an h3)", async () => {
    const { host, preview } = await open("openxml-sdk-complex0.docx");
    const h4 = preview.querySelector("h4")!;
    const text = textAfter(h4);
    select(text, 0, text, 1);
    await expect(host.getSelectionContext()).resolves.toMatchObject({ headingTitle: "Arial", headingOccurrence: 1 });
  });

  test("in a heading broken over several h1 (the report's title block): the whole title, from any part", async () => {
    const { host, preview } = await open("openxml-sdk-nutrition-report.docx");
    const title =
      "5. EUROPEAN HEALTH FORUM GASTEIN – on the Future of Health in Europe 25 to 28 September 2002 Parallelforum IV: Health Determinants – Nutrition and Food Policy";
    const firstPart = preview.querySelector("h1")!.firstChild as Text;
    select(firstPart, 3, firstPart, 11);
    await expect(host.getSelectionContext()).resolves.toEqual({ text: "EUROPEAN", headingTitle: title, headingOccurrence: 1 });

    const below = textAfter(preview.querySelectorAll("h1")[3]!);
    select(below, 0, below, 3);
    await expect(host.getSelectionContext()).resolves.toMatchObject({ headingTitle: title, headingOccurrence: 1 });
  });

  test("a selection inside a heading belongs to it; none above or no selection: just the text", async () => {
    const { host, preview } = await open("mammoth-single-paragraph.docx");
    await expect(host.getSelectionContext()).resolves.toEqual({ text: "" });
    preview.innerHTML = "<p>Preface</p><h1>Scope</h1><p>Body</p>";
    const preface = preview.querySelector("p")!.firstChild as Text;
    select(preface, 0, preface, 3);
    await expect(host.getSelectionContext()).resolves.toEqual({ text: "Pre" });
    const scope = preview.querySelector("h1")!.firstChild as Text;
    select(scope, 1, scope, 3);
    await expect(host.getSelectionContext()).resolves.toEqual({ text: "co", headingTitle: "Scope", headingOccurrence: 1 });
  });
});

describe("a long document: its first pages first", () => {
  /** A document of `chapters` chapters (a Heading 1 and 12 long paragraphs each): ~600 KB of document.xml at 60. */
  async function longDocx(chapters: number): Promise<Uint8Array<ArrayBuffer>> {
    const { Document, HeadingLevel, Packer, Paragraph } = await import("docx");
    const children = [];
    for (let c = 1; c <= chapters; c++) {
      children.push(new Paragraph({ text: `Chapter ${c}`, heading: HeadingLevel.HEADING_1 }));
      for (let p = 1; p <= 12; p++) children.push(new Paragraph({ text: `Chapter ${c} paragraph ${p}. ${"Lorem ipsum dolor sit amet consectetur. ".repeat(12)}` }));
    }
    return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
  }

  test("endOfBlocks counts the body's blocks: a table, a content control or a text box is part of one", () => {
    const xml =
      '<w:document><w:body><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>One</w:t></w:r></w:p>' +
      "<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p><w:p/></w:tc></w:tr></w:tbl>" +
      "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>" +
      "<w:p/>" +
      '<w:p w:rsidR="1"><w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>' +
      "<w:sectPr/></w:body></w:document>";
    const after = (blocks: number) => {
      const end = endOfBlocks(xml, blocks);
      return end === null ? null : xml.slice(0, end);
    };
    expect(after(1)).toMatch(/<w:t>One<\/w:t><\/w:r><\/w:p>$/);
    expect(after(2)).toMatch(/<\/w:tbl>$/);
    expect(after(3)).toMatch(/<\/w:sdt>$/);
    expect(after(4)).toMatch(/<\/w:sdt><w:p\/>$/);
    expect(after(5)).toMatch(/<\/w:txbxContent><\/w:drawing><\/w:r><\/w:p>$/);
    expect(after(6)).toBeNull();
  });

  test("a short document is converted whole: there is no head to cut", async () => {
    await expect(docxHead(fixture("mammoth-single-paragraph.docx"))).resolves.toBeNull();
  });

  test("shows its first pages at once, marked partial, then the whole document where the person is reading", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    const seen: Array<{ status: string; partial?: boolean; paragraphs: number }> = [];
    host.subscribe(() => seen.push({ status: host.getSnapshot().status, partial: host.getSnapshot().partial, paragraphs: preview.querySelectorAll("p").length }));

    await host.openFile({ name: "Long.docx", bytes: await longDocx(60) });

    expect(seen.map(({ status, partial }) => `${status}${partial ? " (partial)" : ""}`)).toEqual(["loading", "ready (partial)", "ready"]);
    // The first screen held the first blocks only (40 of 780); the whole document followed.
    expect(seen[1]!.paragraphs).toBeGreaterThan(20);
    expect(seen[1]!.paragraphs).toBeLessThanOrEqual(HEAD_BLOCKS);
    expect(preview.querySelectorAll("h1")).toHaveLength(60);
    expect(preview.querySelectorAll("p")).toHaveLength(720);
    expect(host.getSnapshot()).toEqual({ status: "ready", name: "Long.docx", key: expect.any(String) });
  });

  test("what the person does while the rest is on its way waits for it: nothing is lost when it arrives", async () => {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    const partial = new Promise<void>((resolve) => host.subscribe(() => host.getSnapshot().partial && resolve()));
    const opened = host.openFile({ name: "Long.docx", bytes: await longDocx(60) });
    await partial;
    // Selected in the first pages: "paragraph 2" of chapter 1.
    const second = [...preview.querySelectorAll("p")].find((p) => p.textContent?.startsWith("Chapter 1 paragraph 2."))!;
    select(second.firstChild!, 0, second.firstChild!, "Chapter 1 paragraph 2.".length);
    // Inserted at the selection, and a heading that is not on screen yet is found.
    const inserted = host.insertText("Written while loading", "cursor");
    const found = host.goToHeading("Chapter 58");
    await opened;
    await inserted;
    await expect(found).resolves.toBe(true);
    const texts = [...preview.querySelectorAll("p")].map((p) => p.textContent ?? "");
    const at = texts.indexOf("Written while loading");
    expect(texts[at - 1]).toBe("Chapter 1 paragraph 2.");
    expect(preview.querySelectorAll("h1")).toHaveLength(60);
    await expect(host.getSelectedText()).resolves.toBe("Chapter 58");
  });
});

describe("writeSection (browser tab)", () => {
  const WEST_EAST = { documentId: "task-1", sectionId: "s-divide", title: "The West-East Divide" };
  async function open() {
    const host = newHost();
    const preview = mountPreview();
    host.attachPreview(preview);
    await host.openFile({ name: "openxml-sdk-nutrition-report.docx", bytes: fixture("openxml-sdk-nutrition-report.docx") });
    return { host, preview };
  }
  const content = { html: "<p>Diets differ.[1]</p><p onclick=\"x()\">Second <script>bad()</script>paragraph.</p>", plainText: "Diets differ.[1]\nSecond paragraph." };

  test("under its heading, in an element tagged like Word's content control; the section of a selection inside it is found by that element", async () => {
    const { host, preview } = await open();
    const heading = [...preview.querySelectorAll("h2")].find((h) => h.textContent?.startsWith("The West-East Divide"))!;
    const after = heading.nextElementSibling;
    await expect(host.writeSection(WEST_EAST, content)).resolves.toBe("under-heading");

    const written = heading.nextElementSibling as HTMLElement;
    expect(written.getAttribute("data-sidecar-section")).toBe("sidecar:section:task-1:s-divide");
    expect(written.getAttribute("data-sidecar-title")).toBe("Sidecar: The West-East Divide");
    expect(paragraphs(written)).toEqual(["Diets differ.[1]", "Second paragraph."]);
    expect(written.innerHTML).not.toMatch(/script|onclick/);
    expect(written.nextElementSibling).toBe(after);
    await expect(host.getWrittenSections()).resolves.toEqual([WEST_EAST]);

    // The writer renames the heading: a selection in the section still knows which it is.
    heading.textContent = "East and West";
    const text = written.querySelector("p")!.firstChild as Text;
    select(text, 0, text, 5);
    const context = await host.getSelectedTextAndSection();
    expect(context.writtenSection).toEqual(WEST_EAST);
    expect(context.text).toBe("Diets");
  });

  test("written before: refused without replace, replaced in place with it; no heading: at the cursor after a heading of its own", async () => {
    const { host, preview } = await open();
    await host.writeSection(WEST_EAST, content);
    const error = await caught(host.writeSection({ ...WEST_EAST, documentId: "task-2" }, { html: "<p>New.</p>", plainText: "New." }));
    expect(error.kind).toBe("already_written");
    await expect(host.writeSection({ ...WEST_EAST, documentId: "task-2" }, { html: "<p>New.</p>", plainText: "New." }, { replace: true })).resolves.toBe("replaced");
    const sections = preview.querySelectorAll("[data-sidecar-section]");
    expect(sections).toHaveLength(1);
    expect(paragraphs(sections[0]!)).toEqual(["New."]);
    expect(sections[0]!.getAttribute("data-sidecar-section")).toBe("sidecar:section:task-2:s-divide");

    const first = preview.querySelector("p")!;
    select(first.firstChild!, 0);
    const risks = { documentId: "task-3", sectionId: "s-risks", title: "Risks" };
    await expect(host.writeSection(risks, { html: "<p>Few.</p>", plainText: "Few." })).resolves.toBe("at-cursor");
    const added = preview.querySelector('[data-sidecar-section="sidecar:section:task-3:s-risks"]')!;
    expect(added.previousElementSibling?.tagName).toBe("H1");
    expect(added.previousElementSibling?.textContent).toBe("Risks");
    await expect(host.getWrittenSections()).resolves.toEqual([risks, { ...WEST_EAST, documentId: "task-2" }]);
  });

  test("as a suggestion: a new section is one suggestion (rejecting removes it); a replaced one keeps its old text struck through until accepted; nothing without a document", async () => {
    const { host, preview } = await open();
    const before = preview.innerHTML;
    await host.writeSection(WEST_EAST, content, { suggest: true });
    const first = host.getSnapshot().suggestions!;
    expect(first).toHaveLength(1);
    expect(host.resolveSuggestion(first[0]!.id, false)).toBe(true);
    expect(preview.innerHTML).toBe(before);
    await expect(host.getWrittenSections()).resolves.toEqual([]);

    await host.writeSection(WEST_EAST, content);
    await host.writeSection({ ...WEST_EAST, documentId: "task-2" }, { html: "<p>New.</p>", plainText: "New." }, { replace: true, suggest: true });
    const section = preview.querySelector("[data-sidecar-section]")!;
    expect(section.querySelector("del")?.textContent).toContain("Diets differ.[1]");
    const [replaced] = host.getSnapshot().suggestions!;
    expect(replaced).toMatchObject({ inserted: "New.", deleted: expect.stringContaining("Diets differ.[1]") });
    host.resolveSuggestion(replaced!.id, true);
    expect(paragraphs(section)).toEqual(["New."]);

    const empty = newHost();
    expect((await caught(empty.writeSection(WEST_EAST, content))).kind).toBe("no_document");
    await expect(empty.getWrittenSections()).resolves.toEqual([]);
  });
});
