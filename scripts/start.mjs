#!/usr/bin/env node
// `npm start`: builds the pane when dist/ is missing or stale, starts the local server (port 3100,
// serves dist/ and the API) and the webpack dev server (https://localhost:3000, what manifest.xml
// points Word at) in the background, waits until both answer, and prints where everything is.
// Where Word exists (Windows, macOS) it also sideloads manifest.xml. `npm stop` stops it all.
//
// Environment:
//   PORT                    local server port (default: package.json config.server_port = 3100)
//   SIDECAR_DEV_HTTP=1      dev server over plain http (Word needs https; fine for a browser)
//   SIDECAR_SERVER_CMD      a different server command line (run through the shell), e.g. a stand-in
//   SIDECAR_START_TIMEOUT   seconds to wait for each server (default 60)
//   SIDECAR_DEMO_PASSWORD   the demo account's password, when the server was given one
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import {
  IS_WORD_PLATFORM,
  LOG_DIR,
  ROOT,
  canConnect,
  clearRunState,
  devServerPort,
  isAlive,
  officeAddinDebugging,
  processStartTime,
  readRunState,
  serverPort,
  sleep,
  stopProcessTree,
  writeRunState,
} from "./lib/run-state.mjs";

const SERVER_PORT = serverPort();
const DEV_PORT = devServerPort();
const DEV_PROTOCOL = process.env.SIDECAR_DEV_HTTP === "1" ? "http" : "https";
const TIMEOUT_MS = (Number(process.env.SIDECAR_START_TIMEOUT) || 60) * 1000;
const WEBPACK_CLI = join(ROOT, "node_modules", "webpack-cli", "bin", "cli.js");
const TSX_CLI = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const rel = (p) => relative(process.cwd(), p) || ".";

/** Files whose change means dist/ must be rebuilt. */
const BUILD_INPUTS = [
  "src/taskpane",
  "src/commands",
  "assets",
  "manifest.xml",
  "webpack.config.js",
  "scripts/manifest-urls.js",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
const BUILD_OUTPUTS = ["index.html", "taskpane.html", "commands.html", "manifest.xml", "build-info.json"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why dist/ needs a build, or undefined when it is current. */
function buildNeeded() {
  const dist = join(ROOT, "dist");
  const missing = BUILD_OUTPUTS.filter((f) => !existsSync(join(dist, f)));
  if (missing.length) return `dist/ has no ${missing.join(", ")}`;
  const builtAt = newestMtime(dist); // build-info.json is rewritten by every build
  const changed = BUILD_INPUTS.find((p) => newestMtime(join(ROOT, p)) > builtAt);
  return changed ? `${changed} changed since the last build` : undefined;
}

function build(reason) {
  console.log(`Building the pane into dist/ (${reason}): webpack --mode production …`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [WEBPACK_CLI, "--mode", "production", "--stats", "errors-warnings"], {
    cwd: ROOT,
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) {
    console.error("\nThe build failed (output above). Fix it, or run `npm run build` to see it again.");
    process.exit(1);
  }
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

function tail(file, lines = 30) {
  if (!existsSync(file)) return "(no log)";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** Exit status of the processes started here, by pid, once they have exited. */
const exits = new Map();

/** Starts a detached process (its own process group) with stdout+stderr in `log`. */
function startDetached({ label, port, log, command, args, shell = false }) {
  // Logs may hold what a person typed into a sign-in URL: readable by this user only.
  const fd = openSync(log, "w", 0o600);
  fchmodSync(fd, 0o600);
  writeSync(fd, `# ${label} started ${new Date().toISOString()}: ${[command, ...args].join(" ")}\n`);
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    shell,
    stdio: ["ignore", fd, fd],
    windowsHide: true,
    env: { ...process.env, PORT: String(SERVER_PORT), FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  closeSync(fd);
  child.on("error", (err) => console.error(`Could not start the ${label}: ${err.message}`));
  child.once("exit", (code, signal) => exits.set(child.pid, signal ? `was stopped by ${signal}` : `exited with code ${code}`));
  child.unref();
  if (!child.pid) throw new Error(`could not start the ${label} (${command})`);
  return { pid: child.pid, label, port, log: relative(ROOT, log), startTime: processStartTime(child.pid) };
}

async function waitUntil(check, entry) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exits.has(entry.pid) || !isAlive(entry)) return "exited";
    if (await check()) return "ok";
    await sleep(300);
  }
  return "timeout";
}

async function healthy() {
  try {
    const res = await fetch(`http://127.0.0.1:${SERVER_PORT}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

function printAddresses(heading) {
  const password = process.env.SIDECAR_DEMO_PASSWORD ? "the password in SIDECAR_DEMO_PASSWORD" : "sidecar-demo";
  console.log(`
${heading}
  Browser tab:  http://localhost:${SERVER_PORT}/
  Word pane:    ${DEV_PROTOCOL}://localhost:${DEV_PORT}/taskpane.html   (what manifest.xml loads in Word)
  Sign in:      demo@sidecar.local / ${password}
  Logs:         .sidecar/logs/server.log, .sidecar/logs/dev-server.log
  Stop:         npm stop
`);
}

async function main() {
  // Already running?
  const previous = readRunState();
  if (previous) {
    const entries = Object.values(previous.processes ?? {});
    const alive = entries.filter(isAlive);
    if (entries.length && alive.length === entries.length) {
      printAddresses(`Sidecar is already running (since ${previous.startedAt}).`);
      return;
    }
    if (alive.length) {
      const dead = entries.filter((e) => !alive.includes(e)).map((e) => e.label);
      console.log(`The ${dead.join(" and ")} had stopped; restarting everything.`);
      for (const e of alive) await stopProcessTree(e.pid);
    }
    clearRunState();
  }

  // The ports must be free: a leftover server would answer the health check in place of ours.
  if (await canConnect(SERVER_PORT)) {
    console.error(`Port ${SERVER_PORT} is already in use by a program npm start did not start.\nStop it, or start on another port: PORT=3200 npm start`);
    process.exit(1);
  }
  if (await canConnect(DEV_PORT)) {
    console.error(`Port ${DEV_PORT} is already in use. Word loads the pane from ${DEV_PROTOCOL}://localhost:${DEV_PORT}/ (manifest.xml), so Sidecar needs it: stop the program using it and run npm start again.`);
    process.exit(1);
  }

  const reason = buildNeeded();
  if (reason) build(reason);
  else console.log("dist/ is up to date.");

  // Word trusts only a certificate it knows; create and install the Office dev certificate once
  // (it asks for an administrator password). Not on Linux: no Word here and no sudo to install it.
  if (IS_WORD_PLATFORM && DEV_PROTOCOL === "https" && !existsSync(join(process.env.HOME || process.env.USERPROFILE || "", ".office-addin-dev-certs", "localhost.crt"))) {
    console.log("Installing the Office add-in development certificate for https://localhost (office-addin-dev-certs) …");
    spawnSync(process.execPath, [join(ROOT, "node_modules", "office-addin-dev-certs", "cli.js"), "install"], { cwd: ROOT, stdio: "inherit" });
  }

  mkdirSync(LOG_DIR, { recursive: true, mode: 0o700 });
  const customServer = process.env.SIDECAR_SERVER_CMD;
  const server = startDetached({
    label: "local server",
    port: SERVER_PORT,
    log: join(LOG_DIR, "server.log"),
    ...(customServer
      ? { command: customServer, args: [], shell: true }
      : { command: process.execPath, args: [TSX_CLI, "src/server/main.ts"] }),
  });
  const devServer = startDetached({
    label: "dev server",
    port: DEV_PORT,
    log: join(LOG_DIR, "dev-server.log"),
    command: process.execPath,
    args: [WEBPACK_CLI, "serve", "--mode", "development"],
  });
  const state = { startedAt: new Date().toISOString(), processes: { server, devServer } };
  writeRunState(state);
  console.log(`Started the local server (pid ${server.pid}) and the dev server (pid ${devServer.pid}).`);

  const fail = async (entry, what) => {
    console.error(`\nThe ${entry.label} ${what}. Last lines of ${entry.log}:\n`);
    console.error(tail(join(ROOT, entry.log)));
    for (const e of [server, devServer]) if (!exits.has(e.pid) && isAlive(e)) await stopProcessTree(e.pid, 3000);
    clearRunState();
    console.error(`\nNothing is left running. Full log: ${rel(join(ROOT, entry.log))}`);
    process.exit(1);
  };

  console.log(`Waiting for the local server: http://127.0.0.1:${SERVER_PORT}/healthz …`);
  const serverUp = await waitUntil(healthy, server);
  if (serverUp !== "ok") await fail(server, serverUp === "exited" ? (exits.get(server.pid) ?? "exited") : `did not answer /healthz within ${TIMEOUT_MS / 1000} s`);

  console.log(`Waiting for the dev server on port ${DEV_PORT} …`);
  const devUp = await waitUntil(() => canConnect(DEV_PORT), devServer);
  if (devUp !== "ok") await fail(devServer, devUp === "exited" ? (exits.get(devServer.pid) ?? "exited") : `did not listen on port ${DEV_PORT} within ${TIMEOUT_MS / 1000} s`);

  if (IS_WORD_PLATFORM) {
    console.log("Sideloading manifest.xml into Word (office-addin-debugging) …");
    // The dev server already runs: with --dev-server-port it is found and not started a second time.
    officeAddinDebugging(["start", "manifest.xml", "desktop", "--app", "word", "--no-debug", "--dev-server-port", String(DEV_PORT)]);
    writeRunState({ ...state, sideloaded: true });
    console.log("If Word did not open with Sidecar on the Home tab, check the manifest with `npm run validate` (needs the internet) and sideload it by hand.");
  } else {
    console.log(
      `\nWord is not available on this machine (${process.platform}), so nothing was sideloaded.` +
        `\nThe pane runs in a browser tab at http://localhost:${SERVER_PORT}/ (a .docx you pick stands in for the open document).`,
    );
  }
  printAddresses("Sidecar is running.");
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
