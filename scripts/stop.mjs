#!/usr/bin/env node
// `npm stop`: stops what `npm start` started (the process groups recorded in .sidecar/run.json)
// and, on Windows and macOS, unloads the add-in from Word.
import {
  IS_WORD_PLATFORM,
  canConnect,
  clearRunState,
  isAlive,
  officeAddinDebugging,
  readRunState,
  serverPort,
  devServerPort,
  stopProcessTree,
} from "./lib/run-state.mjs";

async function main() {
  const state = readRunState();
  if (IS_WORD_PLATFORM && state?.sideloaded) {
    console.log("Unloading Sidecar from Word (office-addin-debugging stop) …");
    officeAddinDebugging(["stop", "manifest.xml", "desktop"]);
  }

  const entries = Object.values(state?.processes ?? {});
  const alive = entries.filter(isAlive);
  if (!alive.length) {
    console.log("Nothing is running.");
  }
  for (const entry of alive) {
    const how = await stopProcessTree(entry.pid);
    console.log(`Stopped the ${entry.label} (pid ${entry.pid}, port ${entry.port})${how === "killed" ? " — it had to be killed" : ""}.`);
  }
  clearRunState();

  // Say so when a port is still taken by something npm start did not record.
  for (const [port, label] of [
    [serverPort(), "the local server's"],
    [devServerPort(), "the dev server's"],
  ]) {
    if (await canConnect(port)) console.log(`Note: port ${port} (${label}) is still in use by a program npm start did not start.`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
