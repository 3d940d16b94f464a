// Jest globalSetup of the "server" and "e2e" projects (jest.config.js): the local server's entry
// (src/server/main.ts) bundled into one CommonJS file that the tests start as a child process
// (test/server/process-helpers.ts, test/support/local-server.ts), named by
// SIDECAR_TEST_SERVER_BUNDLE, which Jest's workers inherit. Built from the sources at the start of
// every run, in about 0.2 s.
//
// Why: started through tsx, a server spends about 1.4 s of processor time before it listens (tsx's
// loader thread, and each source file looked up and compiled on its own); the bundle about 0.7 s
// (measured: ready in 0.65 s instead of 1.2). The suites start a server process dozens of times
// (each end-to-end file; the tests that kill, restart or run several). `npm run server` itself
// still runs the sources through tsx.
//
// Packages stay outside the bundle (loaded from node_modules as always). A source file's __dirname
// and __filename stay its own directory and path (the document reader finds its worker thread's
// file by them), not the bundle's.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const OUTFILE = path.join(ROOT, "node_modules", ".cache", "sidecar-tests", "server.cjs");

const ownPaths = {
  name: "own-dirname",
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, "utf8");
      const contents = source
        .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
        .replace(/\b__filename\b/g, JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};

// Built again by each project's setup and each run of watch mode, so it is never older than the sources.
module.exports = async function buildServerBundle() {
  await esbuild.build({
    entryPoints: [path.join(ROOT, "src", "server", "main.ts")],
    outfile: OUTFILE,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    plugins: [ownPaths],
  });
  process.env.SIDECAR_TEST_SERVER_BUNDLE = OUTFILE;
};
