// Latency of the Sources panel's routes under load: the real server (node --import tsx
// src/server/main.ts) as a child process on a free port with a temp data directory; sign in,
// upload the nutrition report, generate a document from it; then autocannon with 50 connections
// for ~10 s against each of get-sections-for-document, get-section-from-text and
// get-sources-for-selected-text (POST bodies with the bearer token), a short warm-up before each.
// Prints p50/p90/p99/max latency and requests/s, writes the same to
// bench-results/server-latency.json, and stops the server.
//
//   node bench/server-latency.mjs
//
// Settings (environment): BENCH_CONNECTIONS (50), BENCH_DURATION_SECONDS (10),
// BENCH_WARMUP_SECONDS (2), LOG_LEVEL for the server (default as the server's own default, info).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURE = path.resolve(REPO_ROOT, "../shared/fixtures/docx/openxml-sdk-nutrition-report.docx");
const RESULTS = path.join(REPO_ROOT, "bench-results", "server-latency.json");
const DEMO = { username: "demo@sidecar.local", password: "sidecar-demo" };
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const TEMPLATE_ID = "builtin-study-report-summary";

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(dataRoot) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/server/main.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      SIDECAR_DATA_DIR: path.join(dataRoot, "data"),
      SIDECAR_STATIC_DIR: path.join(dataRoot, "dist"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let startup = "";
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      // Keep draining the log (a full pipe would stall the server), but keep only the start-up lines.
      if (startup.length < 8000) startup += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(startup);
      if (match) resolve(match[1]);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${startup}`)));
    setTimeout(() => reject(new Error(`the server did not start within 30 s:\n${startup}`)), 30_000).unref();
  });
  const url = await listening;
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function call(url, pathname, { token, method = "POST", body, form } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url + pathname, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function prepare(url) {
  const { ejento_access_token: token } = await call(url, "/auth-service/api/v2/login/access-token", { body: DEMO });
  const form = new FormData();
  form.append("file", new Blob([fs.readFileSync(FIXTURE)]), path.basename(FIXTURE));
  const uploaded = await call(url, "/api/v1/documents/local", { token, form });
  const { document_sets: sets } = await call(url, "/api/v1/document-sets/", { token, method: "GET" });
  const { task_id: generatedId } = await call(url, "/api/v1/documents/generate", {
    token,
    body: {
      document_type: "CSR",
      file_paths: [uploaded.s3_key],
      connector_data_id: sets[0].document_set_id,
      workspace_name: sets[0].document_set_name,
      template_id: TEMPLATE_ID,
      output_name: `Benchmark ${Date.now()}`,
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await call(url, `/api/v1/documents/status/${generatedId}`, { token, method: "GET" });
    if (status.status === "Ready") break;
    if (status.status === "Failed" || Date.now() > deadline) throw new Error(`generation ended ${status.status}: ${status.error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { document } = await call(url, `/api/v1/documents/${generatedId}?include=section_text`, { token, method: "GET" });
  const uploadedSections = (await call(url, "/get-sections-for-document", { token, body: { document_id: uploaded.document_id } })).sections;
  return { token, uploadedId: uploaded.document_id, uploadedSections, generatedId, generatedSections: document.sections };
}

/** A sentence from the middle of a text, as a person would select it. */
function sentenceOf(text) {
  const sentences = text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 40);
  return sentences[Math.floor(sentences.length / 2)] ?? text.slice(0, 120);
}

/** Word's version of a selection: curly apostrophes, a paragraph mark, a non-breaking space. */
function asWordGivesIt(text) {
  return text.replace(/'/g, "’").replace(" ", "\u00a0").replace(/\. /, ".\r");
}

function scenarios(fixture) {
  const { uploadedId, generatedId, uploadedSections, generatedSections } = fixture;
  const post = (route, body) => ({ method: "POST", path: route, body: JSON.stringify(body) });
  const generatedSelections = generatedSections.map((section) => sentenceOf(section.text));
  const uploadedSelections = ["Liselotte Schäfer Elinder reported in her speech", "Time for action\rIn the Parallel Forum", "EUROPEANS LACK THE CONSCIOUSNESS"];
  return [
    {
      name: "get-sections-for-document",
      requests: [post("/get-sections-for-document", { document_id: generatedId }), post("/get-sections-for-document", { document_id: uploadedId })],
    },
    {
      name: "get-section-from-text",
      requests: [
        ...generatedSelections.map((text) => post("/get-section-from-text", { document_id: generatedId, text: asWordGivesIt(text) })),
        ...uploadedSelections.map((text) => post("/get-section-from-text", { document_id: uploadedId, text })),
      ],
    },
    {
      name: "get-sources-for-selected-text",
      requests: [
        ...generatedSections.map((section) => post("/get-sources-for-selected-text", { document_id: generatedId, section_id: section.section_id })),
        ...generatedSelections.map((text) => post("/get-sources-for-selected-text", { document_id: generatedId, selected_text: text })),
        post("/get-sources-for-selected-text", { document_id: uploadedId, section_id: uploadedSections[0].section_id }),
      ],
    },
  ];
}

function run(url, token, scenario, duration) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    requests: scenario.requests,
  });
}

function row(name, result) {
  const { latency, requests } = result;
  return {
    route: name,
    p50_ms: latency.p50,
    p90_ms: latency.p90,
    p99_ms: latency.p99,
    max_ms: latency.max,
    mean_ms: Math.round(latency.average * 100) / 100,
    requests_per_second: Math.round(requests.average),
    requests: result.requests.total,
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function printTable(rows) {
  const columns = ["route", "p50_ms", "p90_ms", "p99_ms", "max_ms", "requests_per_second", "non_2xx", "errors"];
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((r) => String(r[column]).length)));
  const line = (values) => values.map((value, i) => String(value).padEnd(widths[i])).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(columns.map((column) => r[column])));
}

async function main() {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sidecar-bench-"));
  const server = await startServer(dataRoot);
  try {
    console.log(`Server at ${server.url}; preparing (sign in, upload, generate)…`);
    const fixture = await prepare(server.url);
    const rows = [];
    for (const scenario of scenarios(fixture)) {
      if (WARMUP > 0) await run(server.url, fixture.token, scenario, WARMUP);
      console.log(`${scenario.name}: ${CONNECTIONS} connections for ${DURATION} s…`);
      const result = await run(server.url, fixture.token, scenario, DURATION);
      rows.push(row(scenario.name, result));
    }
    console.log("");
    printTable(rows);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      connections: CONNECTIONS,
      duration_seconds: DURATION,
      warmup_seconds: WARMUP,
      server_log_level: process.env.LOG_LEVEL ?? "info (default)",
      fixture: path.basename(FIXTURE),
      results: rows,
    };
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nWritten to ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
    const failed = rows.filter((r) => r.non_2xx > 0 || r.errors > 0);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await server.stop();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
