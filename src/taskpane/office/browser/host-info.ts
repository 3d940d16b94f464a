// What the browser tab says about itself as a host (HostInfo).

import { type HostInfo } from "../document-host";

function prefersDark(): boolean {
  try {
    const match = (globalThis as { matchMedia?: (q: string) => MediaQueryList }).matchMedia;
    return typeof match === "function" ? match("(prefers-color-scheme: dark)").matches === true : false;
  } catch {
    return false;
  }
}

/** HostInfo for the browser tab: always supported, in the browser's language and colour scheme. */
export function describeBrowserHost(): HostInfo {
  return {
    kind: "browser",
    platform: "Browser",
    supported: true,
    displayLanguage: (typeof navigator !== "undefined" && navigator.language) || "en-US",
    darkTheme: prefersDark(),
  };
}
