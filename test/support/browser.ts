// Debian's Chromium driven by playwright-core (it never downloads a browser). Requests to
// anything but this machine are refused, so office.js telemetry and CDNs cannot be reached.
//
// Debian's headless shell (package chromium-headless-shell: the same Chromium, without the
// desktop browser around it; what Playwright itself runs for headless tests) when it is there,
// else the full browser (package chromium). The end-to-end suites took 126 s instead of 176 on
// two cores with it: Chromium's processor time 118 s instead of 218.
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
export const chromiumPath = process.env.CHROMIUM_PATH ?? (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export function chromiumAvailable(): boolean {
  return fs.existsSync(chromiumPath);
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(`Chromium was not found at ${chromiumPath}. Install it with: apt-get install -y chromium-headless-shell (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}

/**
 * A fresh browser context. `injectsScripts`: the test adds a script of its own to the page (axe);
 * the pane's Content-Security-Policy forbids that, as it should, so such a context bypasses it.
 */
export async function newContext(
  browser: Browser,
  options: { colorScheme?: "light" | "dark"; width?: number; injectsScripts?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    colorScheme: options.colorScheme ?? "light",
    bypassCSP: options.injectsScripts ?? false,
  });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
  await context.addInitScript(recordAnnouncements);
  await context.addInitScript(stillAnimations);
  return context;
}

/**
 * In every page: CSS animations and transitions take no time (a spinner shows, still). A spinner
 * turning while a test waits for a generation or an answer has Chromium draw every frame, on the
 * cores the server and the tests need: the end-to-end suites took 175–177 s so against 185–206 s.
 * A constructed style sheet, which the pane's Content-Security-Policy allows (it is not inline).
 */
function stillAnimations() {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("*, *::before, *::after { animation-duration: 0s !important; animation-iteration-count: 1 !important; transition-duration: 0s !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/**
 * In every page: what the pane's live region (#sidecar-announcements, ui/announcer.tsx) said, in
 * order, as window.__announced — each message is a new element in the region.
 */
function recordAnnouncements() {
  const said: string[] = ((window as unknown as { __announced: string[] }).__announced = []);
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node instanceof HTMLElement && node.parentElement?.id === "sidecar-announcements" && node.textContent) said.push(node.textContent);
  }).observe(document, { subtree: true, childList: true });
}

/** What the page's live region has said so far, in order. */
export function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __announced: string[] }).__announced);
}
