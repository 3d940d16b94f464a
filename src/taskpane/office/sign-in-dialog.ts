// A sign-in window for a provider's own page (SSO, docs/vendors.md Ejento A2.5): in Word an Office dialog
// (displayDialogAsync), in the browser tab a popup. Either one starts on a page of the add-in's own
// domain (auth-dialog.html?start=…), which goes on to the provider; the provider sends the person
// back to that same page, which hands what it received to the pane (messageParent in Office,
// postMessage to its opener in a browser). Resolves with that message; rejects with words when the
// window is blocked, closed or can't open. The pane loads this module only when someone signs in
// this way.

import { t } from "../i18n";
import type { HostKind } from "./document-host";

export type SignInDialogFailure = "blocked" | "closed" | "failed";

export class SignInDialogError extends Error {
  readonly reason: SignInDialogFailure;
  constructor(reason: SignInDialogFailure, message: string) {
    super(message);
    this.name = "SignInDialogError";
    this.reason = reason;
  }
}

/** What displayDialogAsync's callback receives (Office.AsyncResult<Office.Dialog>), as far as used here. */
export interface DialogOpenResult {
  status: string;
  value?: DialogHandle;
  error?: { code?: number; message?: string };
}

/** An open Office dialog (Office.Dialog), as far as used here. */
export interface DialogHandle {
  addEventHandler(eventType: string, handler: (arg: { message: string; origin?: string } | { error: number }) => void): void;
  close(): void;
}

/** The parts of the Office global this module uses: Office.context.ui and the enums' values. */
export interface OfficeDialogApi {
  context: { ui: { displayDialogAsync(startAddress: string, options: { height: number; width: number }, callback: (result: DialogOpenResult) => void): void } };
  EventType?: { DialogMessageReceived?: string; DialogEventReceived?: string };
  AsyncResultStatus?: { Succeeded?: string };
}

/** The parts of `window` the browser-tab popup uses. */
export interface PopupWindow {
  location: { origin: string };
  open(url: string, target: string, features: string): Pick<Window, "closed" | "close"> | null;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  setInterval(handler: () => void, ms: number): number;
  clearInterval(id: number): void;
}

export interface SignInDialogOptions {
  /** The add-in's page the window starts on and comes back to (auth-dialog.html). */
  page: string;
  /** The provider's sign-in address the page goes on to. */
  target: string;
  /** Which host the pane runs in: Word gets an Office dialog, the browser tab a popup. */
  host: HostKind;
  /** Defaults: the Office and window globals. */
  office?: OfficeDialogApi;
  window?: PopupWindow;
  /** How often the popup is checked for having been closed (ms). */
  closedPollMs?: number;
}

/** Size of the Office dialog, in percent of the screen (displayDialogAsync's units). */
export const DIALOG_SIZE = { height: 60, width: 30 } as const;

/** The page the window opens first: the add-in's page, told where to go on to. */
export function dialogStartUrl(page: string, target: string): string {
  const url = new URL(page);
  url.search = "";
  url.hash = "";
  url.searchParams.set("start", target);
  return url.toString();
}

/** Opens the sign-in window and resolves with the message the add-in's page sends back. */
export function openSignInDialog(options: SignInDialogOptions): Promise<string> {
  const start = dialogStartUrl(options.page, options.target);
  if (options.host === "word") {
    const office = options.office ?? (globalThis as unknown as { Office?: OfficeDialogApi }).Office;
    if (!office?.context?.ui?.displayDialogAsync) {
      return Promise.reject(new SignInDialogError("failed", t("office.signInNoOfficeDialog")));
    }
    return viaOfficeDialog(office, start);
  }
  const win = options.window ?? (globalThis.window as unknown as PopupWindow | undefined);
  if (!win) return Promise.reject(new SignInDialogError("failed", t("office.signInNoBrowserWindow")));
  return viaPopup(win, start, options.closedPollMs ?? 500);
}

/** Words for displayDialogAsync's and the dialog's error codes (Office dialog API reference). */
function officeDialogWords(code: number | undefined): { reason: SignInDialogFailure; message: string } {
  switch (code) {
    case 12006:
      return { reason: "closed", message: t("office.signInWindowClosed") };
    case 12007:
      return { reason: "failed", message: t("office.signInAlreadyOpen") };
    case 12009:
    case 12011:
      return { reason: "blocked", message: t("office.signInBlockedInWord") };
    case 12002:
      return { reason: "failed", message: t("office.signInPageNotLoaded") };
    case 12003:
    case 12005:
      return { reason: "failed", message: t("office.signInHttpsOnly") };
    case 12004:
      return { reason: "failed", message: t("office.signInWrongDomain") };
    default:
      return { reason: "failed", message: code ? t("office.signInCouldNotOpenWithCode", { code: String(code) }) : t("office.signInCouldNotOpen") };
  }
}

function viaOfficeDialog(office: OfficeDialogApi, start: string): Promise<string> {
  const messageEvent = office.EventType?.DialogMessageReceived ?? "dialogMessageReceived";
  const dialogEvent = office.EventType?.DialogEventReceived ?? "dialogEventReceived";
  const succeeded = office.AsyncResultStatus?.Succeeded ?? "succeeded";
  return new Promise<string>((resolve, reject) => {
    office.context.ui.displayDialogAsync(start, { ...DIALOG_SIZE }, (result) => {
      if (result.status !== succeeded || !result.value) {
        const words = officeDialogWords(result.error?.code);
        reject(new SignInDialogError(words.reason, words.message));
        return;
      }
      const dialog = result.value;
      let settled = false;
      const finish = () => {
        settled = true;
        try {
          dialog.close();
        } catch {
          /* already gone */
        }
      };
      dialog.addEventHandler(messageEvent, (arg) => {
        if (settled || !("message" in arg)) return;
        // DialogOrigin 1.1 reports the sender's origin; the page must be the add-in's own.
        if (arg.origin && globalThis.location && arg.origin !== globalThis.location.origin) return;
        finish();
        resolve(arg.message);
      });
      dialog.addEventHandler(dialogEvent, (arg) => {
        if (settled || !("error" in arg)) return;
        settled = true;
        const words = officeDialogWords(arg.error);
        reject(new SignInDialogError(words.reason, words.message));
      });
    });
  });
}

function viaPopup(win: PopupWindow, start: string, pollMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const popup = win.open(start, "sidecar-sign-in", "popup,width=520,height=680");
    if (!popup) {
      reject(new SignInDialogError("blocked", t("office.signInBlockedByBrowser")));
      return;
    }
    const cleanup = () => {
      win.removeEventListener("message", onMessage);
      win.clearInterval(timer);
    };
    const onMessage = (event: MessageEvent) => {
      // Only the add-in's own page, in the window opened here, may answer.
      if (event.origin !== win.location.origin || event.source !== popup) return;
      cleanup();
      try {
        popup.close();
      } catch {
        /* already gone */
      }
      resolve(typeof event.data === "string" ? event.data : JSON.stringify(event.data));
    };
    win.addEventListener("message", onMessage);
    const timer = win.setInterval(() => {
      if (!popup.closed) return;
      cleanup();
      reject(new SignInDialogError("closed", t("office.signInWindowClosed")));
    }, pollMs);
  });
}
