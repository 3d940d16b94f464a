import { OfficeMockObject } from "office-addin-mock";
import { OfficeError, type ReadProgress } from "../../../src/taskpane/office/document-host";
import {
  MAX_INSERT_BYTES,
  PROGRAMMATIC_SELECTION_MS,
  SLICE_SIZE,
  createWordHost,
  documentNameFromUrl,
} from "../../../src/taskpane/office/word-host";
import { readFixture } from "../../support/fixtures";
import {
  caught,
  fakeFile,
  fakeOffice,
  fakeWordDocument,
  fakeWordInsert,
  gettingFile,
  installOffice,
  type Callback,
  type FakeParagraphSpec,
} from "./office-fakes";

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));


function bytesFrom(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

afterEach(() => {
  installOffice(undefined);
  delete (globalThis as { Word?: unknown }).Word;
});

describe("readDocument", () => {
  test("assembles number[], Uint8Array and ArrayBuffer slices byte-exact, reporting progress per slice", async () => {
    const expected = bytesFrom(10 + 7 + 4);
    const asArray = Array.from(expected.subarray(0, 10)); // some platforms hand over number[]
    const asView = expected.slice(10, 17);
    const asBuffer = expected.slice(17).buffer;
    const { file } = fakeFile(expected.length, [{ data: asArray }, { data: asView }, { data: asBuffer }]);
    const office = fakeOffice({ getFileAsync: gettingFile(file) });
    installOffice(office);
    const progress: ReadProgress[] = [];

    const docx = await createWordHost().readDocument({ onProgress: (p) => progress.push(p) });
    const bytes = new Uint8Array(await docx.arrayBuffer());

    expect(docx).toBeInstanceOf(Blob);
    expect(docx.type).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(sameBytes(bytes, expected)).toBe(true);
    expect(progress).toEqual([
      { bytesRead: 10, totalBytes: 21 },
      { bytesRead: 17, totalBytes: 21 },
      { bytesRead: 21, totalBytes: 21 },
    ]);
    expect(office.context.document.getFileAsync).toHaveBeenCalledWith(
      "compressed",
      { sliceSize: 4 * 1024 * 1024 },
      expect.any(Function),
    );
    expect(file.getSliceAsync.mock.calls.map((call) => call[0])).toEqual([0, 1, 2]);
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("a 20 MB document in 4 MB slices comes back whole", async () => {
    const size = 20 * 1024 * 1024 + 123;
    const expected = bytesFrom(size, 3);
    const slices = [];
    for (let at = 0; at < size; at += SLICE_SIZE) slices.push({ data: expected.subarray(at, at + SLICE_SIZE) });
    const { file } = fakeFile(size, slices);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));
    const progress: ReadProgress[] = [];

    const bytes = new Uint8Array(await (await createWordHost().readDocument({ onProgress: (p) => progress.push(p) })).arrayBuffer());

    expect(slices).toHaveLength(6);
    expect(sameBytes(bytes, expected)).toBe(true);
    expect(progress.map((p) => p.bytesRead)).toEqual([1, 2, 3, 4, 5].map((n) => n * SLICE_SIZE).concat(size));
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("a failing slice closes the file once and says what to do", async () => {
    const { file } = fakeFile(8, [
      { data: [1, 2, 3, 4] },
      { data: [], error: { code: 5001, name: "Internal Error", message: "An internal error has occurred." } },
    ]);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));

    const error = await caught(createWordHost().readDocument());

    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/Save the document, then try again/);
    expect(error.message).toMatch(/Word error 5001/);
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("getFileAsync failing: nothing to close, and 'another file operation' gets its own words", async () => {
    const getFileAsync = jest.fn((_t: string, _o: unknown, callback: Callback<unknown>) =>
      setTimeout(() =>
        callback({
          status: "failed",
          error: { code: 11000, name: "Memory Limit Exceeded", message: "Call closeAsync on the current File before retrieving another." },
        }),
      ),
    );
    installOffice(fakeOffice({ getFileAsync }));

    const error = await caught(createWordHost().readDocument());

    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/busy with another file operation/);
    expect(error.message).toMatch(/try again/);
  });

  test.each([
    [1008, /too large/],
    [5100, /earlier request/],
    [11001, /network problem/],
    [9999, /couldn't hand over the document/],
  ])("getFileAsync error %i is put in words", async (code, words) => {
    const getFileAsync = jest.fn((_t: string, _o: unknown, callback: Callback<unknown>) =>
      callback({ status: "failed", error: { code, name: "Some Error", message: "raw" } }),
    );
    installOffice(fakeOffice({ getFileAsync }));
    const error = await caught(createWordHost().readDocument());
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(words);
    expect(error.message).not.toBe("raw");
  });

  test("aborting between slices stops reading, closes the file once and says 'aborted'", async () => {
    const { file } = fakeFile(12, [{ data: [1, 2, 3, 4] }, { data: [5, 6, 7, 8] }, { data: [9, 10, 11, 12] }]);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));
    const controller = new AbortController();

    const error = await caught(
      createWordHost().readDocument({ signal: controller.signal, onProgress: () => controller.abort() }),
    );

    expect(error.kind).toBe("aborted");
    expect(file.getSliceAsync).toHaveBeenCalledTimes(1);
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("aborting while Word is producing a slice rejects at once and closes after Word answers", async () => {
    const held = fakeFile(8, [{ data: [1, 2, 3, 4] }, { data: [5, 6, 7, 8] }], { holdSlices: true });
    installOffice(fakeOffice({ getFileAsync: gettingFile(held.file) }));
    const controller = new AbortController();
    const reading = createWordHost().readDocument({ signal: controller.signal });
    await flush();
    expect(held.pendingSlices()).toBe(1);

    controller.abort();
    const error = await caught(reading);
    expect(error.kind).toBe("aborted");
    expect(held.file.closeAsync).not.toHaveBeenCalled(); // the slice is still with Word

    held.releaseNext();
    await flush();
    expect(held.file.closeAsync).toHaveBeenCalledTimes(1);
    expect(held.file.getSliceAsync).toHaveBeenCalledTimes(1);
  });

  test("aborting before Word hands over the file still closes that file", async () => {
    const { file } = fakeFile(4, [{ data: [1, 2, 3, 4] }]);
    let answer: () => void = () => undefined;
    const getFileAsync = jest.fn((_t: string, _o: unknown, callback: Callback<unknown>) => {
      answer = () => callback({ status: "succeeded", value: file });
    });
    installOffice(fakeOffice({ getFileAsync }));
    const controller = new AbortController();
    const reading = createWordHost().readDocument({ signal: controller.signal });

    controller.abort();
    expect((await caught(reading)).kind).toBe("aborted");
    answer();
    expect(file.getSliceAsync).not.toHaveBeenCalled();
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("an already aborted signal never asks Word for the file", async () => {
    const office = fakeOffice();
    installOffice(office);
    const controller = new AbortController();
    controller.abort();
    expect((await caught(createWordHost().readDocument({ signal: controller.signal }))).kind).toBe("aborted");
    expect(office.context.document.getFileAsync).not.toHaveBeenCalled();
  });

  test("a Word without getFileAsync is reported as unsupported", async () => {
    const office = fakeOffice();
    delete (office.context.document as { getFileAsync?: unknown }).getFileAsync;
    installOffice(office);
    const error = await caught(createWordHost().readDocument());
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/Update Word or use Word on the web/);
  });

  test("fewer bytes than the announced size fails with read_failed (and closes)", async () => {
    const { file } = fakeFile(10, [{ data: [1, 2, 3, 4] }, { data: [5, 6] }]);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));
    const error = await caught(createWordHost().readDocument());
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/6 of the document's 10 bytes/);
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("more bytes than the announced size fails with read_failed (and closes)", async () => {
    const { file } = fakeFile(5, [{ data: [1, 2, 3, 4] }, { data: [5, 6] }]);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));
    const error = await caught(createWordHost().readDocument());
    expect(error.kind).toBe("read_failed");
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("a progress callback that throws still closes the file", async () => {
    const { file } = fakeFile(4, [{ data: [1, 2] }, { data: [3, 4] }]);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));
    const error = await caught(
      createWordHost().readDocument({
        onProgress: () => {
          throw new Error("render failed");
        },
      }),
    );
    expect(error.kind).toBe("read_failed");
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });

  test("slice data of an unknown shape is refused in words", async () => {
    const { file } = fakeFile(4, [{ data: "UEsDBA==" }]);
    installOffice(fakeOffice({ getFileAsync: gettingFile(file) }));
    const error = await caught(createWordHost().readDocument());
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/can't read/);
    expect(file.closeAsync).toHaveBeenCalledTimes(1);
  });
});

describe("getDocumentName", () => {
  test.each([
    ["https://contoso.sharepoint.com/sites/team/Shared%20Documents/Quarterly%20Report.docx?web=1", "Quarterly Report.docx"],
    ["https://d.docs.live.net/abc123/Documents/notes.docx#section", "notes.docx"],
    ["C:\\Users\\ana\\Documents\\Contract draft.docx", "Contract draft.docx"],
    ["\\\\server\\share\\Plan.DOCX", "Plan.docx"],
    ["/Users/ana/Library/Letter.docm", "Letter.docx"],
    ["file:///home/ana/Old%20memo.doc", "Old memo.docx"],
    ["https://contoso.sharepoint.com/:w:/r/sites/x/_layouts/15/Doc.aspx?sourcedoc=%7B1%7D&file=Budget%202025.docx&action=default", "Budget 2025.docx"],
    ["https://example.com/files/Report%ZZ.docx", "Report%ZZ.docx"],
    ["C:\\Docs\\Minutes", "Minutes.docx"],
    ["", "Untitled document.docx"],
    ["   ", "Untitled document.docx"],
  ])("%s → %s", async (url, name) => {
    installOffice(fakeOffice({ url }));
    await expect(createWordHost().getDocumentName()).resolves.toBe(name);
  });

  test("documentNameFromUrl copes with a missing url", () => {
    expect(documentNameFromUrl(undefined)).toBe("Untitled document.docx");
    expect(documentNameFromUrl(null)).toBe("Untitled document.docx");
  });
});

describe("selection and insert (Word.run through office-addin-mock)", () => {
  function installWord(selectionText = "hello world") {
    const inserted = { select: jest.fn() };
    const wordData = {
      context: {
        document: {
          selection: { text: selectionText, insertText: jest.fn(() => inserted) },
          getSelection: function (this: { selection: unknown }) {
            return this.selection;
          },
        },
      },
      run: async function (this: { context: unknown }, callback: (context: unknown) => Promise<unknown>) {
        return callback(this.context);
      },
    };
    (globalThis as { Word?: unknown }).Word = new OfficeMockObject(wordData);
    return { insertText: wordData.context.document.selection.insertText, inserted };
  }

  beforeEach(() => installOffice(fakeOffice()));

  test("getSelectedText returns the loaded selection text", async () => {
    installWord("The quick brown fox");
    await expect(createWordHost().getSelectedText()).resolves.toBe("The quick brown fox");
  });

  test("replace puts the text in place of the selection and leaves the cursor after it", async () => {
    const { insertText, inserted } = installWord();
    await createWordHost().insertText("Better wording", "replace");
    expect(insertText).toHaveBeenCalledWith("Better wording", "Replace");
    expect(inserted.select).toHaveBeenCalledWith("End");
  });

  test("cursor inserts after the selection (keeping it) and moves the cursor after the new text", async () => {
    const { insertText, inserted } = installWord();
    await createWordHost().insertText("An answer", "cursor");
    expect(insertText).toHaveBeenCalledWith("An answer", "End");
    expect(insertText).not.toHaveBeenCalledWith(expect.anything(), "Replace");
    expect(inserted.select).toHaveBeenCalledWith("End");
  });

  test("multi-line text reaches Word in one insert with \\n line ends (Word makes them paragraphs)", async () => {
    const { insertText } = installWord();
    await createWordHost().insertText("First line\r\nSecond line\rThird line\nFourth", "cursor");
    expect(insertText).toHaveBeenCalledTimes(1);
    expect(insertText).toHaveBeenCalledWith("First line\nSecond line\nThird line\nFourth", "End");
  });

  test("a protected document turns into write_failed with words", async () => {
    (globalThis as { Word?: unknown }).Word = {
      run: () => Promise.reject(Object.assign(new Error("AccessDenied"), { code: "AccessDenied" })),
    };
    const error = await caught(createWordHost().insertText("x", "replace"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/protected/);
  });

  test("other Word.run failures still come with words", async () => {
    (globalThis as { Word?: unknown }).Word = {
      run: () => Promise.reject(Object.assign(new Error("GeneralException"), { code: "GeneralException" })),
    };
    const read = await caught(createWordHost().getSelectedText());
    expect(read.kind).toBe("read_failed");
    expect(read.message).toMatch(/^Sidecar couldn't read the selected text\. Click in the document/);
    const write = await caught(createWordHost().insertText("x", "cursor"));
    expect(write.kind).toBe("write_failed");
    expect(write.message).toMatch(/^Sidecar couldn't insert the text/);
  });

  test("without the Word API the host says so instead of crashing", async () => {
    const error = await caught(createWordHost().getSelectedText());
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/Update Word/);
  });
});

describe("onSelectionChanged", () => {
  test("adds a DocumentSelectionChanged handler and removes exactly that handler", () => {
    const office = fakeOffice();
    installOffice(office);
    const listener = jest.fn();

    const unsubscribe = createWordHost().onSelectionChanged(listener);

    const { addHandlerAsync, removeHandlerAsync } = office.context.document;
    expect(addHandlerAsync).toHaveBeenCalledWith("documentSelectionChanged", expect.any(Function), expect.any(Function));
    const handler = addHandlerAsync.mock.calls[0]?.[1] as () => void;
    handler();
    handler();
    expect(listener).toHaveBeenCalledTimes(2);

    unsubscribe();
    unsubscribe(); // twice is harmless
    expect(removeHandlerAsync).toHaveBeenCalledTimes(1);
    expect(removeHandlerAsync).toHaveBeenCalledWith("documentSelectionChanged", { handler }, expect.any(Function));
  });
});

describe("settings", () => {
  test("setSetting stores the value and saves; getSetting reads it back", async () => {
    const office = fakeOffice();
    installOffice(office);
    const host = createWordHost();

    await expect(host.getSetting("sidecar.documentId")).resolves.toBeUndefined();
    await host.setSetting("sidecar.documentId", { id: "doc-42" });

    expect(office.context.document.settings.set).toHaveBeenCalledWith("sidecar.documentId", { id: "doc-42" });
    expect(office.context.document.settings.saveAsync).toHaveBeenCalledTimes(1);
    await expect(host.getSetting("sidecar.documentId")).resolves.toEqual({ id: "doc-42" });
  });

  test("setting undefined removes the setting", async () => {
    const office = fakeOffice();
    installOffice(office);
    const host = createWordHost();
    await host.setSetting("k", 1);
    await host.setSetting("k", undefined);
    expect(office.context.document.settings.remove).toHaveBeenCalledWith("k");
    await expect(host.getSetting("k")).resolves.toBeUndefined();
  });

  test("a failed saveAsync rejects with write_failed in words", async () => {
    installOffice(
      fakeOffice({ saveAsyncError: { code: 5002, name: "Permission Denied", message: "not allowed in this mode" } }),
    );
    const error = await caught(createWordHost().setSetting("k", "v"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/read-only or protected/);
    expect(error.message).toMatch(/Word error 5002/);
  });

  test("a generic saveAsync failure also has words", async () => {
    installOffice(fakeOffice({ saveAsyncError: { code: 4001, name: "Save Settings Error", message: "x" } }));
    const error = await caught(createWordHost().setSetting("k", "v"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/^Sidecar couldn't save its information in this document/);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated documents (Word.run through office-addin-mock)

/** A real .docx from the shared fixtures, as the generate feature would hand it over. */
const docx = () => new Uint8Array(readFixture("mammoth-single-paragraph.docx"));
const base64Of = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

interface WordDocumentsFake {
  word: { context: { sync: () => Promise<void> } };
  createDocument: jest.Mock;
  open: jest.Mock;
  selectionInsert: jest.Mock;
  bodyInsert: jest.Mock;
  inserted: { select: jest.Mock };
}

/** Word with createDocument, selection/body insertFileFromBase64 and custom properties (keys in lower case). */
function installWordForDocuments(customProperties: Record<string, unknown> = {}): WordDocumentsFake {
  const open = jest.fn();
  const createDocument = jest.fn(() => ({ open }));
  const inserted = { select: jest.fn() };
  const selectionInsert = jest.fn(() => inserted);
  const bodyInsert = jest.fn(() => inserted);
  const items: Record<string, { value: unknown }> = {};
  for (const [key, value] of Object.entries(customProperties)) items[key] = { value };
  const wordData = {
    context: {
      application: { createDocument },
      document: {
        selection: { text: "", insertFileFromBase64: selectionInsert },
        body: { text: "", insertFileFromBase64: bodyInsert },
        getSelection: function (this: { selection: unknown }) {
          return this.selection;
        },
        properties: {
          customProperties: {
            items,
            nothing: { value: "" },
            // Like Word: case-insensitive keys; a null object (isNullObject) for a missing property.
            getItemOrNullObject: function (
              this: { items: Record<string, { isNullObject?: boolean }>; nothing: { isNullObject?: boolean } },
              key: string,
            ) {
              const item = this.items[key.toLowerCase()];
              const found = item ?? this.nothing;
              found.isNullObject = item === undefined;
              return found;
            },
          },
        },
      },
    },
    run: async function (this: { context: unknown }, callback: (context: unknown) => Promise<unknown>) {
      return callback(this.context);
    },
  };
  const word = new OfficeMockObject(wordData) as unknown as WordDocumentsFake["word"];
  (globalThis as { Word?: unknown }).Word = word;
  return { word, createDocument, open, selectionInsert, bodyInsert, inserted };
}

function failingWord(code: string, name = code) {
  const run = jest.fn(() => Promise.reject(Object.assign(new Error(name), { code, name })));
  (globalThis as { Word?: unknown }).Word = { run };
  return run;
}

describe("openGeneratedDocument", () => {
  beforeEach(() => installOffice(fakeOffice()));

  test("creates a Word document from the exact base64 of the bytes, opens it, and syncs after open()", async () => {
    const { word, createDocument, open } = installWordForDocuments();
    const sync = jest.spyOn(word.context, "sync");
    const bytes = docx();

    await expect(createWordHost().openGeneratedDocument(bytes, "Proposal.docx")).resolves.toBe("opened-new-window");

    expect(createDocument).toHaveBeenCalledTimes(1);
    expect(createDocument).toHaveBeenCalledWith(base64Of(bytes));
    expect(open).toHaveBeenCalledTimes(1);
    expect(sync).toHaveBeenCalled();
    expect(open.mock.invocationCallOrder[0]).toBeLessThan(sync.mock.invocationCallOrder.at(-1)!);
  });

  test("a Node Buffer or a view into a larger buffer is sent as exactly its own bytes", async () => {
    const { createDocument } = installWordForDocuments();
    const bytes = docx();
    const padded = new Uint8Array(bytes.length + 20);
    padded.set(bytes, 10);

    await createWordHost().openGeneratedDocument(padded.subarray(10, 10 + bytes.length), "x");
    await createWordHost().openGeneratedDocument(readFixture("mammoth-single-paragraph.docx"), "x");

    expect(createDocument.mock.calls).toEqual([[base64Of(bytes)], [base64Of(bytes)]]);
  });

  test("Word on the web refusing (NotAllowed) is 'unsupported', in words that say where it works", async () => {
    failingWord("NotAllowed", "The action isn't supported by Word in a browser.");
    const error = await caught(createWordHost().openGeneratedDocument(docx(), "x"));
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/OneDrive or SharePoint/);
    expect(error.message).toMatch(/Word on Windows or Mac/);
  });

  test("AccessDenied points at creating documents in OneDrive", async () => {
    failingWord("AccessDenied");
    const error = await caught(createWordHost().openGeneratedDocument(docx(), "x"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/create documents there/);
  });

  test("a request too large for Word on the web says so", async () => {
    failingWord("RequestPayloadSizeLimitExceeded");
    const error = await caught(createWordHost().openGeneratedDocument(docx(), "x"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/too large/);
  });

  test("any other failure still has words (and the Word code for support)", async () => {
    failingWord("GeneralException");
    const error = await caught(createWordHost().openGeneratedDocument(docx(), "x"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/^Word couldn't open the generated document\./);
    expect(error.message).toMatch(/didn't block it/);
    expect(error.message).toMatch(/Word error GeneralException/);
  });

  test("a Word without WordApi 1.3 is told to update, and Word is never asked", async () => {
    installOffice(fakeOffice({ isSetSupported: () => false }));
    const { createDocument } = installWordForDocuments();
    const error = await caught(createWordHost().openGeneratedDocument(docx(), "x"));
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/Update Word or use Word on the web/);
    expect(createDocument).not.toHaveBeenCalled();
  });

  test("bytes that aren't a .docx are refused before Word sees them", async () => {
    const { createDocument } = installWordForDocuments();
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode("<html>error page</html>")]) {
      const error = await caught(createWordHost().openGeneratedDocument(bytes, "x"));
      expect(error.kind).toBe("write_failed");
      expect(error.message).toMatch(/Generate it again/);
    }
    expect(createDocument).not.toHaveBeenCalled();
  });
});

describe("insertDocument", () => {
  beforeEach(() => installOffice(fakeOffice()));

  test("cursor: inserts the file after the selection (keeping it), cursor left after the inserted document", async () => {
    const { selectionInsert, bodyInsert, inserted } = installWordForDocuments();
    const bytes = docx();
    await createWordHost().insertDocument(bytes, "cursor");
    expect(selectionInsert).toHaveBeenCalledWith(base64Of(bytes), "After");
    expect(bodyInsert).not.toHaveBeenCalled();
    expect(inserted.select).toHaveBeenCalledWith("End");
  });

  test("replace: the file takes the selection's place", async () => {
    const { selectionInsert, bodyInsert } = installWordForDocuments();
    const bytes = docx();
    await createWordHost().insertDocument(bytes, "replace");
    expect(selectionInsert).toHaveBeenCalledWith(base64Of(bytes), "Replace");
    expect(bodyInsert).not.toHaveBeenCalled();
  });

  test("end: the file goes at the end of the body, whatever is selected", async () => {
    const { selectionInsert, bodyInsert, inserted } = installWordForDocuments();
    const bytes = docx();
    await createWordHost().insertDocument(bytes, "end");
    expect(bodyInsert).toHaveBeenCalledWith(base64Of(bytes), "End");
    expect(selectionInsert).not.toHaveBeenCalled();
    expect(inserted.select).toHaveBeenCalledWith("End");
  });

  test("a document over Word's 4 MB insert limit is refused in words, before Word is asked", async () => {
    const { selectionInsert } = installWordForDocuments();
    const big = new Uint8Array(MAX_INSERT_BYTES + 1);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    const error = await caught(createWordHost().insertDocument(big, "cursor"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/too large to insert/);
    expect(error.message).toMatch(/Open it as a new document instead/);
    expect(selectionInsert).not.toHaveBeenCalled();
  });

  test("a protected spot is write_failed with words", async () => {
    failingWord("AccessDenied");
    const error = await caught(createWordHost().insertDocument(docx(), "replace"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/protected/);
  });

  test("other failures say where to click", async () => {
    failingWord("GeneralException");
    const error = await caught(createWordHost().insertDocument(docx(), "cursor"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/^Word couldn't insert the document here\. Click in the body of the document/);
  });

  test("bytes that aren't a .docx are refused before Word sees them", async () => {
    const run = failingWord("GeneralException");
    const error = await caught(createWordHost().insertDocument(new TextEncoder().encode("nope"), "end"));
    expect(error.kind).toBe("write_failed");
    expect(run).not.toHaveBeenCalled();
  });
});

describe("getCustomProperty", () => {
  beforeEach(() => installOffice(fakeOffice()));

  test("returns the property's value, matching the name case-insensitively like Word", async () => {
    installWordForDocuments({ sidecardocumentid: "doc-42" });
    const host = createWordHost();
    await expect(host.getCustomProperty("SidecarDocumentId")).resolves.toBe("doc-42");
    await expect(host.getCustomProperty("sidecardocumentid")).resolves.toBe("doc-42");
  });

  test("numbers, booleans and dates come back as text", async () => {
    installWordForDocuments({ count: 7, approved: true, released: new Date("2025-03-04T05:06:07Z") });
    const host = createWordHost();
    await expect(host.getCustomProperty("Count")).resolves.toBe("7");
    await expect(host.getCustomProperty("Approved")).resolves.toBe("true");
    await expect(host.getCustomProperty("Released")).resolves.toBe("2025-03-04T05:06:07.000Z");
  });

  test("a document without that property gives undefined (Word's null object)", async () => {
    installWordForDocuments({ other: "x" });
    await expect(createWordHost().getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();
  });

  test("without WordApi 1.3 it is undefined, not an error, and Word is never asked", async () => {
    installOffice(fakeOffice({ isSetSupported: () => false }));
    const run = failingWord("GeneralException");
    await expect(createWordHost().getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();
    expect(run).not.toHaveBeenCalled();
  });

  test("a Word that lacks the API despite reporting it (ApiNotFound) is undefined too", async () => {
    failingWord("ApiNotFound");
    await expect(createWordHost().getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();
  });

  test("a Word without the global Word API at all is undefined", async () => {
    await expect(createWordHost().getCustomProperty("SidecarDocumentId")).resolves.toBeUndefined();
  });

  test("a real failure is read_failed with words", async () => {
    failingWord("GeneralException");
    const error = await caught(createWordHost().getCustomProperty("SidecarDocumentId"));
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/^Sidecar couldn't read this document's properties/);
  });
});

// ---------------------------------------------------------------------------------------------
// Headings (fakeWordDocument: Office.js load/sync rules, see office-fakes.ts)

const GO_TO_LOAD = "text,style,styleBuiltIn,outlineLevel,isListItem";

/** A generated-style document: Heading 1 per section, a Heading 2, duplicates, a deeper heading. */
const REPORT: FakeParagraphSpec[] = [
  { text: "Board brief", styleBuiltIn: "Title" }, // 0
  { text: "Introduction", styleBuiltIn: "Heading1" }, // 1
  { text: "Q3 results – the “big” picture", styleBuiltIn: "Normal" }, // 2: body text, same words as the heading below
  { text: "Q3 results – the “big” picture", styleBuiltIn: "Heading2" }, // 3
  { text: "Revenue grew.", styleBuiltIn: "Normal" }, // 4
  { text: "Summary", styleBuiltIn: "Heading4" }, // 5
  { text: "Summary", styleBuiltIn: "Heading1" }, // 6
  { text: "First summary text.", styleBuiltIn: "Normal" }, // 7
  { text: "Summary", styleBuiltIn: "Heading1" }, // 8
  { text: "Second summary text.", styleBuiltIn: "Normal" }, // 9
];

/** The nutrition report's title block as Word has it: Heading 1 parts with empty Heading 1 paragraphs between. */
const BROKEN_TITLE: FakeParagraphSpec[] = [
  { text: "5. EUROPEAN HEALTH FORUM GASTEIN –", styleBuiltIn: "Heading1" }, // 0
  { text: "", styleBuiltIn: "Heading1" }, // 1
  { text: "on the Future of Health in Europe", styleBuiltIn: "Heading1" }, // 2
  { text: "", styleBuiltIn: "Normal" }, // 3
  { text: "25 to 28 September 2002", styleBuiltIn: "Heading1" }, // 4
  { text: "Too much of the wrong.", styleBuiltIn: "Normal" }, // 5
  { text: "Not only a problem of developing countries", styleBuiltIn: "Heading2" }, // 6
  { text: "Europeans lack the consciousness.", styleBuiltIn: "Normal" }, // 7
];
const BROKEN_TITLE_TEXT = "5. EUROPEAN HEALTH FORUM GASTEIN – on the Future of Health in Europe 25 to 28 September 2002";

describe("goToHeading (Word)", () => {
  beforeEach(() => installOffice(fakeOffice()));

  test("finds a Heading 2 by its normalised title (quotes, dashes, nbsp, case), selects its text, returns true", async () => {
    const { record } = fakeWordDocument(REPORT);

    await expect(createWordHost().goToHeading("  q3 RESULTS - the \"Big\"\u00a0\tpicture ")).resolves.toBe(true);

    expect(record.selects).toEqual([{ first: 3, last: 3, location: "Content", mode: "Select" }]);
  });

  test("one load of every paragraph's text and style, one sync for it and one for the select", async () => {
    const { record } = fakeWordDocument(REPORT);
    await createWordHost().goToHeading("Introduction");
    expect(record.collectionLoads).toEqual([GO_TO_LOAD]);
    expect(record.paragraphLoads).toEqual([]);
    expect(record.syncs).toBe(2);
    expect(record.runs).toBe(1);
    expect(record.selects).toEqual([{ first: 1, last: 1, location: "Content", mode: "Select" }]);
  });

  test("occurrence counts the headings with that title in document order, whatever their level", async () => {
    const { record } = fakeWordDocument(REPORT);
    const host = createWordHost();
    await expect(host.goToHeading("Summary")).resolves.toBe(true);
    await expect(host.goToHeading("SUMMARY", 2)).resolves.toBe(true);
    await expect(host.goToHeading("Summary", 3)).resolves.toBe(true);
    await expect(host.goToHeading("Summary", 4)).resolves.toBe(false);
    expect(record.selects.map((s) => s.first)).toEqual([5, 6, 8]);
  });

  test("a title split over two consecutive Heading 1 paragraphs selects both", async () => {
    const { record } = fakeWordDocument([
      { text: "Annex A —", styleBuiltIn: "Heading1" },
      { text: "Financial   tables", styleBuiltIn: "Heading1" },
      { text: "Numbers.", styleBuiltIn: "Normal" },
      { text: "Annex A", styleBuiltIn: "Heading1" },
      { text: "Other", styleBuiltIn: "Heading1" },
    ]);
    await expect(createWordHost().goToHeading("Annex A - Financial tables")).resolves.toBe(true);
    expect(record.selects).toEqual([{ first: 0, last: 1, location: "Start…End", mode: "Select" }]);
  });

  test("a heading broken over parts with empty paragraphs between (the nutrition report's title) selects all its parts", async () => {
    const { record } = fakeWordDocument(BROKEN_TITLE);
    await expect(createWordHost().goToHeading(BROKEN_TITLE_TEXT)).resolves.toBe(true);
    expect(record.selects).toEqual([{ first: 0, last: 4, location: "Start…End", mode: "Select" }]);
  });

  test("heading parts with a body paragraph between them are not one heading", async () => {
    fakeWordDocument([
      { text: "Annex A", styleBuiltIn: "Heading1" },
      { text: "Note.", styleBuiltIn: "Normal" },
      { text: "Financial tables", styleBuiltIn: "Heading1" },
    ]);
    await expect(createWordHost().goToHeading("Annex A Financial tables")).resolves.toBe(false);
  });

  test("a body paragraph with the title's text is not a heading", async () => {
    const { record } = fakeWordDocument([
      { text: "Methods", styleBuiltIn: "Normal" },
      { text: "Methods", styleBuiltIn: "ListParagraph", style: "List Paragraph", isListItem: true },
      { text: "Methods", styleBuiltIn: "Heading2" },
    ]);
    await expect(createWordHost().goToHeading("Methods")).resolves.toBe(true);
    expect(record.selects).toEqual([{ first: 2, last: 2, location: "Content", mode: "Select" }]);
  });

  test("no such heading: false, nothing selected, no second round trip", async () => {
    const { record } = fakeWordDocument([
      ...REPORT,
      { text: "Appendix", styleBuiltIn: "Normal" }, // only as body text
    ]);
    const host = createWordHost();
    await expect(host.goToHeading("Appendix")).resolves.toBe(false);
    await expect(host.goToHeading("Conclusions")).resolves.toBe(false);
    expect(record.selects).toEqual([]);
    expect(record.syncs).toBe(2);
  });

  test("an empty title is false without asking Word", async () => {
    const { record } = fakeWordDocument(REPORT);
    await expect(createWordHost().goToHeading(" \u00a0 ")).resolves.toBe(false);
    expect(record.runs).toBe(0);
  });

  test("headings by outline level (a custom style), by a 'Heading…' style name, and localised Heading styles", async () => {
    const { record } = fakeWordDocument([
      { text: "Chapter one", style: "Chapter Title", styleBuiltIn: "Other", outlineLevel: 1 }, // 0
      { text: "Text.", styleBuiltIn: "Normal" }, // 1
      { text: "Appendix", style: "Heading Appendix", styleBuiltIn: "Other" }, // 2
      { text: "Contents", style: "TOC 1", styleBuiltIn: "Toc1" }, // 3: not a heading
      { text: "Überblick", style: "Überschrift 1", styleBuiltIn: "Heading1" }, // 4
    ]);
    const host = createWordHost();
    await expect(host.goToHeading("Chapter one")).resolves.toBe(true);
    await expect(host.goToHeading("appendix")).resolves.toBe(true);
    await expect(host.goToHeading("Contents")).resolves.toBe(false);
    await expect(host.goToHeading("überblick")).resolves.toBe(true);
    expect(record.selects.map((s) => s.first)).toEqual([0, 2, 4]);
  });

  test("outline levels that count from 0 (body text would be 9) are not trusted; styles still are", async () => {
    const { record } = fakeWordDocument([
      { text: "Overview", styleBuiltIn: "Heading1", outlineLevel: 0 },
      { text: "Notes", styleBuiltIn: "Normal", outlineLevel: 9 },
      { text: "Results", styleBuiltIn: "Heading2", outlineLevel: 1 },
    ]);
    const host = createWordHost();
    await expect(host.goToHeading("Notes")).resolves.toBe(false);
    await expect(host.goToHeading("Results")).resolves.toBe(true);
    expect(record.selects.map((s) => s.first)).toEqual([2]);
  });

  test("a Word that can't load outlineLevel: tried once more without it, then left out", async () => {
    const { record } = fakeWordDocument(REPORT, { missingProperty: "outlineLevel" });
    const host = createWordHost();

    await expect(host.goToHeading("Introduction")).resolves.toBe(true);
    await expect(host.goToHeading("Summary", 3)).resolves.toBe(true);

    expect(record.collectionLoads).toEqual([GO_TO_LOAD, "text,style,styleBuiltIn,isListItem", "text,style,styleBuiltIn,isListItem"]);
    expect(record.runs).toBe(3);
    expect(record.selects.map((s) => s.first)).toEqual([1, 8]);
  });

  test("Word failing is read_failed, in words, with the Word code", async () => {
    failingWord("GeneralException");
    const error = await caught(createWordHost().goToHeading("Introduction"));
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/^Sidecar couldn't move to that section's heading in the document\. Click in the document and try again\./);
    expect(error.message).toMatch(/Word error GeneralException/);
  });

  test("a Word without WordApi 1.3 is told to update", async () => {
    installOffice(fakeOffice({ isSetSupported: () => false }));
    const { record } = fakeWordDocument(REPORT);
    const error = await caught(createWordHost().goToHeading("Introduction"));
    expect(error.kind).toBe("unsupported");
    expect(error.message).toMatch(/Update Word or use Word on the web/);
    expect(record.runs).toBe(0);
  });
});

describe("selectPassage (Word)", () => {
  beforeEach(() => installOffice(fakeOffice()));

  const LONG = `Mortality fell by a third in the ten years of the study. ${"The trial ran on in four countries and every year it was reviewed. ".repeat(5)}It ended in 2004.`;
  /** A document as Word has it; passages come as the server stores them (white space collapsed, paragraphs one per line). */
  const DOCUMENT: FakeParagraphSpec[] = [
    { text: "Results", styleBuiltIn: "Heading1" }, // 0
    { text: "Mortality fell by a third. The trial ran for two years in four countries. Costs stayed the same." }, // 1
    { text: "Adverse events\twere\u00a0rare." }, // 2
    { text: "Treatment cost 300 euros per patient per year." }, // 3
    { text: LONG }, // 4
    { text: "Scores rose as x^2 over time." }, // 5
  ];

  test("a one-paragraph passage: exactly its text is selected", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    await expect(createWordHost().selectPassage("Treatment cost 300 euros per patient per year.")).resolves.toBe(true);
    expect(record.selectedTexts).toEqual(["Treatment cost 300 euros per patient per year."]);
    expect(record.selects[0]!.mode).toBe("Select");
  });

  test("a piece of a long paragraph (the server cuts those at sentences): only the piece", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    await expect(createWordHost().selectPassage("The trial ran for two years in four countries.")).resolves.toBe(true);
    expect(record.selectedTexts).toEqual(["The trial ran for two years in four countries."]);
  });

  test("a passage of several paragraphs: from the start of the first to the end of the last", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    const passage = "The trial ran for two years in four countries. Costs stayed the same.\nAdverse events were rare.\nTreatment cost 300 euros per patient per year.";
    await expect(createWordHost().selectPassage(passage)).resolves.toBe(true);
    expect(record.selectedTexts).toEqual([
      "The trial ran for two years in four countries. Costs stayed the same.\nAdverse events\twere\u00a0rare.\nTreatment cost 300 euros per patient per year.",
    ]);
  });

  test("white space the server collapsed (a tab, a non-breaking space) is also searched as Word's ^w", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    await expect(createWordHost().selectPassage("Adverse events were rare.")).resolves.toBe(true);
    expect(record.searches).toEqual(["Adverse events were rare.", "Adverse^wevents^wwere^wrare."]);
    expect(record.selectedTexts).toEqual(["Adverse events\twere\u00a0rare."]);
  });

  test("longer than Word's 255 search characters: its first and last words are searched, and it is selected whole", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    expect(LONG.length).toBeGreaterThan(300);
    await expect(createWordHost().selectPassage(LONG)).resolves.toBe(true);
    expect(record.searches.every((text) => text.length <= 255)).toBe(true);
    expect(record.searches[0]!.startsWith("Mortality fell by a third in the ten years")).toBe(true);
    expect(record.searches.at(-1)!.endsWith("It ended in 2004.")).toBe(true);
    expect(record.selectedTexts).toEqual([LONG]);
  });

  test("edited near its end since: from its start to the end of that paragraph", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    await expect(createWordHost().selectPassage(LONG.replace("It ended in 2004.", "It was stopped in 2003."))).resolves.toBe(true);
    expect(record.selectedTexts).toEqual([LONG]);
  });

  test("a caret goes to Word as ^^ (a lone ^ starts one of Word's codes)", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    await expect(createWordHost().selectPassage("Scores rose as x^2 over time.")).resolves.toBe(true);
    expect(record.searches[0]).toBe("Scores rose as x^^2 over time.");
    expect(record.selectedTexts).toEqual(["Scores rose as x^2 over time."]);
  });

  test("not in the document (edited since): false and nothing selected; blank text: false without asking Word", async () => {
    const { record } = fakeWordDocument(DOCUMENT);
    const host = createWordHost();
    await expect(host.selectPassage("Mortality rose by a half.")).resolves.toBe(false);
    expect(record.selects).toEqual([]);
    const runs = record.runs;
    await expect(host.selectPassage(" \n ")).resolves.toBe(false);
    expect(record.runs).toBe(runs);
  });

  test("a Word without WordApi 1.3 is told to update, and Word is never asked", async () => {
    installOffice(fakeOffice({ isSetSupported: (_name, version) => version !== "1.3" }));
    const { record } = fakeWordDocument(DOCUMENT);
    expect((await caught(createWordHost().selectPassage("Treatment cost 300 euros per patient per year."))).kind).toBe("unsupported");
    expect(record.runs).toBe(0);
  });
});

describe("selection changes Sidecar makes itself (Word)", () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, "now").mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  function subscribe(office: ReturnType<typeof fakeOffice>) {
    const host = createWordHost();
    const listener = jest.fn();
    host.onSelectionChanged(listener);
    const handler = office.context.document.addHandlerAsync.mock.calls[0]?.[1] as () => void;
    return { host, listener, handler };
  }

  test("Word's DocumentSelectionChanged right after goToHeading is marked programmatic; later ones are the person's", async () => {
    const office = fakeOffice();
    installOffice(office);
    fakeWordDocument(REPORT);
    const { host, listener, handler } = subscribe(office);

    handler();
    await host.goToHeading("Introduction");
    handler(); // Word reporting the select
    now += PROGRAMMATIC_SELECTION_MS + 1;
    handler(); // the person clicking afterwards

    expect(listener.mock.calls).toEqual([[{ programmatic: false }], [{ programmatic: true }], [{ programmatic: false }]]);
  });

  test("a heading that isn't found moves nothing, so the next selection is the person's", async () => {
    const office = fakeOffice();
    installOffice(office);
    fakeWordDocument(REPORT);
    const { host, listener, handler } = subscribe(office);
    await host.goToHeading("Nowhere");
    handler();
    expect(listener).toHaveBeenCalledWith({ programmatic: false });
  });
});

describe("getSelectionContext (Word)", () => {
  beforeEach(() => installOffice(fakeOffice()));

  const CONTEXT_LOADS = ["style,styleBuiltIn,outlineLevel,isListItem", `${GO_TO_LOAD} (top 9)`];

  test("the selected text and the heading above it: styles up to the selection, then the headings' texts", async () => {
    const { record } = fakeWordDocument(REPORT, { selection: { paragraph: 4, text: "Revenue grew." } });

    await expect(createWordHost().getSelectionContext()).resolves.toEqual({
      text: "Revenue grew.",
      headingTitle: "Q3 results – the “big” picture",
      headingOccurrence: 1,
    });

    expect(record.collectionLoads).toEqual(CONTEXT_LOADS);
    // The two headings, and the one paragraph between them (to tell whether they are one heading).
    expect(record.paragraphLoads.map((load) => load.index).sort()).toEqual([1, 2, 3]);
    expect(record.paragraphLoads.every((load) => load.properties === "text")).toBe(true);
    expect(record.syncs).toBe(2);
  });

  test("getSelectedTextAndSection, inside a section Sidecar wrote in place: the content control's tag says which, in one sync and without reading paragraphs; other controls don't count", async () => {
    const tag = "sidecar:section:gen%3A1:s-results";
    const { record } = fakeWordDocument(REPORT, { selection: { paragraph: 4, text: "Revenue grew." }, selectionControl: { tag, title: "Sidecar: Results" } });
    await expect(createWordHost().getSelectedTextAndSection()).resolves.toEqual({
      text: "Revenue grew.",
      writtenSection: { documentId: "gen:1", sectionId: "s-results", title: "Results" },
    });
    expect(record.syncs).toBe(1);
    expect(record.collectionLoads).toEqual([]);
    fakeWordDocument(REPORT, { selection: { paragraph: 4, text: "Revenue grew." }, selectionControl: { tag: "customer-number", title: "Customer" } });
    await expect(createWordHost().getSelectedTextAndSection()).resolves.toEqual({ text: "Revenue grew." });
  });

  test("under the third 'Summary': occurrence 3, and goToHeading goes back to it", async () => {
    const { record } = fakeWordDocument(REPORT, { selection: { paragraph: 9, text: "Second" } });
    const host = createWordHost();

    const context = await host.getSelectionContext();
    expect(context).toEqual({ text: "Second", headingTitle: "Summary", headingOccurrence: 3 });

    await host.goToHeading(context.headingTitle!, context.headingOccurrence);
    expect(record.selects.map((s) => s.first)).toEqual([8]);
  });

  test("a selection in a heading belongs to that heading", async () => {
    fakeWordDocument(REPORT, { selection: { paragraph: 6, text: "Summ" } });
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({
      text: "Summ",
      headingTitle: "Summary",
      headingOccurrence: 2,
    });
  });

  test("a selection in the first part of a broken heading gets the whole title (read from the paragraphs after it)", async () => {
    const { record } = fakeWordDocument(BROKEN_TITLE, { selection: { paragraph: 0, text: "EUROPEAN" } });
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({
      text: "EUROPEAN",
      headingTitle: BROKEN_TITLE_TEXT,
      headingOccurrence: 1,
    });
    expect(record.syncs).toBe(2);
  });

  test("under a broken heading: its whole title, which goToHeading finds again", async () => {
    const { record } = fakeWordDocument(BROKEN_TITLE, { selection: { paragraph: 5, text: "Too much" } });
    const host = createWordHost();
    const context = await host.getSelectionContext();
    expect(context).toEqual({ text: "Too much", headingTitle: BROKEN_TITLE_TEXT, headingOccurrence: 1 });
    await host.goToHeading(context.headingTitle!, context.headingOccurrence);
    expect(record.selects).toEqual([{ first: 0, last: 4, location: "Start…End", mode: "Select" }]);
  });

  test("a numbered Heading 1 right after another is a heading of its own", async () => {
    fakeWordDocument(
      [
        { text: "Background", styleBuiltIn: "Heading1", isListItem: true },
        { text: "Methods", styleBuiltIn: "Heading1", isListItem: true },
        { text: "We counted.", styleBuiltIn: "Normal" },
      ],
      { selection: { paragraph: 2, text: "" } },
    );
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({ text: "", headingTitle: "Methods", headingOccurrence: 1 });
  });

  test("the nearest heading of any level counts (a Heading 4 under a Heading 2)", async () => {
    fakeWordDocument(
      [
        { text: "Results", styleBuiltIn: "Heading2" },
        { text: "Intro.", styleBuiltIn: "Normal" },
        { text: "Detail", styleBuiltIn: "Heading4" },
        { text: "Numbers.", styleBuiltIn: "Normal" },
      ],
      { selection: { paragraph: 3, text: "" } },
    );
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({ text: "", headingTitle: "Detail", headingOccurrence: 1 });
  });

  test("no heading above the selection: just the text, in one round trip", async () => {
    const { record } = fakeWordDocument(REPORT, { selection: { paragraph: 0, text: "Board" } });
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({ text: "Board" });
    expect(record.syncs).toBe(1);
  });

  test("a selection outside the body (header, footnote…): the text alone, read again", async () => {
    const { record } = fakeWordDocument(REPORT, { selection: { paragraph: 4, text: "Page 3" }, selectionOutsideBody: true });
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({ text: "Page 3" });
    expect(record.runs).toBe(3); // with outlineLevel, without it, then the text alone
  });

  test("a Word without WordApi 1.3: the text alone", async () => {
    installOffice(fakeOffice({ isSetSupported: () => false }));
    const { record } = fakeWordDocument(REPORT, { selection: { paragraph: 4, text: "Revenue" } });
    await expect(createWordHost().getSelectionContext()).resolves.toEqual({ text: "Revenue" });
    expect(record.collectionLoads).toEqual([]);
  });

  test("Word failing altogether is read_failed in words", async () => {
    failingWord("GeneralException");
    const error = await caught(createWordHost().getSelectionContext());
    expect(error.kind).toBe("read_failed");
    expect(error.message).toMatch(/^Sidecar couldn't read the selected text\. Click in the document/);
  });
});

describe("insertFormatted (Word)", () => {
  const ANSWER = [
    "<h2>Summary</h2>",
    '<p>Plain <strong>bold</strong> <em>italic</em> <a href="https://example.com/x">site</a> <code>x = 1</code></p>',
    "<ul><li>One<ul><li>Nested</li></ul></li><li>Two</li></ul>",
    "<ol><li>First</li></ol>",
    "<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>Ada</td></tr></tbody></table>",
    "<pre><code>line 1\nline 2</code></pre>",
    "<blockquote><p>Quoted</p></blockquote>",
  ].join("\n");
  const DANGEROUS =
    '<p style="color:red" class="x" onclick="evil()">Hi</p><script>alert(1)</script>' +
    '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">bad link</a><a href="mailto:me@example.com">mail</a>';

  beforeEach(() => installOffice(fakeOffice()));

  test("replace: the sanitized HTML takes the selection's place (headings, lists, tables, code kept), cursor after it", async () => {
    const { record } = fakeWordInsert();
    await createWordHost().insertFormatted(ANSWER, "replace", "Summary ...");
    expect(record.inserts).toHaveLength(1);
    const [insert] = record.inserts;
    expect(insert).toMatchObject({ kind: "html", location: "Replace" });
    const kept = [
      "<h2>Summary</h2>",
      "<strong>bold</strong>",
      "<em>italic</em>",
      '<a href="https://example.com/x">site</a>',
      "<code>x = 1</code>",
      "<ul><li>One<ul><li>Nested</li></ul></li><li>Two</li></ul>",
      "<ol><li>First</li></ol>",
      "<th>Name</th>",
      "<td>Ada</td>",
      "<pre><code>line 1\nline 2</code></pre>",
      "<blockquote><p>Quoted</p></blockquote>",
    ];
    for (const part of kept) expect(insert?.content).toContain(part);
    expect(record.selects).toEqual([{ kind: "html", mode: "End" }]);
    expect(record.syncs).toBe(1);
  });

  test("cursor: inserted at the end of the selection, which stays; cursor after the insert", async () => {
    const { record } = fakeWordInsert();
    await createWordHost().insertFormatted("<p>An <b>answer</b></p>", "cursor", "An answer");
    expect(record.inserts).toEqual([{ kind: "html", content: "<p>An <b>answer</b></p>", location: "End" }]);
    expect(record.selects).toEqual([{ kind: "html", mode: "End" }]);
  });

  test("scripts, event handlers, style/class and javascript: links never reach Word", async () => {
    const { record } = fakeWordInsert();
    await createWordHost().insertFormatted(DANGEROUS, "cursor", "Hi");
    const html = record.inserts[0]?.content ?? "";
    expect(record.inserts[0]?.kind).toBe("html");
    expect(html).not.toMatch(/script|alert|onerror|onclick|style=|class=|javascript:|<img/i);
    expect(html).toContain("<p>Hi</p>");
    expect(html).toContain("<a>bad link</a>"); // the text stays, the link goes
    expect(html).toContain('<a href="mailto:me@example.com">mail</a>');
  });

  test("HTML with nothing left after sanitizing goes in as the plain text", async () => {
    const { record } = fakeWordInsert();
    await createWordHost().insertFormatted("<script>alert(1)</script>", "replace", "Fallback\r\ntext");
    expect(record.inserts).toEqual([{ kind: "text", content: "Fallback\ntext", location: "Replace" }]);
  });

  test.each([["ApiNotFound"], ["NotImplemented"], ["GeneralException"]])(
    "insertHtml failing with %s: the plain text goes in instead, and the call succeeds",
    async (code) => {
      const { record } = fakeWordInsert({ insertHtmlError: code });
      await expect(createWordHost().insertFormatted("<h1>Title</h1>", "replace", "Title")).resolves.toBeUndefined();
      expect(record.inserts).toEqual([{ kind: "text", content: "Title", location: "Replace" }]);
      expect(record.selects).toEqual([{ kind: "text", mode: "End" }]);
    },
  );

  test("a Word without insertHtml at all gets the plain text", async () => {
    const { record } = fakeWordInsert({ noInsertHtml: true });
    await createWordHost().insertFormatted("<h1>Title</h1><p>Body</p>", "cursor", "Title\nBody");
    expect(record.inserts).toEqual([{ kind: "text", content: "Title\nBody", location: "End" }]);
  });

  test("a protected document is write_failed with words, and no plain text is tried", async () => {
    const { record } = fakeWordInsert({ insertHtmlError: "AccessDenied" });
    const error = await caught(createWordHost().insertFormatted("<p>x</p>", "replace", "x"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/protected/);
    expect(error.message).toMatch(/Restrict Editing/);
    expect(record.inserts).toEqual([]);
    expect(record.runs).toBe(1);
  });

  test("a read-only document (common error 5002) says so; other failures say where to click", async () => {
    (globalThis as { Word?: unknown }).Word = {
      run: () => Promise.reject(Object.assign(new Error("read only"), { code: 5002 })),
    };
    const readOnly = await caught(createWordHost().insertFormatted("<p>x</p>", "cursor", "x"));
    expect(readOnly.kind).toBe("write_failed");
    expect(readOnly.message).toMatch(/read-only or protected/);

    fakeWordInsert({ insertHtmlError: "InvalidArgument" });
    const other = await caught(createWordHost().insertFormatted("<p>x</p>", "cursor", "x"));
    expect(other.message).toMatch(/^Sidecar couldn't insert the answer into the document\. Click in the body/);
    expect(other.message).toMatch(/Word error InvalidArgument/);
  });

  test("the plain-text fallback failing too is write_failed with words", async () => {
    fakeWordInsert({ insertHtmlError: "ApiNotFound", insertTextError: "AccessDenied" });
    const error = await caught(createWordHost().insertFormatted("<p>x</p>", "cursor", "x"));
    expect(error.kind).toBe("write_failed");
    expect(error.message).toMatch(/protected/);
  });

  test("the cursor move after the insert is reported as programmatic; later selections are the person's", async () => {
    let now = 5_000_000;
    const spy = jest.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const office = fakeOffice();
      installOffice(office);
      fakeWordInsert();
      const host = createWordHost();
      const listener = jest.fn();
      host.onSelectionChanged(listener);
      const handler = office.context.document.addHandlerAsync.mock.calls[0]?.[1] as () => void;

      await host.insertFormatted("<h1>Title</h1>", "cursor", "Title");
      handler(); // Word reporting the cursor Sidecar moved
      now += PROGRAMMATIC_SELECTION_MS + 1;
      handler(); // the person clicking afterwards

      expect(listener.mock.calls).toEqual([[{ programmatic: true }], [{ programmatic: false }]]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("inserting as a suggestion (tracked changes, WordApi 1.4)", () => {
  const withTracking = () => installOffice(fakeOffice({ isSetSupported: (name, version) => name === "WordApi" && Number(version) <= 1.4 }));

  test("Track Changes is on for the insert and back off afterwards; text and formatted answers alike", async () => {
    withTracking();
    const { record } = fakeWordInsert({ trackingMode: "Off" });
    await createWordHost().insertText("Suggested line", "cursor", { suggest: true });
    expect(record.inserts).toEqual([{ kind: "text", content: "Suggested line", location: "End", tracking: "TrackAll" }]);
    expect(record.trackingSets).toEqual(["TrackAll", "Off"]);
    expect(record.tracking).toBe("Off");

    await createWordHost().insertFormatted("<p>Suggested <strong>answer</strong></p>", "replace", "Suggested answer", { suggest: true });
    expect(record.inserts[1]).toMatchObject({ kind: "html", location: "Replace", tracking: "TrackAll" });
    expect(record.tracking).toBe("Off");
  });

  test("a writer who tracks their own changes (or only their own) gets that setting back", async () => {
    withTracking();
    const mine = fakeWordInsert({ trackingMode: "TrackMineOnly" });
    await createWordHost().insertText("Suggested", "replace", { suggest: true });
    expect(mine.record.inserts[0]!.tracking).toBe("TrackAll");
    expect(mine.record.tracking).toBe("TrackMineOnly");
    // Already tracking everything: nothing to switch.
    const all = fakeWordInsert({ trackingMode: "TrackAll" });
    await createWordHost().insertText("Suggested", "replace", { suggest: true });
    expect(all.record.trackingSets).toEqual([]);
    expect(all.record.inserts[0]!.tracking).toBe("TrackAll");
  });

  test("an insert that fails still puts Track Changes back, and reports the insert's own error", async () => {
    withTracking();
    const { record } = fakeWordInsert({ trackingMode: "Off", insertTextError: "AccessDenied" });
    const error = await createWordHost().insertText("Suggested", "cursor", { suggest: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfficeError);
    expect((error as OfficeError).kind).toBe("write_failed");
    expect((error as OfficeError).message).not.toMatch(/Track Changes/);
    expect(record.inserts).toEqual([]);
    expect(record.tracking).toBe("Off");
  });

  test("when Track Changes can't be set back, the writer is told to check it", async () => {
    withTracking();
    fakeWordInsert({ trackingMode: "Off", restoreTrackingError: "GeneralException" });
    const error = await createWordHost().insertText("Suggested", "cursor", { suggest: true }).catch((e: unknown) => e);
    expect((error as OfficeError).message).toMatch(/couldn't set Track Changes back.*Review tab/);
  });

  test("a Word without WordApi 1.4 refuses with words and inserts nothing", async () => {
    installOffice(fakeOffice({ isSetSupported: (name, version) => name === "WordApi" && Number(version) <= 1.3 }));
    const { record } = fakeWordInsert({ trackingMode: "Off" });
    const error = await createWordHost().insertText("Suggested", "cursor", { suggest: true }).catch((e: unknown) => e);
    expect((error as OfficeError).kind).toBe("unsupported");
    expect((error as OfficeError).message).toMatch(/need Word version 2208 or later \(Microsoft 365, Word 2021 or 2024\), Word for Mac 16\.64 or later, or Word on the web/);
    expect(record.inserts).toEqual([]);
    expect(record.runs).toBe(0);
  });
});

describe("citations as footnotes or comments", () => {
  const sets = (supported: string[]) => installOffice(fakeOffice({ isSetSupported: (name, version) => name === "WordApi" && supported.includes(version) }));
  const NOTES = [
    { number: 1, text: "Report.docx — Results" },
    { number: 2, text: "Trial.docx — Methods" },
    { number: 3, text: "Not cited in this answer" },
  ];
  const ANSWER = "<p>Sales rose [1] and costs fell [2].</p>";

  test("footnotes (WordApi 1.5): each cited mark gets its footnote, then gives way to Word's number", async () => {
    sets(["1.3", "1.4", "1.5"]);
    const { record } = fakeWordInsert();
    await createWordHost().insertFormatted(ANSWER, "cursor", "Sales rose [1] and costs fell [2].", { notes: { as: "footnotes", list: NOTES } });
    expect(record.inserts.map((insert) => insert.content)).toEqual([ANSWER]);
    expect(record.notes).toEqual([
      { kind: "footnote", mark: "[1]", text: "Report.docx — Results" },
      { kind: "footnote", mark: "[2]", text: "Trial.docx — Methods" },
    ]);
    expect(record.markEdits).toEqual([
      { mark: "[1]", replacement: "", location: "Replace" },
      { mark: "[2]", replacement: "", location: "Replace" },
    ]);
    expect(record.selects).toEqual([{ kind: "html", mode: "End" }]);
  });

  test("comments (WordApi 1.4): on the marks, which stay; plain text answers too", async () => {
    sets(["1.3", "1.4"]);
    const { record } = fakeWordInsert();
    await createWordHost().insertText("Sales rose [1].", "cursor", { notes: { as: "comments", list: NOTES } });
    expect(record.notes).toEqual([{ kind: "comment", mark: "[1]", text: "Report.docx — Results" }]);
    expect(record.markEdits).toEqual([]);
  });

  test("a Word without them refuses in words before inserting anything", async () => {
    sets(["1.3", "1.4"]);
    const { record } = fakeWordInsert();
    const error = await createWordHost().insertFormatted(ANSWER, "cursor", "x", { notes: { as: "footnotes", list: NOTES } }).catch((e: unknown) => e);
    expect((error as OfficeError).kind).toBe("unsupported");
    expect((error as OfficeError).message).toMatch(/can't make footnotes for Sidecar: it needs Word version 2302 or later/);
    sets(["1.3"]);
    const refused = await createWordHost().insertText("x [1]", "cursor", { notes: { as: "comments", list: NOTES } }).catch((e: unknown) => e);
    expect((refused as OfficeError).message).toMatch(/can't add comments for Sidecar/);
    expect(record.inserts).toEqual([]);
  });
});
