// Runs one of the existing bench scripts as a child process and reads the JSON it writes.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./lib.mjs";

export function runScript(script, resultFile, env = {}) {
  const result = path.join(ROOT, "bench-results", resultFile);
  fs.rmSync(result, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bench", script)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("exit", (code) => {
      if (!fs.existsSync(result)) return reject(new Error(`${script} exited ${code} without writing ${resultFile}:\n${out}`));
      resolve({ code, json: JSON.parse(fs.readFileSync(result, "utf8")) });
    });
  });
}
