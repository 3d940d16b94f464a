// `npm run server`: starts the local server and says where the pane is.
import cluster from "node:cluster";
import fs from "node:fs";
import path from "node:path";
import { buildApp } from "./app";
import { DataDirLockedError } from "./storage/data-dir-lock";
import { DatabaseDamagedError, StorageVersionError } from "./storage/storage";
import { SERVICES } from "../shared/contract/endpoints";
import { ConfigError, DEFAULT_DEMO_PASSWORD, loadConfig, type Config } from "./config";
import { STOP_MESSAGE, superviseWorkers } from "./workers";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** A database URL as printed: its password hidden. */
function redactedDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    return "(SIDECAR_DATABASE_URL)";
  }
}

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

/** Why the server could not open its data directory or database, in words (never a stack trace). */
function startFailure(error: unknown, config: Config): string {
  const dataDir = config.dataDir;
  if (error instanceof DataDirLockedError || error instanceof DatabaseDamagedError || error instanceof StorageVersionError) {
    return `Sidecar server cannot start: ${error.message}`;
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (config.databaseUrl) {
    const where = redactedDatabaseUrl(config.databaseUrl);
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "EAI_AGAIN") {
      return `Sidecar server cannot start: PostgreSQL at ${where} cannot be reached (${code}). Start PostgreSQL, or check the host and port in SIDECAR_DATABASE_URL.`;
    }
    if (code === "28P01" || code === "28000") {
      return `Sidecar server cannot start: PostgreSQL at ${where} refused the user name or password. Check them in SIDECAR_DATABASE_URL.`;
    }
    if (code === "3D000") return `Sidecar server cannot start: the database in ${where} does not exist. Create it (createdb), or name another one in SIDECAR_DATABASE_URL.`;
    return `Sidecar server cannot start: could not open the PostgreSQL database ${where}.\n  ${(error as Error).message}`;
  }
  if (code === "ENOSPC" || code === "SQLITE_FULL") {
    return `Sidecar server cannot start: the disk holding ${dataDir} is full. Free some space (or set SIDECAR_DATA_DIR to a directory on another disk) and start it again.`;
  }
  return `Sidecar server cannot start: could not open the data directory ${dataDir}.\n  ${(error as Error).message}\nCheck that the directory is writable, or set SIDECAR_DATA_DIR to another one.`;
}

async function main(): Promise<void> {
  // Whatever this process creates (data, stored files) is its own: 0700 directories, 0600 files.
  process.umask(0o077);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`Sidecar server cannot start.\n${error.message}`);
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    // This process only supervises; each of the N it starts runs the rest of main().
    superviseWorkers(config.workers);
    return;
  }

  let app;
  try {
    app = await buildApp(config);
  } catch (error) {
    fail(startFailure(error, config));
  }

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      fail(
        `Sidecar server cannot start: port ${config.port} on ${config.host} is already in use (is another Sidecar server running?).\nStop the other program, or start this one on a free port, e.g. PORT=3101 npm run server.`,
      );
    }
    if (code === "EACCES" || code === "EADDRNOTAVAIL") {
      fail(`Sidecar server cannot start: cannot listen on ${config.host}:${config.port} (${code}). Check HOST and PORT.`);
    }
    throw error;
  }

  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const base = `http://${displayHost(config.host)}:${port}`;
  const lines = [
    `Sidecar server listening on ${base}`,
    `  Pane in a browser tab:  ${base}/`,
    `  Pane for Word:          ${base}/taskpane.html`,
    config.databaseUrl ? `  Database:               PostgreSQL, ${redactedDatabaseUrl(config.databaseUrl)}` : `  Data directory:         ${config.dataDir}`,
  ];
  if (!fs.existsSync(path.join(config.staticDir, "index.html"))) {
    lines.push(`  The pane is not built yet (no ${config.staticDir}): run npm run build.`);
  }
  if (config.apiKey) lines.push("  API key required:       yes (Ocp-Apim-Subscription-Key)");
  if (config.workers > 1) lines.push(`  Server processes:       ${config.workers} on this port (SIDECAR_WORKERS)`);
  if (config.services.length < SERVICES.length) lines.push(`  Services served:        ${config.services.join(", ")} (SIDECAR_SERVICES)`);
  const demo = app.sidecar.demoUserCreated;
  if (!config.demoAccount && (await app.sidecar.storage.users.count()) === 0) {
    lines.push(
      `No accounts yet, and no demo account: HOST=${config.host} can be reached from other machines. Add one with npm run user:add -- --org <name> --email <e-mail> --password <password>, or set SIDECAR_DEMO_ACCOUNT=yes.`,
    );
  }
  const demoLines: string[] = [];
  if (demo) {
    // A password of the person's own choosing is a secret: never printed (the output may be kept in a log).
    const password = demo.password === DEFAULT_DEMO_PASSWORD ? demo.password : "the password in SIDECAR_DEMO_PASSWORD";
    demoLines.push(`Created the demo sign-in: ${demo.email} / ${password}`);
    if (config.services.includes("documents")) demoLines.push(`  Its Artos user id (POST /get-access-token): ${demo.userId}`);
  }
  // With SIDECAR_WORKERS, the first process says it for all; the demo sign-in, whichever made it.
  if (process.env.SIDECAR_WORKER_BANNER !== "no") console.log([...lines, ...demoLines].join("\n"));
  else if (demoLines.length > 0) console.log(demoLines.join("\n"));

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      console.log("Stopping now.");
      process.exit(1);
    }
    closing = true;
    console.log(`Received ${signal}; stopping the Sidecar server...`);
    // Requests in flight get a few seconds to finish; then remaining connections are cut.
    setTimeout(() => app.server.closeAllConnections(), 3_000).unref();
    setTimeout(() => {
      console.error("The server did not stop within 10 s; exiting anyway.");
      process.exit(1);
    }, 10_000).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("Error while stopping:", error);
        process.exit(1);
      },
    );
  };
  if (cluster.isWorker) {
    // One of SIDECAR_WORKERS: the supervisor says when to stop (Ctrl-C reaches every process of the
    // terminal; the supervisor's word is the one that counts, so a stop is never heard twice).
    process.on("SIGINT", () => undefined);
    process.on("message", (message) => {
      if (message === STOP_MESSAGE && !closing) shutdown("the supervisor's stop");
    });
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    return;
  }
  // A second signal while stopping exits at once.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("Sidecar server stopped on an unexpected error:", error);
  process.exit(1);
});
