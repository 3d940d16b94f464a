// Reads a streamed agent answer (docs/vendors.md Ejento A5.5): SSE messages whose `data:` is one JSON object
// discriminated by `step`. eventsource-parser does the SSE framing (CRLF, chunks split anywhere);
// TextDecoder in stream mode keeps multi-byte characters split across chunks intact.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { ApiError, fallbackMessage } from "./api-error";
import { t } from "../i18n";

export interface StreamEvent {
  step: string;
  delta?: string;
  message?: string;
  success?: boolean;
  output?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ReadStreamOptions {
  signal?: AbortSignal;
  /** Give up when nothing arrives for this long (default 60 s). */
  idleTimeoutMs?: number;
  onEvent: (event: StreamEvent) => void;
}

export type StreamOutcome = "end" | "error" | "closed";

/**
 * Reads events until the stream ends. Resolves "end" / "error" when a terminal event arrived
 * (later events are ignored), or "closed" when the server closed the stream without one — the
 * caller shows the partial answer as interrupted. Rejects with ApiError "aborted" on Stop and
 * "network" when the connection breaks or stalls.
 */
export async function readEventStream(response: Response, options: ReadStreamOptions): Promise<StreamOutcome> {
  const { signal, onEvent } = options;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const body = response.body;
  if (!body) return "closed";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let outcome: StreamOutcome | undefined;
  let stalled = false;

  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      if (outcome) return;
      let event: unknown;
      try {
        event = JSON.parse(message.data);
      } catch {
        return; // a malformed line is skipped, not fatal
      }
      if (!event || typeof event !== "object") return;
      const step = typeof (event as StreamEvent).step === "string" ? (event as StreamEvent).step : "status";
      const typed = { ...(event as Record<string, unknown>), step } as StreamEvent;
      onEvent(typed);
      if (step === "end") outcome = "end";
      else if (step === "error") outcome = "error";
    },
  });

  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      stalled = true;
      void reader.cancel().catch(() => undefined);
    }, idleTimeoutMs);
  };
  // Some fetch implementations keep delivering a body after abort: cancel the reader ourselves.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
    armIdle();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw abortedError(error);
        throw new ApiError({ kind: "network", endpoint: "stream", cause: error, message: t("api.streamBroke") });
      }
      if (chunk.done) break;
      armIdle();
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      if (outcome) {
        void reader.cancel().catch(() => undefined);
        break;
      }
    }
    parser.feed(decoder.decode());
    if (signal?.aborted) throw abortedError(signal.reason);
    if (stalled) {
      throw new ApiError({
        kind: "network",
        endpoint: "stream",
        message: t("api.streamStalled", { seconds: Math.round(idleTimeoutMs / 1000) }),
      });
    }
    return outcome ?? "closed";
  } finally {
    clearTimeout(idleTimer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function abortedError(cause: unknown): ApiError {
  return new ApiError({ kind: "aborted", endpoint: "stream", message: fallbackMessage("aborted"), cause });
}
