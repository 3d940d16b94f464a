// Figure "read20mb": the Word Office layer reading a 20 MB document in 4 MB slices, through the
// product. dist/taskpane.html loads the real office.js with a stand-in Word host appended
// (test/support/word-stand-in.mjs, shared with test/e2e/word-host.test.ts); the stand-in's
// getSliceAsync hands out Uint8Array slices (fresh copies, as a host would allocate them;
// READ_SLICE_DATA=view for views of one buffer, so the extra memory is the pane's alone; =array
// for number[] as Word desktop gives) of a real 20 MB .docx (the nutrition report padded with a
// stored media file), so the upload that follows succeeds.
// Measured: from the click on "Upload this document" to the first "Sending to the server"
// label (reading + assembly), and the assembly alone (last slice handed over → that label);
// extra memory = peak of (V8 heap used + ArrayBuffer backing stores, CDP Runtime.getHeapUsage,
// sampled every ~10 ms) minus the same before the click (after a GC). Median of READ_RUNS (3).
//
//   node bench/read20mb.mjs
import fs from "node:fs";
import path from "node:path";
import { bigDocx } from "./docs.mjs";
import { ensureBuild, figure, launchBrowser, median, newContext, ROOT, round, runAlone, sleep, startServer } from "./lib.mjs";
import { wordStandIn } from "../test/support/word-stand-in.mjs";

const RUNS = Number(process.env.READ_RUNS ?? 3);
const SLICE = 4 * 1024 * 1024;
const SLICE_DATA = process.env.READ_SLICE_DATA ?? "copy"; // copy | view (no host allocation) | array

async function once(browser, url, officeJs, docx) {
  const standIn = wordStandIn({ bytes: { url: "/__bench/document.docx" }, documentName: "Big report.docx", sliceData: SLICE_DATA, sliceSize: SLICE });
  const context = await newContext(browser);
  await context.route("**/assets/office-js/office.js", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: officeJs + standIn }));
  await context.route("**/__bench/document.docx", (route) => route.fulfill({ status: 200, contentType: "application/octet-stream", body: docx }));
  const page = await context.newPage();
  await page.goto(`${url}/taskpane.html`);
  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("tab", { name: "Documents" }).waitFor();
  await page.evaluate(() => window.__wordStubReady);
  await page.evaluate(() => {
    const times = window.__wordStub.times;
    document.addEventListener("click", (e) => {
      if (times.click === undefined && e.target instanceof Element && e.target.closest("button")?.textContent?.includes("Upload this document")) times.click = performance.now();
    }, true);
    new MutationObserver(() => {
      const text = document.body.textContent ?? "";
      if (times.sending === undefined && text.includes("Sending to the server")) times.sending = performance.now();
      if (times.done === undefined && /is in Sidecar\./.test(text)) times.done = performance.now();
      if (times.failed === undefined && document.querySelector('[role="alert"], .fui-MessageBar[data-intent="error"]')) times.failed = performance.now();
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await sleep(100);
  const heap = async () => {
    const u = await cdp.send("Runtime.getHeapUsage");
    return u.usedSize + (u.backingStorageSize ?? 0);
  };
  const before = await heap();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await heap());
      await sleep(10);
    }
  })();
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.waitForFunction(() => window.__wordStub.times.done !== undefined || window.__wordStub.times.failed !== undefined, null, { timeout: 60_000 });
  sampling = false;
  await sampler;
  const times = await page.evaluate(() => window.__wordStub.times);
  await context.close();
  if (times.done === undefined) throw new Error("the upload of the 20 MB document failed in the pane");
  return { read_ms: times.sending - times.click, assembly_ms: times.sending - times.lastSlice, extra_bytes: peak - before, upload_done_ms: times.done - times.click };
}

export async function run() {
  ensureBuild();
  const docx = await bigDocx();
  const officeJs = fs.readFileSync(path.join(ROOT, "dist/assets/office-js/office.js"), "utf8");
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(browser, server.url, officeJs, docx));
    const details = { bytes: docx.length, slice_bytes: SLICE, slice_data: { copy: "Uint8Array (fresh copy per slice)", view: "Uint8Array view (no host allocation)", array: "number[]" }[SLICE_DATA], runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v)]))) };
    return [
      figure({ figure: "read20mb: click → Sending (read + assembly)", unit: "ms", measured: median(runs.map((r) => r.read_ms)), target: null, details }),
      figure({ figure: "read20mb: assembly (last slice → Sending)", unit: "ms", measured: median(runs.map((r) => r.assembly_ms)), target: 100, targetKind: "absolute", details }),
      figure({ figure: "read20mb: extra memory", unit: "MB", measured: median(runs.map((r) => r.extra_bytes)) / 2 ** 20, target: (2 * docx.length) / 2 ** 20, targetKind: "absolute", details }),
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}

runAlone(import.meta.url, async () => {
  const rows = await run();
  console.log(rows[0].details.runs);
  return rows;
});
