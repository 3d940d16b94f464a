// Figure "chat": bench/chat-smoothness.mjs (a synthetic 2,000-delta answer at 500 deltas/s into
// the built pane): no gap between animation frames over 50 ms; delta-to-screen p95 ≤ 2 frames.
//
//   node bench/chat.mjs
import { runScript } from "./child.mjs";
import { ensureBuild, figure, runAlone } from "./lib.mjs";

export async function run() {
  ensureBuild();
  const { json } = await runScript("chat-smoothness.mjs", "chat-smoothness.json");
  return [
    figure({ figure: "chat: longest frame gap", unit: "ms", measured: json.longest_frame_gap_ms, target: 50, targetKind: "absolute", details: { frame_gaps_over_50ms: json.frame_gaps_over_50ms, frames: json.frames } }),
    figure({ figure: "chat: delta-to-screen p95", unit: "ms", measured: json.delta_to_screen_ms.p95, target: 33, targetKind: "absolute", details: json.delta_to_screen_ms }),
  ];
}

runAlone(import.meta.url, run);
