// Shared by scripts/start.mjs and scripts/stop.mjs: where things live, which ports are used, and
// how the background processes recorded in .sidecar/run.json are checked and stopped.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const STATE_DIR = join(ROOT, ".sidecar");
export const LOG_DIR = join(STATE_DIR, "logs");
export const RUN_FILE = join(STATE_DIR, "run.json");
export const IS_WORD_PLATFORM = process.platform === "win32" || process.platform === "darwin";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

function port(...candidates) {
  for (const value of candidates) {
    const n = Number(value);
    if (value !== undefined && value !== "" && Number.isInteger(n) && n > 0 && n < 65536) return n;
  }
  throw new Error("no valid port configured");
}

/** The local server's port: PORT, then package.json config.server_port, then 3100. */
export const serverPort = () => port(process.env.PORT, process.env.npm_package_config_server_port, pkg.config?.server_port, 3100);
/** The dev server's port (manifest.xml's URLs use it): package.json config.dev_server_port, then 3000. */
export const devServerPort = () => port(process.env.npm_package_config_dev_server_port, pkg.config?.dev_server_port, 3000);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @returns {{ startedAt: string, processes: Record<string, {pid: number, label: string, port: number, log: string, startTime?: string}>, sideloaded?: boolean } | undefined} */
export function readRunState() {
  if (!existsSync(RUN_FILE)) return undefined;
  try {
    return JSON.parse(readFileSync(RUN_FILE, "utf8"));
  } catch {
    return undefined; // unreadable: treat as nothing recorded
  }
}

export function writeRunState(state) {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(RUN_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearRunState() {
  rmSync(RUN_FILE, { force: true });
}

function pidExists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/**
 * When the process started, in clock ticks since boot (Linux /proc only; undefined elsewhere).
 * A pid plus its start time names one process for good, even after the pid is reused.
 */
export function processStartTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19]; // field 22, starttime
  } catch {
    return undefined;
  }
}

/**
 * True when the recorded process still runs and is still the one start.mjs started (same start
 * time, where the OS tells it), so a pid reused by an unrelated process is not mistaken for it.
 */
export function isAlive(entry) {
  if (!entry?.pid || !pidExists(entry.pid)) return false;
  if (entry.startTime === undefined) return true;
  const now = processStartTime(entry.pid);
  return now === undefined || now === entry.startTime;
}

function groupExists(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/**
 * Stops a process started detached by start.mjs together with its children (its process group):
 * SIGTERM, then SIGKILL if anything is left after `graceMs`. On Windows: taskkill /T (the tree).
 * @returns {Promise<"stopped" | "killed">}
 */
export async function stopProcessTree(pid, graceMs = 5000) {
  if (process.platform === "win32") {
    spawnSync("taskkill", ["/PID", String(pid), "/T"], { stdio: "ignore" });
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && pidExists(pid)) await sleep(200);
    if (!pidExists(pid)) return "stopped";
    spawnSync("taskkill", ["/PID", String(pid), "/T", "/F"], { stdio: "ignore" });
    return "killed";
  }
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    try {
      process.kill(pid, "SIGTERM"); // not a group leader after all
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (groupExists(pid) || pidExists(pid))) await sleep(150);
  if (!groupExists(pid) && !pidExists(pid)) return "stopped";
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone in the meantime */
    }
  }
  return "killed";
}

/** Resolves true when something accepts TCP connections on host:port within `timeoutMs`. */
export function canConnect(port, host = "127.0.0.1", timeoutMs = 1000) {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Runs office-addin-debugging's CLI (sideloading into Word) with the given arguments; output shown as is. */
export function officeAddinDebugging(args) {
  const cli = join(ROOT, "node_modules", "office-addin-debugging", "cli.js");
  return spawnSync(process.execPath, [cli, ...args], { cwd: ROOT, stdio: "inherit", env: process.env });
}
