// Streaming smoothness of the chat pane: a synthetic 2,000-delta answer at 500 deltas/s streamed
// into the built pane in headless Chromium. Prints the longest gap between animation frames, the
// number of frame gaps over 50 ms, and delta-to-screen latency (p50/p95/max), and writes the same as JSON to
// bench-results/chat-smoothness.json.
//
// The pane is served by the real local server; the chat service is pointed (Account → server
// settings, per-service override) at a small SSE server in this script that paces the deltas.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DELTAS = Number(process.env.DELTAS ?? 2000);
const RATE = Number(process.env.RATE ?? 500); // deltas per second

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startLocalServer() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sidecar-bench-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), SIDECAR_DATA_DIR: dataDir, SIDECAR_STATIC_DIR: path.join(root, "dist"), LOG_LEVEL: "warn" },
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("local server did not start");
}

/** A chat service that streams DELTAS deltas at RATE per second, recording when each was sent. */
function startSyntheticChat() {
  const sentAt = [];
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization, content-type, accept, ocp-apim-subscription-key", "access-control-allow-methods": "GET,POST,OPTIONS" };
  const server = http.createServer((req, res) => {
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (/^\/api\/v2\/agents\/[^/]+\/chat-threads/.test(req.url ?? "") && req.method === "GET") {
      res.writeHead(200, { ...cors, "content-type": "application/json" });
      return res.end(JSON.stringify({ success: true, message: "", data: [] }));
    }
    if (req.url?.startsWith("/api/v2/agents") && req.method === "GET") {
      res.writeHead(200, { ...cors, "content-type": "application/json" });
      return res.end(JSON.stringify({ success: true, message: "", data: [{ id: 1, agent_name: "Synthetic", conversation_starter_enabled: false }] }));
    }
    if (req.url?.includes("/responses/stream")) {
      req.resume();
      res.writeHead(200, { ...cors, "content-type": "text/event-stream", "cache-control": "no-cache" });
      let i = 0;
      const started = performance.now();
      const tick = () => {
        // Send every delta that is due (timers are coarse); keep the average rate exact.
        const due = Math.min(DELTAS, Math.floor(((performance.now() - started) / 1000) * RATE) + 1);
        while (i < due) {
          const word = i % 40 === 39 ? `w${i}\n\n` : i % 10 === 9 ? `**w${i}** ` : `w${i} `;
          sentAt[i] = Date.now();
          res.write(`data: ${JSON.stringify({ step: "assistant_stream", delta: word })}\n\n`);
          i++;
        }
        if (i < DELTAS) setTimeout(tick, 2);
        else {
          res.write(`data: ${JSON.stringify({ step: "end", success: true, output: { answer: "", references: [], thread_id: 1, agent_response_id: 1 } })}\n\n`);
          res.end();
        }
      };
      tick();
      return;
    }
    res.writeHead(404, cors).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}`, sentAt })));
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main() {
  if (!fs.existsSync(path.join(root, "dist/index.html"))) throw new Error("Build the pane first: npm run build");
  const local = await startLocalServer();
  const chat = await startSyntheticChat();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => r.abort());
    const page = await context.newPage();
    await page.goto(`${local.url}/`);
    await page.getByLabel("E-mail").fill("demo@sidecar.local");
    await page.getByLabel("Password").fill("sidecar-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("tab", { name: "Documents" }).waitFor();
    // Chat from the synthetic server: separate services, with an Ejento sign-in for it (a pasted token).
    await page.evaluate((chatUrl) => {
      localStorage.setItem(
        "sidecar.connection",
        JSON.stringify({
          mode: "separate",
          serverUrl: "",
          apiKey: "",
          ejento: { url: chatUrl, apiKey: "" },
          indexing: { url: "", keyHeader: "", keyValue: "" },
          documents: { url: "" },
          batch: { url: "", taggingApiKey: "", modelName: "" },
        }),
      );
      const sessions = JSON.parse(localStorage.getItem("sidecar.sessions") ?? "{}");
      localStorage.setItem("sidecar.sessions", JSON.stringify({ ...sessions, ejento: { kind: "ejento", ejentoToken: "synthetic", who: "bench", method: "token" } }));
      localStorage.setItem("sidecar.tab", JSON.stringify("chat"));
    }, chat.url);
    await page.reload();
    const composer = page.getByLabel(/ask the agent/i);
    await composer.waitFor();
    // Watch long tasks and when each delta's word first appears on screen.
    await page.evaluate(() => {
      const w = window;
      // Long main-thread tasks show as gaps between animation frames (the longtask observer does
      // not report in headless Chromium). A gap over 50 ms means a task blocked the page that long.
      w.__gaps = [];
      let lastFrame = performance.now();
      const onFrame = (t) => {
        w.__gaps.push(t - lastFrame);
        lastFrame = t;
        if (!w.__stopFrames) requestAnimationFrame(onFrame);
      };
      requestAnimationFrame(onFrame);
      w.__seen = {};
      let highest = -1;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="answer-text"]');
        if (!el) return;
        const text = el.textContent ?? "";
        const m = text.match(/w(\d+)\s*$/);
        const last = m ? Number(m[1]) : -1;
        const now = Date.now();
        for (let i = highest + 1; i <= last; i++) w.__seen[i] = now;
        if (last > highest) highest = last;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const asked = Date.now();
    await composer.fill("Stream please");
    await composer.press("Enter");
    await page.getByRole("button", { name: "Send" }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(300);
    const { gaps, seen } = await page.evaluate(() => {
      window.__stopFrames = true;
      return { gaps: window.__gaps, seen: window.__seen };
    });
    const lags = [];
    for (let i = 0; i < DELTAS; i++) if (seen[i] && chat.sentAt[i]) lags.push(seen[i] - chat.sentAt[i]);
    lags.sort((a, b) => a - b);
    const firstSeen = Math.min(...Object.values(seen));
    const result = {
      deltas: DELTAS,
      rate_per_s: RATE,
      stream_ms: chat.sentAt[DELTAS - 1] - chat.sentAt[0],
      time_to_first_delta_on_screen_ms: firstSeen - asked,
      frames: gaps.length,
      frame_gaps_over_50ms: gaps.filter((d) => d > 50).length,
      longest_frame_gap_ms: Math.round(Math.max(...gaps)),
      delta_to_screen_ms: { p50: pct(lags, 50), p95: pct(lags, 95), max: lags.at(-1), measured: lags.length },
      frame_budget_ms: 16.7,
    };
    console.table({
      "longest gap between frames (ms)": result.longest_frame_gap_ms,
      "frame gaps over 50 ms": result.frame_gaps_over_50ms,
      "delta-to-screen p50 (ms)": result.delta_to_screen_ms.p50,
      "delta-to-screen p95 (ms)": result.delta_to_screen_ms.p95,
      "time to first delta on screen (ms)": result.time_to_first_delta_on_screen_ms,
    });
    fs.mkdirSync(path.join(root, "bench-results"), { recursive: true });
    fs.writeFileSync(path.join(root, "bench-results/chat-smoothness.json"), JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    chat.server.close();
    local.child.kill("SIGTERM");
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
