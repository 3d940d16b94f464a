// Test doubles for the Office global: a PLAIN object (office-addin-mock's OfficeMockObject turns
// enum strings into "Error, property was not loaded", see shared/notes/tooling.md §3).

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
