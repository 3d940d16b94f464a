// `npm run bench`: every figure of issue 7 against its baseline or budget, one table, and the same
// as JSON in bench-results/bench.json. Each figure is its own module under bench/ and can run alone
// (`node bench/<figure>.mjs`) or by name here (`node bench/run.mjs bundle load`).
// Builds dist/ (production) when it is missing or stale. Never fails because a target is missed:
// exit 1 only when a figure could not be measured (the error is in the table and the JSON); a
// figure whose wait ran out under load is a MISS with its reason, not a crash.
//
//   node bench/run.mjs [bundle|load|chat|read20mb|polling|latency|upload|quality|scale|postgres] …
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuild, ROOT } from "./lib.mjs";

const FIGURES = {
  bundle: () => import("./bundle.mjs"),
  load: () => import("./load.mjs"),
  chat: () => import("./chat.mjs"),
  read20mb: () => import("./read20mb.mjs"),
  polling: () => import("./polling.mjs"),
  latency: () => import("./latency.mjs"),
  upload: () => import("./upload-generate.mjs"),
  quality: () => import("./quality.mjs"),
  scale: () => import("./scale.mjs"),
  postgres: () => import("./postgres.mjs"),
};

/** A wait that ran out (Playwright's TimeoutError, our own "timed out"/"timeout" errors). */
function isTimeout(error) {
  return error?.name === "TimeoutError" || /\btime(?:d)? ?out\b|timeout/i.test(String(error?.message ?? ""));
}

function printTable(rows) {
  const columns = ["figure", "measured", "baseline", "ratio", "target", "result"];
  const cells = rows.map((r) => ({
    figure: r.figure,
    measured: r.error ? "error" : r.measured === null ? "—" : `${r.measured} ${r.unit}`,
    baseline: r.baseline === null || r.baseline === undefined ? "—" : `${r.baseline} ${r.unit}`,
    ratio: r.ratio ?? "—",
    target: r.target ?? "—",
    result: r.error ? `CRASH: ${r.error.split("\n")[0].slice(0, 80)}` : r.pass === null ? "info" : r.pass ? "pass" : r.reason ? `MISS (${r.reason.slice(0, 80)})` : "MISS",
  }));
  const widths = columns.map((c) => Math.max(c.length, ...cells.map((r) => String(r[c]).length)));
  const line = (values) => values.map((v, i) => String(v).padEnd(widths[i])).join("  ");
  console.log(line(columns));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const r of cells) console.log(line(columns.map((c) => r[c])));
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in FIGURES));
  if (unknown.length) throw new Error(`unknown figure(s) ${unknown.join(", ")}; choose from ${Object.keys(FIGURES).join(", ")}`);
  const names = asked.length ? asked : Object.keys(FIGURES);
  const started = Date.now();
  ensureBuild();
  const rows = [];
  for (const name of names) {
    const t = Date.now();
    console.log(`[bench] ${name}…`);
    try {
      const { run } = await FIGURES[name]();
      for (const row of await run()) rows.push({ group: name, ...row });
    } catch (error) {
      console.error(error);
      const message = String(error?.message ?? error);
      if (isTimeout(error)) {
        // Under load a wait can run out: that is a missed figure with its reason, not a crash.
        rows.push({ group: name, figure: name, measured: null, unit: "", target: "in time", pass: false, reason: `timed out: ${message.split("\n")[0]}` });
      } else {
        rows.push({ group: name, figure: name, error: String(error?.stack ?? error) });
      }
    }
    console.log(`[bench] ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  console.log("");
  printTable(rows);
  const report = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, duration_s: Math.round((Date.now() - started) / 1000), figures: rows };
  const out = path.join(ROOT, "bench-results", "bench.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWritten to ${path.relative(process.cwd(), out) || out} (${report.duration_s} s)`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
