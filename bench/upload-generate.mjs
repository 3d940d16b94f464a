// Figure "upload/generation": a 20 MB .docx uploaded over HTTP to the real local server (median of
// 3; ≤ 1 s) and a document generated from a ~30-page source (Generate → Ready through the API,
// status polled every 20 ms, median of 3; ≤ 5 s).
//
//   node bench/upload-generate.mjs
import { bigDocx, thirtyPageDocx } from "./docs.mjs";
import { figure, login, median, round, runAlone, startGeneration, startServer, upload, waitReady } from "./lib.mjs";

const RUNS = 3;

export async function run() {
  const [big, thirty] = await Promise.all([bigDocx(), thirtyPageDocx()]);
  const server = await startServer();
  try {
    const token = await login(server.url);
    const uploads = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await upload(server.url, token, big, `Big report ${i}.docx`);
      uploads.push(performance.now() - t);
    }
    const source = await upload(server.url, token, thirty, "Thirty pages.docx");
    const generations = [];
    for (let i = 0; i < RUNS; i++) {
      const t = Date.now();
      const id = await startGeneration(server.url, token, [source.s3_key], `Thirty-page brief ${i}`);
      generations.push((await waitReady(server.url, token, id, { everyMs: 20 })) - t);
    }
    return [
      figure({ figure: "upload: 20 MB over HTTP", unit: "ms", measured: median(uploads), target: 1000, targetKind: "absolute", details: { bytes: big.length, runs_ms: uploads.map((x) => round(x)) } }),
      figure({ figure: "generation: 30-page source → Ready", unit: "ms", measured: median(generations), target: 5000, targetKind: "absolute", details: { source_bytes: thirty.length, runs_ms: generations } }),
    ];
  } finally {
    await server.stop();
  }
}

runAlone(import.meta.url, run);
