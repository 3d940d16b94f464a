// Finds out where the pane runs: inside Word (Office.js) or in a plain browser tab.

// Each host's code is its own chunk, loaded once we know which one this page needs: Word's pane
// never downloads the browser tab's preview and selection code, nor the browser tab Word's.

import type { BrowserHost, BrowserHostOptions } from "./browser-host";
import type { DocumentHost } from "./document-host";

export { isDarkColour, isDarkOfficeTheme } from "./office-theme";

/** True for the plain browser tab's host (a picked .docx beside the pane). */
export function isBrowserHost(host: DocumentHost | null | undefined): host is BrowserHost {
  return host?.info.kind === "browser";
}

async function browserHost(options?: BrowserHostOptions): Promise<DocumentHost> {
  const { BrowserHost } = await import(/* webpackChunkName: "browser-host" */ "./browser-host");
  return new BrowserHost(options);
}

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
  if (!office || typeof office.onReady !== "function") return browserHost(options.browser);
  const info = await officeReady(office, options.timeoutMs ?? OFFICE_READY_TIMEOUT_MS);
  const wordHostType = office.HostType?.Word ?? "Word";
  if (info && info.host != null && info.host === wordHostType) {
    const { createWordHost, describeWordHost } = await import(/* webpackChunkName: "word-host" */ "./word-host");
    return createWordHost(describeWordHost(typeof info.platform === "string" ? info.platform : undefined));
  }
  return browserHost(options.browser);
}
