// Finds out where the pane runs: inside Word (Office.js) or in a plain browser tab.

import { BrowserHost, type BrowserHostOptions } from "./browser-host";
import type { DocumentHost } from "./document-host";
import { createWordHost, describeWordHost } from "./word-host";

export { isBrowserHost } from "./browser-host";
export { isDarkColour, isDarkOfficeTheme } from "./office-theme";

/** office.js outside Office resolves onReady in ~0.1 s; inside a broken host it may never resolve. */
export const OFFICE_READY_TIMEOUT_MS = 5000;

export interface ConnectOptions {
  /** How long to wait for Office.onReady before settling for the browser tab. */
  timeoutMs?: number;
  /** Options for the BrowserHost, when that is what the pane gets. */
  browser?: BrowserHostOptions;
}

interface ReadyInfo {
  host?: unknown;
  platform?: unknown;
}

/** Office.onReady's answer, or undefined when it fails or takes longer than `timeoutMs`. */
function officeReady(office: typeof Office, timeoutMs: number): Promise<ReadyInfo | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    const done = (info: ReadyInfo | undefined) => {
      clearTimeout(timer);
      resolve(info);
    };
    try {
      Promise.resolve(office.onReady()).then(
        (info) => done((info ?? undefined) as ReadyInfo | undefined),
        () => done(undefined),
      );
    } catch {
      done(undefined);
    }
  });
}

/**
 * The DocumentHost for this page: Word's when office.js reports a Word host, otherwise a
 * BrowserHost (no office.js, another Office app, office.js loaded outside Office, or onReady stalled).
 */
export async function connectToHost(options: ConnectOptions = {}): Promise<DocumentHost> {
  const office = (globalThis as { Office?: typeof Office }).Office;
  if (!office || typeof office.onReady !== "function") return new BrowserHost(options.browser);
  const info = await officeReady(office, options.timeoutMs ?? OFFICE_READY_TIMEOUT_MS);
  const wordHostType = office.HostType?.Word ?? "Word";
  if (info && info.host != null && info.host === wordHostType) {
    return createWordHost(describeWordHost(typeof info.platform === "string" ? info.platform : undefined));
  }
  return new BrowserHost(options.browser);
}
