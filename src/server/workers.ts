// SIDECAR_WORKERS=N (N > 1, PostgreSQL only): `npm run server` becomes a small supervisor that
// starts N server processes with Node's cluster module. They listen on the one port (the
// supervisor hands each new connection to one of them in turn; a WebSocket stays with the process
// that took its connection) and share everything else through the database (docs/storage.md).
//
//   - a process that dies is replaced (its running jobs are taken up by the others when their lease
//     runs out: the job queue, services/shared-jobs.ts);
//   - a process that cannot start (a wrong setting, the port taken, the database unreachable) has
//     said why; the supervisor stops the others and exits with its code;
//   - SIGINT or SIGTERM stops every process gracefully, then the supervisor.
import cluster, { type Worker } from "node:cluster";

/** The message the supervisor sends a worker to stop gracefully (main.ts handles it). */
export const STOP_MESSAGE = "sidecar-stop";

/** A restart loop (a process that dies at once, again and again) is given up after this many in a minute. */
const MAX_RESTARTS_PER_MINUTE = 10;

export function superviseWorkers(count: number): void {
  let stopping = false;
  const listening = new WeakSet<Worker>();
  const restarts: number[] = [];

  let ready = 0;
  const fork = () => {
    const worker = cluster.fork({ SIDECAR_WORKER_BANNER: Object.keys(cluster.workers ?? {}).length === 0 && restarts.length === 0 ? "yes" : "no" });
    worker.on("listening", () => {
      listening.add(worker);
      if (++ready === count) console.log(`All ${count} Sidecar server processes are listening.`);
    });
    return worker;
  };

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    for (const worker of workers) if (worker.isConnected()) worker.send(STOP_MESSAGE);
    if (workers.length === 0) process.exit(code);
    // Each stops within its own 10 s; a process that does not is killed.
    setTimeout(() => {
      for (const worker of workers) worker.process.kill("SIGKILL");
    }, 12_000).unref();
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(code);
    });
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker)) {
      // It said why on its way out (a setting, the port, the database).
      console.error(`A Sidecar server process could not start (exit ${code ?? signal}); stopping the others.`);
      stopAll(code || 1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      console.error(`Sidecar server processes stopped ${restarts.length} times within a minute; giving up. See the messages above.`);
      stopAll(1);
      return;
    }
    console.error(`A Sidecar server process (pid ${worker.process.pid}) stopped unexpectedly (${signal ?? `exit ${code}`}); starting another.`);
    fork();
  });

  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));
  console.log(`Starting ${count} Sidecar server processes on one port (SIDECAR_WORKERS=${count}).`);
  for (let i = 0; i < count; i++) fork();
}
