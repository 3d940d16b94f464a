// Debian's Chromium driven by playwright-core (it never downloads a browser). Requests to
// anything but this machine are refused, so office.js telemetry and CDNs cannot be reached.
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  return fs.existsSync(chromiumPath);
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable()) {
    throw new Error(`Chromium was not found at ${chromiumPath}. Install it with: apt-get install -y chromium (or set CHROMIUM_PATH).`);
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
  return context;
}
