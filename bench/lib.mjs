// Shared helpers of the bench figures: the real server on a free port with a temp data dir,
// Debian's Chromium, the production build, API calls, medians.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES = path.resolve(ROOT, "../shared/fixtures/docx");
export const FIXTURE = path.join(FIXTURES, "openxml-sdk-nutrition-report.docx");
export const DEMO = { username: "demo@sidecar.local", password: "sidecar-demo" };
export const TEMPLATE_ID = "builtin-study-report-summary";

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Newest mtime under a directory (files only). */
function newest(dir) {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return t;
}

/** Builds dist/ (production) when it is missing or older than src/ or the webpack config. */
export function ensureBuild() {
  const info = path.join(ROOT, "dist/build-info.json");
  let stale = !fs.existsSync(info) || !fs.existsSync(path.join(ROOT, "dist/index.html"));
  if (!stale) {
    const built = fs.statSync(info).mtimeMs;
    const mode = JSON.parse(fs.readFileSync(info, "utf8")).mode;
    stale = mode !== "production" || newest(path.join(ROOT, "src")) > built || fs.statSync(path.join(ROOT, "webpack.config.js")).mtimeMs > built;
  }
  if (stale) {
    console.log("[bench] building dist/ (npx webpack --mode production)…");
    execFileSync("npx", ["webpack", "--mode", "production"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }
}

/** The real local server (node --import tsx src/server/main.ts) on a free port with a temp data dir. */
export async function startServer(env = {}) {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sidecar-bench-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", SIDECAR_DATA_DIR: dataDir, SIDECAR_STATIC_DIR: path.join(ROOT, "dist"), LOG_LEVEL: "warn", ...env },
    stdio: process.env.BENCH_SERVER_STDERR ? ["ignore", "ignore", "inherit"] : "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, dataDir, stop, pid: child.pid };
    } catch {
      /* starting */
    }
    await sleep(100);
  }
  await stop();
  throw new Error("the local server did not start");
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}

export async function newContext(browser) {
  const context = await browser.newContext({ viewport: { width: 420, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (r) => r.abort());
  return context;
}

export async function call(url, pathname, { token, method = "POST", body, form } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url + pathname, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

export async function login(url) {
  return (await call(url, "/auth-service/api/v2/login/access-token", { body: DEMO })).ejento_access_token;
}

export async function upload(url, token, bytes, name) {
  const form = new FormData();
  form.append("file", new Blob([bytes]), name);
  return call(url, "/api/v1/documents/local", { token, form });
}

export async function startGeneration(url, token, s3Keys, name) {
  const { document_sets: sets } = await call(url, "/api/v1/document-sets/", { token, method: "GET" });
  const { task_id } = await call(url, "/api/v1/documents/generate", {
    token,
    body: { document_type: "CSR", file_paths: s3Keys, connector_data_id: sets[0].document_set_id, workspace_name: sets[0].document_set_name, template_id: TEMPLATE_ID, output_name: name },
  });
  return task_id;
}

export async function waitReady(url, token, id, { timeoutMs = 120_000, everyMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call(url, `/api/v1/documents/status/${id}`, { token, method: "GET" });
    if (status.status === "Ready") return Date.now();
    if (status.status === "Failed" || Date.now() > deadline) throw new Error(`generation ended ${status.status}: ${status.error}`);
    await sleep(everyMs);
  }
}

export async function signIn(page, url, pathname = "/") {
  await page.goto(`${url}${pathname}`);
  await page.getByLabel("E-mail").fill(DEMO.username);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("tab", { name: "Documents" }).waitFor();
}

/** A row of the table (lower is better); `target: null` for a figure shown for information only. */
export function figure({ figure, unit, measured, baseline = null, target, targetKind = "ratio", details = {} }) {
  const ratio = baseline ? round(measured / baseline, 2) : null;
  if (target === null) return { figure, unit, measured: round(measured, 1), baseline, ratio, target: null, pass: null, details };
  const pass = targetKind === "ratio" ? ratio !== null && ratio <= target : measured <= target;
  return { figure, unit, measured: round(measured, 1), baseline: baseline === null ? null : round(baseline, 1), ratio, target: targetKind === "ratio" ? `≤ ${target} × baseline` : `≤ ${round(target, 1)} ${unit}`, pass, details };
}

/** Runs `fn` (returning rows) when the module is the entry script. */
export function runAlone(metaUrl, fn) {
  if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(metaUrl)) {
    fn()
      .then((rows) => console.table(rows.map(({ details: _d, ...r }) => r)))
      .catch((error) => {
        console.error(error);
        process.exit(1);
      });
  }
}
