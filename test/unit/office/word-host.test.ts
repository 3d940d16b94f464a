import { OfficeMockObject } from "office-addin-mock";
import { OfficeError, type ReadProgress } from "../../../src/taskpane/office/document-host";
import { SLICE_SIZE, createWordHost, documentNameFromUrl } from "../../../src/taskpane/office/word-host";
import { fakeFile, fakeOffice, gettingFile, installOffice, type Callback } from "./office-fakes";

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function caught(promise: Promise<unknown>): Promise<OfficeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OfficeError);
    return error as OfficeError;
  }
  throw new Error("expected the promise to reject");
}

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

    const bytes = await createWordHost().readDocument({ onProgress: (p) => progress.push(p) });

    expect(bytes).toBeInstanceOf(Uint8Array);
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

    const bytes = await createWordHost().readDocument({ onProgress: (p) => progress.push(p) });

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
