// How the pane follows a job: over the WebSocket while it is live; when the socket fails or
// closes before the job's final message, by polling the status every 3 s while reconnecting with
// exponential backoff (1 s doubling, at most 30 s, 10 attempts — then polling alone, as the
// vendor's own client does). A refused token is refreshed once and the socket opened again.
// A pure reducer; the hook that runs sockets and timers lives in use-batch-job.ts.
import { t } from "../../i18n";

export const pollEveryMs = 3000;
export const reconnectLimit = 10;
const firstReconnectMs = 1000;
const maxReconnectMs = 30_000;

/** The wait before reconnect attempt `retry` (0-based): 1 s, 2 s, 4 s … 30 s. */
export function reconnectDelay(retry: number): number {
  return Math.min(maxReconnectMs, firstReconnectMs * 2 ** retry);
}

export type LinkPhase =
  /** First look at a remembered job (one status request) before opening the socket. */
  | "checking"
  /** The socket is opening; no message yet. */
  | "connecting"
  /** Messages arrive over the socket. */
  | "live"
  /** The socket is gone: polling every 3 s, reconnecting with backoff. */
  | "lost"
  /** The token could not be renewed: the session's sign-in dialog is up. */
  | "signed-out"
  /** The job is over: no socket, no polling. */
  | "finished"
  /** The server does not know the job. */
  | "gone";

export interface LinkState {
  phase: LinkPhase;
  /** Id of the socket that should be open now; null: none. A new id opens a new socket. */
  socket: number | null;
  lastSocket: number;
  /** Reconnect attempts since the socket was last live. */
  retries: number;
  /** The current socket was opened right after a token refresh: a second refusal is a plain failure. */
  afterRefresh: boolean;
  /** A token refresh is under way (no reconnect attempt meanwhile). */
  refreshing: boolean;
}

export type LinkEvent =
  /** The first status look answered; `final`: the job is already over. */
  | { type: "checked"; final: boolean }
  /** The first status look failed (not a 404): try the socket anyway. */
  | { type: "check-failed" }
  /** A job message arrived on `socket`. */
  | { type: "message"; socket: number }
  /** `socket` closed or failed before a final message. */
  | { type: "lost"; socket: number }
  /** The backoff wait is over. */
  | { type: "retry" }
  /** Reconnect at once, from the start of the backoff (the person asked; signed in again). */
  | { type: "reconnect-now" }
  /** `socket` was told "Authentication required". */
  | { type: "auth-rejected"; socket: number }
  | { type: "auth-refreshed" }
  /** The refresh failed; `signedOut`: the session is over (else, e.g., the server is unreachable). */
  | { type: "auth-failed"; signedOut: boolean }
  | { type: "finished" }
  | { type: "gone" };

export function initialLink(checkFirst: boolean): LinkState {
  return checkFirst
    ? { phase: "checking", socket: null, lastSocket: 0, retries: 0, afterRefresh: false, refreshing: false }
    : { phase: "connecting", socket: 1, lastSocket: 1, retries: 0, afterRefresh: false, refreshing: false };
}

function withNewSocket(state: LinkState, patch: Partial<LinkState>): LinkState {
  const id = state.lastSocket + 1;
  return { ...state, afterRefresh: false, refreshing: false, ...patch, socket: id, lastSocket: id };
}

const lose = (state: LinkState): LinkState => ({ ...state, phase: "lost", socket: null, afterRefresh: false });

export function linkReducer(state: LinkState, event: LinkEvent): LinkState {
  if (state.phase === "finished" || state.phase === "gone") return state;
  switch (event.type) {
    case "checked":
      if (state.phase !== "checking") return state;
      return event.final ? { ...state, phase: "finished" } : withNewSocket(state, { phase: "connecting" });
    case "check-failed":
      return state.phase === "checking" ? withNewSocket(state, { phase: "connecting" }) : state;
    case "message":
      if (event.socket !== state.socket) return state;
      return state.phase === "live" && state.retries === 0 && !state.afterRefresh ? state : { ...state, phase: "live", retries: 0, afterRefresh: false };
    case "lost":
      return event.socket === state.socket ? lose(state) : state;
    case "retry":
      if (nextRetryIn(state) === undefined) return state;
      return withNewSocket(state, { retries: state.retries + 1 });
    case "reconnect-now":
      if (state.phase !== "lost" && state.phase !== "signed-out") return state;
      // Signed in again: nothing polls in between, so "connecting"; lost: keep polling until it is live.
      return withNewSocket(state, { phase: state.phase === "signed-out" ? "connecting" : "lost", retries: 0 });
    case "auth-rejected":
      if (event.socket !== state.socket) return state;
      // A fresh token refused too: not a token problem; back off like any failure.
      return state.afterRefresh ? lose(state) : { ...state, socket: null, refreshing: true };
    case "auth-refreshed":
      if (!state.refreshing) return state;
      return withNewSocket(state, { afterRefresh: true, refreshing: false });
    case "auth-failed":
      if (!state.refreshing) return state;
      return event.signedOut ? { ...state, phase: "signed-out", socket: null, refreshing: false } : { ...lose(state), refreshing: false };
    case "finished":
      return { ...state, phase: "finished", socket: null, refreshing: false };
    case "gone":
      return { ...state, phase: "gone", socket: null, refreshing: false };
  }
}

/** Poll the status: every 3 s while the socket is lost, once while checking, else not. */
export function statusPolling(state: LinkState): { enabled: boolean; every: number | false } {
  if (state.phase === "lost") return { enabled: true, every: pollEveryMs };
  return { enabled: state.phase === "checking", every: false };
}

/** The wait before the next reconnect attempt, or undefined when none is due. */
export function nextRetryIn(state: LinkState): number | undefined {
  if (state.phase !== "lost" || state.socket !== null || state.refreshing || state.retries >= reconnectLimit) return undefined;
  return reconnectDelay(state.retries);
}

/** The connection in words, for the person (empty when there is nothing to say). */
export function connectionWords(state: LinkState): string {
  switch (state.phase) {
    case "checking":
      return t("batch.connectionChecking");
    case "connecting":
      return t("batch.connectionConnecting");
    case "live":
      return t("batch.connectionLive");
    case "lost":
      return state.socket !== null || state.retries < reconnectLimit
        ? t("batch.connectionLost")
        : t("batch.connectionLostGaveUp");
    case "signed-out":
      return t("batch.connectionSignedOut");
    default:
      return "";
  }
}
