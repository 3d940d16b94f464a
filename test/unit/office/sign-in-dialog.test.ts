// The sign-in window of the SSO round trip: an Office dialog in Word, a popup in the browser tab.
// Plain fakes for Office.context.ui and window (no office.js, no real windows).
import {
  DIALOG_SIZE,
  SignInDialogError,
  dialogStartUrl,
  openSignInDialog,
  type DialogOpenResult,
  type OfficeDialogApi,
  type PopupWindow,
} from "../../../src/taskpane/office/sign-in-dialog";

const page = "https://addin.test/auth-dialog.html";
const target = "https://ejento.test/auth-service/api/v2/sso/microsoft/login?next=https%3A%2F%2Faddin.test%2Fauth-dialog.html";

async function rejection(promise: Promise<unknown>): Promise<SignInDialogError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SignInDialogError) return error;
    throw error;
  }
  throw new Error("expected the sign-in window to fail");
}

/** An Office global whose displayDialogAsync answers `result`, or opens a dialog whose events the test fires. */
function fakeOffice(result?: Partial<DialogOpenResult>) {
  const handlers = new Map<string, (arg: { message: string; origin?: string } | { error: number }) => void>();
  const dialog = { addEventHandler: jest.fn((type: string, handler: never) => void handlers.set(type, handler)), close: jest.fn() };
  const displayDialogAsync = jest.fn((_url: string, _options: { height: number; width: number }, callback: (r: DialogOpenResult) => void) =>
    setTimeout(() => callback(result ? { status: "failed", ...result } : { status: "succeeded", value: dialog }), 0),
  );
  const office: OfficeDialogApi = {
    context: { ui: { displayDialogAsync } },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    AsyncResultStatus: { Succeeded: "succeeded" },
  };
  const opened = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
  return {
    office,
    dialog,
    displayDialogAsync,
    opened,
    send: (message: string, origin?: string) => handlers.get("dialogMessageReceived")?.({ message, origin }),
    event: (error: number) => handlers.get("dialogEventReceived")?.({ error }),
  };
}

describe("in Word: an Office dialog", () => {
  test("starts on the add-in's page with the provider's address, 60% high and 30% wide, and resolves with the page's message", async () => {
    const fake = fakeOffice();
    const result = openSignInDialog({ page, target, host: "word", office: fake.office });
    await fake.opened();
    const [url, options] = fake.displayDialogAsync.mock.calls[0] ?? [];
    expect(url).toBe(`${page}?start=${encodeURIComponent(target)}`);
    expect(new URL(url as string).searchParams.get("start")).toBe(target);
    expect(options).toEqual({ height: 60, width: 30 });
    expect(DIALOG_SIZE).toEqual({ height: 60, width: 30 });
    fake.send('{"token":"t","ejento_access_token":"e"}', location.origin);
    await expect(result).resolves.toBe('{"token":"t","ejento_access_token":"e"}');
    expect(fake.dialog.close).toHaveBeenCalled();
  });

  test("a message from another origin is not taken", async () => {
    const fake = fakeOffice();
    const result = openSignInDialog({ page, target, host: "word", office: fake.office });
    await fake.opened();
    fake.send('{"token":"evil"}', "https://elsewhere.test");
    fake.send('{"token":"t","ejento_access_token":"e"}');
    await expect(result).resolves.toBe('{"token":"t","ejento_access_token":"e"}');
  });

  test("closed by the person (12006): words, not a code", async () => {
    const fake = fakeOffice();
    const result = openSignInDialog({ page, target, host: "word", office: fake.office });
    await fake.opened();
    fake.event(12006);
    const error = await rejection(result);
    expect(error.reason).toBe("closed");
    expect(error.message).toMatch(/^The sign-in window was closed/);
  });

  test.each([
    [12009, "blocked", /was blocked/],
    [12007, "failed", /already open/],
    [12005, "failed", /https/],
    [99999, "failed", /Office error 99999/],
  ])("a dialog Word can't open (%i) says why", async (code, reason, words) => {
    const fake = fakeOffice({ error: { code } });
    const error = await rejection(openSignInDialog({ page, target, host: "word", office: fake.office }));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(words);
  });

  test("a Word without dialogs says so", async () => {
    const error = await rejection(openSignInDialog({ page, target, host: "word", office: { context: {} } as unknown as OfficeDialogApi }));
    expect(error.message).toMatch(/can't open a sign-in window/);
  });
});

/** A window whose popup, messages and timers the test drives. */
function fakeWindow({ blocked = false } = {}) {
  const listeners = new Set<(event: MessageEvent) => void>();
  const timers = new Map<number, () => void>();
  const popup = { closed: false, close: jest.fn(() => void (popup.closed = true)) };
  let nextTimer = 1;
  const win: PopupWindow = {
    location: { origin: "https://addin.test" },
    open: jest.fn(() => (blocked ? null : popup)),
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
    setInterval: (handler) => {
      timers.set(nextTimer, handler);
      return nextTimer++;
    },
    clearInterval: (id) => void timers.delete(id),
  };
  return {
    win,
    popup,
    listeners,
    timers,
    post: (data: unknown, origin: string, source: unknown) => {
      for (const listener of [...listeners]) listener({ data, origin, source } as MessageEvent);
    },
    tick: () => [...timers.values()].forEach((handler) => handler()),
  };
}

describe("in the browser tab: a popup", () => {
  test("opens the add-in's page and takes only its own popup's message from the add-in's origin", async () => {
    const fake = fakeWindow();
    const result = openSignInDialog({ page, target, host: "browser", window: fake.win });
    expect(fake.win.open).toHaveBeenCalledWith(dialogStartUrl(page, target), "sidecar-sign-in", expect.stringContaining("popup"));
    fake.post('{"token":"evil"}', "https://elsewhere.test", fake.popup); // another origin
    fake.post('{"token":"evil"}', "https://addin.test", {}); // another window of the same origin
    fake.tick(); // still open: keeps waiting
    fake.post('{"token":"t","ejento_access_token":"e"}', "https://addin.test", fake.popup);
    await expect(result).resolves.toBe('{"token":"t","ejento_access_token":"e"}');
    expect(fake.popup.close).toHaveBeenCalled();
    expect(fake.listeners.size).toBe(0);
    expect(fake.timers.size).toBe(0);
  });

  test("a blocked popup says how to allow it", async () => {
    const fake = fakeWindow({ blocked: true });
    const error = await rejection(openSignInDialog({ page, target, host: "browser", window: fake.win }));
    expect(error.reason).toBe("blocked");
    expect(error.message).toMatch(/blocked the sign-in window\. Allow pop-ups/);
  });

  test("a popup closed before the sign-in finished says so", async () => {
    const fake = fakeWindow();
    const result = openSignInDialog({ page, target, host: "browser", window: fake.win });
    fake.popup.closed = true;
    fake.tick();
    const error = await rejection(result);
    expect(error.reason).toBe("closed");
    expect(error.message).toMatch(/^The sign-in window was closed/);
    expect(fake.listeners.size).toBe(0);
  });
});
