// Figure "load": the built browser-tab page `/` served by the real local server, from navigation
// start to interactive (the sign-in form's E-mail field visible and enabled), in headless
// Chromium, a fresh context per run; baseline: the bare baseline page of the bundle figure
// (interactive = its Button visible) from a static server. Median of LOAD_RUNS (9) runs each,
// alternated so both see the same machine noise.
//
//   node bench/load.mjs
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ensureBaselinePage } from "./bundle.mjs";
import { ensureBuild, figure, launchBrowser, median, newContext, round, runAlone, startServer } from "./lib.mjs";

const RUNS = Number(process.env.LOAD_RUNS ?? 9);

/** In the page: record performance.now() the first time `check()` holds (checked on every mutation and frame). */
const WATCH = (check) => `
(() => {
  const check = ${check};
  const probe = () => {
    if (window.__interactive !== undefined) return;
    try { if (check()) { window.__interactive = performance.now(); return; } } catch (_) { /* not yet */ }
    requestAnimationFrame(probe);
  };
  const start = () => {
    new MutationObserver(probe).observe(document, { subtree: true, childList: true, attributes: true });
    probe();
  };
  start();
})();`;

const visible = `(el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden"`;
const PANE_READY = `() => { const v = ${visible}; const label = [...document.querySelectorAll("label")].find((l) => /^E-mail/.test(l.textContent.trim())); const input = label && document.getElementById(label.htmlFor); return v(input) && !input.disabled; }`;
const BASELINE_READY = `() => { const v = ${visible}; const b = [...document.querySelectorAll("button")].find((b) => b.textContent.includes("Baseline button")); return v(b) && !b.disabled; }`;

function staticServer(dir) {
  const types = { ".html": "text/html", ".js": "application/javascript", ".png": "image/png" };
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

async function once(browser, url, check) {
  const context = await newContext(browser);
  await context.addInitScript(WATCH(check));
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__interactive);
  await context.close();
  return ms;
}

export async function run() {
  ensureBuild();
  const baselineDir = await ensureBaselinePage();
  const server = await startServer();
  const baseline = await staticServer(baselineDir);
  const browser = await launchBrowser();
  try {
    // One warm-up each (disk cache of the OS, server's first request).
    await once(browser, `${server.url}/`, PANE_READY);
    await once(browser, `${baseline.url}/`, BASELINE_READY);
    const pane = [];
    const base = [];
    for (let i = 0; i < RUNS; i++) {
      pane.push(await once(browser, `${server.url}/`, PANE_READY));
      base.push(await once(browser, `${baseline.url}/`, BASELINE_READY));
    }
    return [
      figure({
        figure: "load: pane to interactive",
        unit: "ms",
        measured: median(pane),
        baseline: median(base),
        target: 1.3,
        details: { runs: RUNS, pane_ms: pane.map((x) => round(x)), baseline_ms: base.map((x) => round(x)) },
      }),
    ];
  } finally {
    await browser.close();
    baseline.server.close();
    await server.stop();
  }
}

runAlone(import.meta.url, run);
