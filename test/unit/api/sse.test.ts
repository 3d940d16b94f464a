import { ApiError } from "../../../src/taskpane/api/api-error";
import { readEventStream, type StreamEvent } from "../../../src/taskpane/api/sse";

const encoder = new TextEncoder();

/** A Response whose body delivers exactly these byte chunks, one per pull. */
function streamOf(chunks: Uint8Array[], options: { keepOpen?: boolean } = {}): Response {
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++]!);
        else if (!options.keepOpen) controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
}

/** Splits bytes at every given offset. */
function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, k) => bytes.slice(cuts[k], end));
}

const events = [
  { step: "status", message: "Searching your documents" },
  { step: "tools_stream", delta: "Looking at passage 3…" },
  { step: "assistant_stream", delta: "Ernährung in Europa — " },
  { step: "assistant_stream", delta: "fällt auf 😀 [1]." },
  {
    step: "end",
    success: true,
    output: { answer: "Ernährung in Europa — fällt auf 😀 [1].", references: [{ number: 1, order: 1, url: "" }], thread_id: 7 },
  },
];

function wire(list: unknown[], newline = "\n"): string {
  return list.map((e) => `data: ${JSON.stringify(e)}${newline}${newline}`).join("");
}

async function collect(response: Response, options: { signal?: AbortSignal; idleTimeoutMs?: number } = {}) {
  const seen: StreamEvent[] = [];
  const outcome = await readEventStream(response, { ...options, onEvent: (e) => seen.push(e) });
  return { seen, outcome };
}

test("reads every event in order and stops at end", async () => {
  const { seen, outcome } = await collect(streamOf([encoder.encode(wire(events))]));
  expect(outcome).toBe("end");
  expect(seen).toEqual(events);
});

test("CRLF line endings", async () => {
  const { seen } = await collect(streamOf([encoder.encode(wire(events, "\r\n"))]));
  expect(seen).toEqual(events);
});

test("chunks split at every byte — inside JSON, inside field names and inside multi-byte characters", async () => {
  const bytes = encoder.encode(wire(events));
  const everyByte = Array.from({ length: bytes.length - 1 }, (_, k) => k + 1);
  const { seen } = await collect(streamOf(splitAt(bytes, everyByte)));
  expect(seen).toEqual(events);
  // and at a few awkward places in bigger chunks (the 4-byte emoji cut in the middle)
  const emoji = bytes.indexOf(0xf0);
  const { seen: again } = await collect(streamOf(splitAt(bytes, [emoji + 1, emoji + 2, emoji + 3, bytes.length - 5])));
  expect(again.map((e) => e.delta ?? e.step).join("|")).toContain("fällt auf 😀 [1].");
});

test("unknown steps are passed on as they are; a line that is not JSON is skipped; events after end are ignored", async () => {
  const text =
    `data: {"step":"reflection_skip","message":"Skipping reflection"}\n\n` +
    `data: not json at all\n\n` +
    `: a comment line\n\n` +
    `data: {"delta":"no step at all"}\n\n` +
    wire([{ step: "end", success: true, output: { answer: "A" } }, { step: "assistant_stream", delta: "late" }]);
  const { seen, outcome } = await collect(streamOf([encoder.encode(text)]));
  expect(outcome).toBe("end");
  expect(seen.map((e) => e.step)).toEqual(["reflection_skip", "status", "end"]);
});

test("an error step is terminal", async () => {
  const { seen, outcome } = await collect(streamOf([encoder.encode(wire([{ step: "assistant_stream", delta: "Par" }, { step: "error", message: "Model overloaded" }]))]));
  expect(outcome).toBe("error");
  expect(seen.at(-1)).toEqual({ step: "error", message: "Model overloaded" });
});

test("a stream that closes with no end reports 'closed' with the partial answer delivered", async () => {
  const { seen, outcome } = await collect(streamOf([encoder.encode(wire(events.slice(0, 3)))]));
  expect(outcome).toBe("closed");
  expect(seen.filter((e) => e.step === "assistant_stream").map((e) => e.delta)).toEqual(["Ernährung in Europa — "]);
});

test("abort mid-stream rejects as aborted after the events already read", async () => {
  const controller = new AbortController();
  const seen: StreamEvent[] = [];
  const pending = readEventStream(streamOf([encoder.encode(wire(events.slice(0, 2)))], { keepOpen: true }), {
    signal: controller.signal,
    onEvent: (e) => {
      seen.push(e);
      if (seen.length === 2) controller.abort();
    },
  });
  await expect(pending).rejects.toMatchObject({ kind: "aborted" });
  expect(seen).toHaveLength(2);
});

test("a stream that stalls is given up after the idle timeout with words", async () => {
  const pending = collect(streamOf([encoder.encode(wire(events.slice(0, 1)))], { keepOpen: true }), { idleTimeoutMs: 50 });
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).kind).toBe("network");
  expect((error as ApiError).message).toMatch(/Nothing arrived/);
});
