import { BrowserHost } from "../../../src/taskpane/office/browser-host";
import { OFFICE_READY_TIMEOUT_MS, connectToHost, isBrowserHost } from "../../../src/taskpane/office/connect-host";
import { WORD_TOO_OLD_REASON } from "../../../src/taskpane/office/word-host";
import { fakeOffice, installOffice } from "./office-fakes";

const hosts: unknown[] = [];
afterEach(() => {
  installOffice(undefined);
  for (const host of hosts.splice(0)) if (host instanceof BrowserHost) host.dispose();
  jest.useRealTimers();
});

async function connect(...args: Parameters<typeof connectToHost>) {
  const host = await connectToHost(...args);
  hosts.push(host);
  return host;
}

test("no Office global: the browser tab host", async () => {
  const host = await connect();
  expect(isBrowserHost(host)).toBe(true);
  expect(host.info.kind).toBe("browser");
});

test("Word with WordApi 1.3: the Word host, supported, with platform, language and theme", async () => {
  installOffice(
    fakeOffice({
      onReady: () => Promise.resolve({ host: "Word", platform: "OfficeOnline" }),
      isSetSupported: (name, version) => name === "WordApi" && version === "1.3",
      displayLanguage: "de-DE",
      bodyBackgroundColor: "#262626",
    }),
  );
  const host = await connect();
  expect(isBrowserHost(host)).toBe(false);
  expect(host.info).toEqual({
    kind: "word",
    platform: "OfficeOnline",
    supported: true,
    displayLanguage: "de-DE",
    darkTheme: true,
    // Footnotes need WordApi 1.5 and comments 1.4: this Word has neither.
    citationNotes: [],
  });
});

test("what a Word can make of citations follows its requirement sets: footnotes (1.5), comments (1.4)", async () => {
  const sets = (supported: string[]) => (name: string, version: string) => name === "WordApi" && supported.includes(version);
  installOffice(fakeOffice({ isSetSupported: sets(["1.3", "1.4", "1.5"]) }));
  expect((await connect()).info.citationNotes).toEqual(["footnotes", "comments"]);
  installOffice(fakeOffice({ isSetSupported: sets(["1.3", "1.4"]) }));
  expect((await connect()).info.citationNotes).toEqual(["comments"]);
});

test("Word without WordApi 1.3: the Word host, marked unsupported with the reason in words", async () => {
  installOffice(fakeOffice({ isSetSupported: () => false }));
  const host = await connect();
  expect(host.info).toMatchObject({ kind: "word", platform: "PC", supported: false, darkTheme: false });
  expect(host.info.unsupportedReason).toBe(
    "This version of Word is too old for Sidecar: it needs Word 2016 or later (WordApi 1.3). Update Word or use Word on the web.",
  );
  expect(host.info.unsupportedReason).toBe(WORD_TOO_OLD_REASON);
});

test("isSetSupported throwing counts as unsupported instead of breaking the pane", async () => {
  installOffice(
    fakeOffice({
      isSetSupported: () => {
        throw new Error("Office.context.requirements is not available");
      },
    }),
  );
  const host = await connect();
  expect(host.info).toMatchObject({ kind: "word", supported: false, unsupportedReason: WORD_TOO_OLD_REASON });
});

test.each([
  ["office.js outside Office", { host: null, platform: null }],
  ["another Office app", { host: "Excel", platform: "PC" }],
])("%s: the browser tab host", async (_label, info) => {
  installOffice(fakeOffice({ onReady: () => Promise.resolve(info) }));
  expect(isBrowserHost(await connect())).toBe(true);
});

test("onReady failing: the browser tab host", async () => {
  installOffice(fakeOffice({ onReady: () => Promise.reject(new Error("boom")) }));
  expect(isBrowserHost(await connect())).toBe(true);
});

test("onReady never resolving: the browser tab host after the timeout, not before", async () => {
  jest.useFakeTimers();
  installOffice(fakeOffice({ onReady: () => new Promise(() => undefined) }));
  let settled: unknown;
  const connecting = connectToHost().then((host) => {
    hosts.push(host);
    settled = host;
    return host;
  });

  await jest.advanceTimersByTimeAsync(OFFICE_READY_TIMEOUT_MS - 1);
  expect(settled).toBeUndefined();
  await jest.advanceTimersByTimeAsync(1);
  expect(isBrowserHost(await connecting)).toBe(true);
  expect(OFFICE_READY_TIMEOUT_MS).toBe(5000);
});

test("a shorter timeout can be asked for", async () => {
  jest.useFakeTimers();
  installOffice(fakeOffice({ onReady: () => new Promise(() => undefined) }));
  const connecting = connectToHost({ timeoutMs: 100 });
  await jest.advanceTimersByTimeAsync(100);
  const host = await connecting;
  hosts.push(host);
  expect(isBrowserHost(host)).toBe(true);
});
