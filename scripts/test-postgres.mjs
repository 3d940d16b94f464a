#!/usr/bin/env node
// Runs the server tests (test/server/: the ones that use storage; the server project's tooling and
// contract tests are the same on both engines and run once, with SQLite) against PostgreSQL:
//   jest --selectProjects server --maxWorkers=2 --testPathPatterns test/server/ <arguments given to this script>
// with SIDECAR_TEST_ENGINE=postgres and SIDECAR_TEST_DATABASE_URL=<an admin URL> (each test file creates
// and drops its own databases there: test/support/postgres.ts).
//
// SIDECAR_TEST_DATABASE_URL already set: that server is used. Otherwise a throwaway cluster is started
// (scripts/postgres-cluster-lib.mjs) and stopped at the end, also on failure, SIGINT and SIGTERM.
// PostgreSQL not installed: the run is skipped (exit 0) with a line saying so, unless CI=true or
// SIDECAR_REQUIRE_POSTGRES=1, where that is an error (exit 1).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { INSTALL_HINT, findPostgresBin, startCluster } from "./postgres-cluster-lib.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const JEST = createRequire(import.meta.url).resolve("jest/bin/jest");
const required = process.env.CI === "true" || process.env.SIDECAR_REQUIRE_POSTGRES === "1";
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 };

let cluster; // the throwaway cluster, when we started one
let child; // jest
let interrupted; // the signal that asked us to stop

function stopOurCluster() {
  if (!cluster) return;
  const c = cluster;
  cluster = undefined;
  try {
    c.stop();
  } catch (err) {
    console.error(`test-postgres: could not stop the PostgreSQL cluster in ${c.dir}: ${err.message}`);
  }
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    interrupted ??= signal;
    // Jest gets a terminal's Ctrl-C itself; a SIGTERM sent to us alone is passed on. We stop the
    // cluster once Jest has exited (it still has connections open until then).
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    else if (!child) {
      stopOurCluster();
      process.exit(SIGNAL_CODES[signal] ?? 129);
    }
  });
}

async function main() {
  let url = process.env.SIDECAR_TEST_DATABASE_URL;
  if (url) {
    console.error(`test-postgres: using SIDECAR_TEST_DATABASE_URL (${redact(url)})`);
  } else {
    if (!findPostgresBin()) {
      const message = `PostgreSQL server tests skipped: PostgreSQL is not installed (${INSTALL_HINT})`;
      if (required) {
        console.error(`${message.replace("skipped", "cannot run")}; they are required here (CI=true or SIDECAR_REQUIRE_POSTGRES=1)`);
        return 1;
      }
      console.log(message);
      return 0;
    }
    cluster = await startCluster({ log: (line) => console.error(`test-postgres: ${line}`) });
    url = cluster.url;
    if (interrupted) return SIGNAL_CODES[interrupted] ?? 129;
  }

  const env = { ...process.env, SIDECAR_TEST_ENGINE: "postgres", SIDECAR_TEST_DATABASE_URL: url };
  delete env.SIDECAR_DATABASE_URL; // the tests choose their databases; never a real one from the shell
  const args = [JEST, "--selectProjects", "server", "--maxWorkers=2", "--testPathPatterns", "test/server/", ...process.argv.slice(2)];
  child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: "inherit" });
  return await new Promise((resolveCode) => {
    child.on("error", (err) => {
      console.error(`test-postgres: cannot run Jest: ${err.message}`);
      resolveCode(1);
    });
    child.on("exit", (code, signal) => resolveCode(code ?? SIGNAL_CODES[signal] ?? 1));
  });
}

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "not a URL";
  }
}

main()
  .catch((err) => {
    console.error(`test-postgres: ${err.stack ?? err}`);
    return 1;
  })
  .then((code) => {
    stopOurCluster();
    process.exit(code);
  });
