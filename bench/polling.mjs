// Figure "polling": a ~60 s generation (the real server with SIDECAR_PIPELINE_STEP_DELAY_MS,
// 12000 by default: 5 stages) driven through the built pane in headless Chromium (sign in,
// upload the nutrition report, Generate). Counts the pane's status requests from the click until
// Ready shows, and the lag between the server reaching Ready (polled here every 100 ms) and Ready
// on screen (the card's "Open in preview" button). Targets: ≤ 35 requests; lag ≤ 5 s (1 interval).
//
//   node bench/polling.mjs        (POLL_STEP_DELAY_MS=2000 for a quick ~10 s try)
import path from "node:path";
import { call, ensureBuild, figure, FIXTURE, launchBrowser, newContext, runAlone, signIn, sleep, startServer } from "./lib.mjs";

const STEP_DELAY = Number(process.env.POLL_STEP_DELAY_MS ?? 12000);
const INTERVAL_MS = 5000;

export async function run() {
  ensureBuild();
  const server = await startServer({ SIDECAR_PIPELINE_STEP_DELAY_MS: String(STEP_DELAY) });
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url);
    await page.getByLabel("Choose a Word document").setInputFiles(FIXTURE);
    await page.getByRole("button", { name: "Upload this document" }).click();
    await page.getByText(/is in Sidecar\./).waitFor();
    await page.getByRole("tab", { name: "Generate" }).click();
    await page.getByRole("checkbox", { name: `${path.basename(FIXTURE)} (this document)` }).waitFor();
    await page.getByLabel("Name of the new document").fill("Polling brief");

    let taskId = null;
    const statusRequests = [];
    let counting = false;
    page.on("request", (req) => {
      if (counting && /\/api\/v1\/documents\/status\//.test(req.url())) statusRequests.push(Date.now());
    });
    page.on("response", async (res) => {
      if (/\/api\/v1\/documents\/generate$/.test(res.url()) && res.request().method() === "POST") {
        try {
          taskId = (await res.json()).task_id;
        } catch {
          /* not JSON */
        }
      }
    });
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem("sidecar.sessions") ?? "{}").sidecar?.ejentoToken);
    counting = true;
    const started = Date.now();
    await page.getByRole("button", { name: "Generate" }).click();
    // The server side: poll every 100 ms until Ready.
    const serverReady = (async () => {
      while (!taskId) {
        if (Date.now() - started > 30_000) throw new Error("no task id from the generate request");
        await sleep(20);
      }
      for (;;) {
        const status = await call(server.url, `/api/v1/documents/status/${taskId}`, { token, method: "GET" });
        if (status.status === "Ready") return Date.now();
        if (status.status === "Failed") throw new Error(`generation failed: ${status.error}`);
        await sleep(100);
      }
    })();
    const card = page.getByRole("group", { name: "Generation Polling brief" });
    await card.getByRole("button", { name: "Open in preview" }).waitFor({ timeout: STEP_DELAY * 5 + 60_000 });
    const onScreen = Date.now();
    counting = false;
    const ready = await serverReady;
    await context.close();
    const details = { step_delay_ms: STEP_DELAY, generation_ms: ready - started, request_offsets_ms: statusRequests.map((t) => t - started) };
    return [
      figure({ figure: `polling: status requests (${Math.round((ready - started) / 1000)} s generation)`, unit: "requests", measured: statusRequests.length, target: 35, targetKind: "absolute", details }),
      figure({ figure: "polling: Ready on screen after server", unit: "ms", measured: Math.max(0, onScreen - ready), target: INTERVAL_MS, targetKind: "absolute", details }),
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}

runAlone(import.meta.url, async () => {
  const rows = await run();
  console.log(rows[0].details);
  return rows;
});
