// A throwaway PostgreSQL cluster for the server tests and the benchmarks (scripts/postgres-cluster.mjs
// is its command line; scripts/test-postgres.mjs starts one when SIDECAR_TEST_DATABASE_URL is unset).
//
// <dir>/data is the cluster (initdb: UTF8, locale C.UTF-8, superuser "postgres", trust authentication on
// loopback and the Unix socket only), <dir> itself the Unix socket directory, <dir>/postgres.log its
// log and <dir>/cluster.json the state (dir, port, pid, url, bin). It listens on 127.0.0.1 on a free
// port and trades durability for speed (fsync, synchronous_commit and full_page_writes off): nothing in
// it is meant to outlive the run.
//
// initdb, pg_ctl and postgres refuse to run as root: as root, they run as the "postgres" system user
// (created by Debian's package) through runuser, on a directory that user owns.
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const INSTALL_HINT =
  "apt-get install postgresql on Debian/Ubuntu, whose server package includes the citext and unaccent extensions; " +
  "brew install postgresql on macOS; elsewhere put pg_config on PATH or set SIDECAR_POSTGRES_BIN to PostgreSQL's bin directory";
export const NOT_INSTALLED = `PostgreSQL is not installed: ${INSTALL_HINT}`;
/** Contrib extensions the PostgreSQL storage engine creates. */
export const REQUIRED_EXTENSIONS = ["citext", "unaccent"];
export const STATE_FILE = "cluster.json";

const PROGRAMS = ["initdb", "pg_ctl", "postgres"];
const SYSTEM_USER = "postgres";
const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;
const hasPrograms = (bin) => PROGRAMS.every((p) => existsSync(join(bin, p)));

/**
 * The directory holding initdb, pg_ctl and postgres: $SIDECAR_POSTGRES_BIN when set, else the newest
 * major version under /usr/lib/postgresql (Debian, Ubuntu), else what `pg_config --bindir` says. Undefined when PostgreSQL is not installed.
 * @returns {string | undefined}
 */
export function findPostgresBin() {
  const forced = process.env.SIDECAR_POSTGRES_BIN; // an explicit choice: the only place looked at
  if (forced) return hasPrograms(forced) ? resolve(forced) : undefined;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name) && hasPrograms(join(root, name, "bin")))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    if (majors.length) return join(root, majors[0], "bin");
  }
  const pgConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  const bin = pgConfig.status === 0 ? pgConfig.stdout.trim() : "";
  return bin && hasPrograms(bin) ? bin : undefined;
}

/** Which of REQUIRED_EXTENSIONS the installation in `bin` lacks (judged by their .control files). */
export function missingExtensions(bin) {
  const out = spawnSync(join(bin, "pg_config"), ["--sharedir"], { encoding: "utf8" });
  const candidates = [];
  if (out.status === 0 && out.stdout.trim()) candidates.push(join(out.stdout.trim(), "extension"));
  const major = /postgresql\/([^/]+)\/bin\/?$/.exec(bin)?.[1];
  if (major) candidates.push(`/usr/share/postgresql/${major}/extension`); // Debian, when pg_config is absent
  candidates.push(resolve(bin, "..", "share", "postgresql", "extension"), resolve(bin, "..", "share", "extension"));
  const dir = candidates.find((d) => existsSync(d));
  if (!dir) return []; // cannot tell: let CREATE EXTENSION say so
  return REQUIRED_EXTENSIONS.filter((name) => !existsSync(join(dir, `${name}.control`)));
}

/** Runs a PostgreSQL program, as the postgres system user when we are root; throws with its output on failure. */
function run(bin, program, args, what) {
  const [cmd, cmdArgs] = isRoot() ? ["runuser", ["-u", SYSTEM_USER, "--", join(bin, program), ...args]] : [join(bin, program), args];
  // Our own environment minus libpq's variables, which would redirect pg_ctl/pg_isready elsewhere.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^PG[A-Z]/.test(k)));
  const res = spawnSync(cmd, cmdArgs, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
  if (res.error) throw new Error(`${what}: cannot run ${cmd}: ${res.error.message}`);
  if (res.status !== 0) {
    const output = `${res.stdout}${res.stderr}`.trim();
    throw new Error(`${what} failed (${program} exited with ${res.status ?? res.signal})${output ? `:\n${output}` : ""}`);
  }
  return res.stdout;
}

function systemUserIds() {
  const uid = spawnSync("id", ["-u", SYSTEM_USER], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", SYSTEM_USER], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(
      `PostgreSQL refuses to run as root and there is no "${SYSTEM_USER}" system user to run it as ` +
        "(Debian's postgresql package creates it); run this as an ordinary user instead.",
    );
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const readState = (dir) => {
  try {
    return JSON.parse(readFileSync(join(dir, STATE_FILE), "utf8"));
  } catch {
    return undefined;
  }
};

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Creates and starts a cluster in `dir` (created if missing, must be empty) or in a new temporary
 * directory. Resolves once it accepts connections.
 * @param {{ dir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string, dir: string, port: number, pid: number, bin: string, stateFile: string, stop: () => void }>}
 */
export async function startCluster({ dir, log = () => {} } = {}) {
  const started = Date.now();
  const bin = findPostgresBin();
  if (!bin) throw Object.assign(new Error(NOT_INSTALLED), { code: "POSTGRES_NOT_INSTALLED" });
  const missing = missingExtensions(bin);
  if (missing.length) log(`warning: PostgreSQL in ${bin} lacks the ${missing.join(" and ")} extension(s) (${INSTALL_HINT})`);

  const owner = isRoot() ? systemUserIds() : undefined;
  if (dir) {
    dir = resolve(dir);
    mkdirSync(dir, { recursive: true });
    if (readdirSync(dir).length) throw new Error(`${dir} is not empty: give an empty or new directory for the cluster`);
  } else {
    dir = mkdtempSync(join(tmpdir(), "sidecar-pg-"));
  }
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const data = join(dir, "data");
    const logFile = join(dir, "postgres.log");

    try {
      run(
        bin,
        "initdb",
        ["-D", data, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
        "initdb",
      );
    } catch (err) {
      if (owner && /permission denied/i.test(err.message)) {
        err.message += `\n(as root, PostgreSQL runs as the "${SYSTEM_USER}" user, which must be able to reach ${dir}: use a directory under ${tmpdir()})`;
      }
      throw err;
    }
    // Only loopback and the socket in <dir>, both trusted; nothing else may connect.
    writeFileSync(
      join(data, "pg_hba.conf"),
      "# throwaway test cluster (scripts/postgres-cluster-lib.mjs): trust, loopback only\n" +
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n",
    );
    const settings = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir.replace(/'/g, "''")}'`,
      fsync: "off",
      synchronous_commit: "off",
      full_page_writes: "off",
      max_connections: "300", // the server tests open many pools
      timezone: "'UTC'",
      log_timezone: "'UTC'",
    };

    // The port was free when we looked; another process may take it before postgres binds it: retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const conf = Object.entries({ ...settings, port: String(port) })
        .map(([k, v]) => `${k} = ${v}\n`)
        .join("");
      writeFileSync(join(data, "postgresql.auto.conf"), `# written by scripts/postgres-cluster-lib.mjs\n${conf}`);
      if (owner) {
        chownSync(join(data, "pg_hba.conf"), owner.uid, owner.gid);
        chownSync(join(data, "postgresql.auto.conf"), owner.uid, owner.gid);
      }
      const logBefore = existsSync(logFile) ? readFileSync(logFile, "utf8").length : 0;
      try {
        // -w: pg_ctl returns once the postmaster reports it is ready to accept connections.
        run(bin, "pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", logFile], "starting PostgreSQL");
      } catch (err) {
        const logText = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(logBefore) : "";
        if (attempt < 5 && /could not bind|Address already in use/i.test(logText)) {
          log(`port ${port} was taken meanwhile; trying another`);
          continue;
        }
        throw new Error(`${err.message}\n--- ${logFile} ---\n${logText.trim().split("\n").slice(-20).join("\n")}`);
      }
      await waitForTcp(bin, port);
      const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const stateFile = join(dir, STATE_FILE);
      writeFileSync(stateFile, `${JSON.stringify({ dir, data, port, pid, url, bin, startedAt: new Date().toISOString() }, null, 2)}\n`);
      log(`PostgreSQL ${bin} started in ${Date.now() - started} ms, pid ${pid}, port ${port}; state in ${stateFile}`);
      const clusterDir = dir;
      return { url, dir, port, pid, bin, stateFile, stop: () => stopCluster(clusterDir) };
    }
  } catch (err) {
    stopCluster(dir, { quiet: true });
    throw err;
  }
}

/** Belt and braces after pg_ctl -w: the TCP listener answers (pg_isready), within 30 s. */
async function waitForTcp(bin, port) {
  const isready = join(bin, "pg_isready");
  if (!existsSync(isready)) return;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = spawnSync(isready, ["-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", "postgres"]);
    if (res.status === 0) return;
    if (Date.now() > deadline) throw new Error(`PostgreSQL on 127.0.0.1:${port} did not accept connections within 30 s`);
    await sleep(50);
  }
}

/**
 * Stops the cluster in `dir` (pg_ctl stop -m fast, else kills the postmaster) and removes `dir`.
 * Only removes a directory that looks like one of ours (cluster.json or data/PG_VERSION in it).
 * @param {string} dir
 * @param {{ quiet?: boolean }} [options]
 */
export function stopCluster(dir, { quiet = false } = {}) {
  dir = resolve(dir);
  if (!existsSync(dir)) return;
  const state = readState(dir);
  const data = state?.data ?? join(dir, "data");
  const ours = state || existsSync(join(data, "PG_VERSION")) || readdirSync(dir).length === 0;
  if (!ours) throw new Error(`${dir} does not hold a cluster started by scripts/postgres-cluster.mjs; not touching it`);

  const pidFile = join(data, "postmaster.pid");
  if (existsSync(pidFile)) {
    const bin = state?.bin && existsSync(join(state.bin, "pg_ctl")) ? state.bin : findPostgresBin();
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    try {
      if (!bin) throw new Error("pg_ctl not found");
      run(bin, "pg_ctl", ["stop", "-w", "-t", "30", "-m", "fast", "-D", data], "stopping PostgreSQL");
    } catch (err) {
      if (!quiet) console.error(`${err.message}\n(killing the postmaster, pid ${pid})`);
      if (pid > 0 && pidAlive(pid)) {
        try {
          process.kill(pid, "SIGQUIT"); // immediate shutdown; children exit with it
        } catch {
          /* gone meanwhile */
        }
        for (let i = 0; i < 100 && pidAlive(pid); i++) sleepSync(50);
      }
    }
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
