// Figure "latency": bench/server-latency.mjs (autocannon, 50 connections) against the Sources
// panel's routes; p99 ≤ 20 ms each. BENCH_DURATION_SECONDS defaults to 5 here (10 when run alone).
//
//   node bench/latency.mjs
import { runScript } from "./child.mjs";
import { figure, runAlone } from "./lib.mjs";

export async function run() {
  const { json } = await runScript("server-latency.mjs", "server-latency.json", {
    BENCH_DURATION_SECONDS: process.env.BENCH_DURATION_SECONDS ?? "5",
    BENCH_WARMUP_SECONDS: process.env.BENCH_WARMUP_SECONDS ?? "1",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  });
  return json.results.map((r) =>
    figure({ figure: `latency: ${r.route} p99`, unit: "ms", measured: r.p99_ms, target: 20, targetKind: "absolute", details: { ...r, connections: json.connections } }),
  );
}

runAlone(import.meta.url, run);
