// The real programs as child processes, for tests that kill and restart them.
import { spawn, type ChildProcess } from "node:child_process";
import { serverNodeArguments } from "../support/local-server";
import { REPO_ROOT } from "./helpers";

// `node --import tsx` runs a TypeScript entry in ONE process (the tsx CLI would put a wrapper
// process in between), so SIGKILL really kills it.
const TSX = ["--import", "tsx"];

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(nodeArguments: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, nodeArguments, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Runs one of the project's TypeScript programs (a CLI in src/server/cli/) through tsx. */
export function run(script: string, args: string[], env: Record<string, string>): Running {
  return start([...TSX, script, ...args], env);
}

/** Runs `npm run server`'s entry as the end-to-end tests run it (from the bundle Jest's setup built, when there is one). */
export function runServer(env: Record<string, string>): Running {
  return start(serverNodeArguments(), env);
}

/** Starts `npm run server`'s entry and resolves once it says where it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<Running & { url: string }> {
  const server = runServer(env);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(server.output());
    if (match?.[1]) return { ...server, url: match[1] };
    if (server.child.exitCode !== null || Date.now() > deadline) {
      server.child.kill("SIGKILL");
      throw new Error(`server did not start:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** kill -9, and wait until the process is gone. */
export async function killHard(server: Running): Promise<void> {
  server.child.kill("SIGKILL");
  await server.exited;
}
