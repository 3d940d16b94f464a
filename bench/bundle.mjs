// Figure "bundle": the pane's initial JavaScript (the scripts taskpane.html loads, except
// office.js, gzip -9) against a baseline page built by the same webpack config: React, TanStack
// Query's QueryClientProvider and FluentProvider with Button, Dropdown, Textarea, Spinner and
// MessageBar. Both are built with webpack's Node API into temp dirs from the project's config
// (entry swapped for the baseline); the webpack stats list what dominates the initial chunks.
//
//   node bench/bundle.mjs
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { figure, ROOT, runAlone } from "./lib.mjs";

const require = createRequire(import.meta.url);

const BASELINE_ENTRY = `
import React from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { Button, Dropdown, FluentProvider, MessageBar, Option, Spinner, Textarea, webLightTheme } from "@fluentui/react-components";

const client = new QueryClient();
const h = React.createElement;
function App() {
  return h(QueryClientProvider, { client },
    h(FluentProvider, { theme: webLightTheme },
      h(MessageBar, null, "Baseline"),
      h(Dropdown, { "aria-label": "Pick" }, h(Option, null, "One"), h(Option, null, "Two")),
      h(Textarea, { "aria-label": "Text" }),
      h(Spinner, { size: "tiny" }),
      h(Button, { appearance: "primary" }, "Baseline button")));
}
createRoot(document.getElementById("root")).render(h(App));
`;

/** The project's production config, written to `outDir`; for the baseline, the entry swapped. */
function configFor(outDir, baselineEntry) {
  const HtmlWebpackPlugin = require(path.join(ROOT, "node_modules/html-webpack-plugin"));
  const config = require(path.join(ROOT, "webpack.config.js"))({}, { mode: "production" });
  const pagePlugin = config.plugins.find((p) => p instanceof HtmlWebpackPlugin && p.userOptions.filename === "taskpane.html");
  const indexPlugin = config.plugins.find((p) => p instanceof HtmlWebpackPlugin && p.userOptions.filename === "index.html");
  config.output = { ...config.output, path: outDir, clean: true };
  config.stats = "none";
  config.infrastructureLogging = { level: "error" };
  if (baselineEntry) {
    // Same entry name, so the vendors split applies to the baseline as to the pane.
    config.entry = { taskpane: baselineEntry };
    config.resolve = { ...config.resolve, modules: [path.join(ROOT, "node_modules"), "node_modules"] };
    config.plugins = [new HtmlWebpackPlugin({ ...indexPlugin.userOptions, filename: "index.html" })];
  } else {
    // Only the pages; office.js copying and the manifest are not part of the figure.
    // (and the plugin that adds the pages' preload links: those scripts are fetched at startup too).
    const preload = config.plugins.filter((p) => p.constructor.name === "PreloadChunksPlugin");
    config.plugins = [...preload, ...[pagePlugin, indexPlugin].map((p) => new HtmlWebpackPlugin({ ...p.userOptions }))];
  }
  return config;
}

function compile(config) {
  const webpack = require(path.join(ROOT, "node_modules/webpack"));
  return new Promise((resolve, reject) =>
    webpack(config, (error, stats) => {
      if (error) return reject(error);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve(stats);
    }),
  );
}

/** gzip -9 bytes of each script the page loads or preloads (office.js left out). */
function initialScripts(outDir, html) {
  const text = fs.readFileSync(path.join(outDir, html), "utf8");
  const attr = (re) => [...text.matchAll(re)].map((m) => m[1].replace(/^["']|["']$/g, ""));
  const scripts = attr(/<script[^>]*\ssrc=("[^"]+"|'[^']+'|[^\s>]+)/g);
  // Preloaded chunks (webpack.config.js PreloadChunksPlugin) are fetched at startup: they count.
  const preloaded = attr(/<link[^>]*rel="?preload"?[^>]*\shref=("[^"]+"|'[^']+'|[^\s>]+)/g).filter((s) => s.endsWith(".js"));
  const srcs = [...scripts, ...preloaded].filter((s) => !/office\.js$/.test(s));
  return srcs.map((src) => {
    const bytes = fs.readFileSync(path.join(outDir, src.replace(/^\.?\//, "")));
    return { file: src, raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  });
}

const packageOf = (name) => {
  const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(name ?? "");
  return m ? m[1].replace(/\\/g, "/") : "(app) " + (name ?? "").replace(/^\.\//, "").split(/[\\/]/).slice(0, 4).join("/");
};

/** The largest packages and modules in the initial chunks (source_kB: webpack's module sizes, before minification and tree shaking). */
function largest(stats) {
  const json = stats.toJson({ all: false, chunks: true, chunkModules: true, chunkModulesSpace: Infinity, modules: false });
  const initial = json.chunks.filter((c) => c.initial && c.names.some((n) => n === "taskpane" || n === "vendors"));
  const sizes = new Map();
  const modules = [];
  const add = (m) => {
    if (m.moduleType === "runtime" || !m.name) return;
    sizes.set(packageOf(m.name), (sizes.get(packageOf(m.name)) ?? 0) + m.size);
    modules.push({ module: m.name, source_kB: Math.round(m.size / 1024) });
  };
  for (const c of initial) for (const m of c.modules ?? []) add(m);
  const packages = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([pkg, size]) => ({ package: pkg, source_kB: Math.round(size / 1024) }));
  const lazy = json.chunks.filter((c) => !c.initial).map((c) => ({ chunk: c.names.join(",") || c.files.join(","), kB: Math.round(c.size / 1024) }));
  return { packages, modules: modules.sort((a, b) => b.source_kB - a.source_kB).slice(0, 15), lazy_chunks: lazy };
}

export async function run() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sidecar-bench-bundle-"));
  try {
    const entry = path.join(tmp, "baseline-entry.js");
    fs.writeFileSync(entry, BASELINE_ENTRY);
    const paneDir = path.join(tmp, "pane");
    const baseDir = path.join(tmp, "baseline");
    const paneStats = await compile(configFor(paneDir, null));
    await compile(configFor(baseDir, entry));
    const pane = initialScripts(paneDir, "taskpane.html");
    const base = initialScripts(baseDir, "index.html");
    const sum = (xs) => xs.reduce((a, x) => a + x.gzip, 0);
    // Keep the baseline build for the load figure.
    const keep = path.join(ROOT, "bench-results", "baseline-page");
    fs.rmSync(keep, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(keep), { recursive: true });
    fs.cpSync(baseDir, keep, { recursive: true });
    return [
      figure({
        figure: "bundle: initial JS (gzip -9)",
        unit: "kB",
        measured: sum(pane) / 1024,
        baseline: sum(base) / 1024,
        target: 1.15,
        details: { pane_scripts: pane, baseline_scripts: base, ...largest(paneStats) },
      }),
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Builds the baseline page into bench-results/baseline-page (for the load figure) unless it is there. */
export async function ensureBaselinePage() {
  const dir = path.join(ROOT, "bench-results", "baseline-page");
  const built = path.join(dir, "index.html");
  const inputs = ["webpack.config.js", "package-lock.json"].map((f) => path.join(ROOT, f)).filter((f) => fs.existsSync(f));
  if (fs.existsSync(built) && inputs.every((f) => fs.statSync(f).mtimeMs < fs.statSync(built).mtimeMs)) return dir;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sidecar-bench-bundle-"));
  const entry = path.join(tmp, "baseline-entry.js");
  fs.writeFileSync(entry, BASELINE_ENTRY);
  await compile(configFor(dir, entry));
  fs.rmSync(tmp, { recursive: true, force: true });
  return dir;
}

runAlone(import.meta.url, async () => {
  const rows = await run();
  const { packages, lazy_chunks } = rows[0].details;
  console.table(packages);
  console.table(lazy_chunks);
  return rows;
});
