import {
  connectionWords,
  initialLink,
  linkReducer,
  nextRetryIn,
  reconnectDelay,
  reconnectLimit,
  statusPolling,
  type LinkEvent,
  type LinkState,
} from "../../src/taskpane/features/batch/connection-state";

const run = (events: LinkEvent[], start: LinkState = initialLink(false)) => events.reduce(linkReducer, start);

test("reconnect waits double from 1 s up to 30 s", () => {
  expect([0, 1, 2, 3, 4, 5, 6, 9].map(reconnectDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test("a new job opens its socket at once and is live on the first message", () => {
  const start = initialLink(false);
  expect(start).toMatchObject({ phase: "connecting", socket: 1 });
  expect(statusPolling(start)).toEqual({ enabled: false, every: false });
  const live = run([{ type: "message", socket: 1 }]);
  expect(live.phase).toBe("live");
  expect(connectionWords(live)).toBe("Live");
});

test("a remembered job is looked at once first; a finished one never opens a socket", () => {
  const checking = initialLink(true);
  expect(checking).toMatchObject({ phase: "checking", socket: null });
  expect(statusPolling(checking)).toEqual({ enabled: true, every: false });
  expect(run([{ type: "checked", final: true }], checking)).toMatchObject({ phase: "finished", socket: null });
  expect(run([{ type: "checked", final: false }], checking)).toMatchObject({ phase: "connecting", socket: 1 });
  expect(run([{ type: "check-failed" }], checking)).toMatchObject({ phase: "connecting", socket: 1 });
});

test("losing the socket polls every 3 s and reconnects with backoff; ten failed attempts leave polling alone", () => {
  let state = run([{ type: "message", socket: 1 }, { type: "lost", socket: 1 }]);
  expect(state).toMatchObject({ phase: "lost", socket: null });
  expect(statusPolling(state)).toEqual({ enabled: true, every: 3000 });
  expect(connectionWords(state)).toBe("Connection lost — checking every 3 s, reconnecting…");
  const waits: number[] = [];
  for (let attempt = 0; attempt < reconnectLimit; attempt += 1) {
    waits.push(nextRetryIn(state)!);
    state = linkReducer(state, { type: "retry" });
    expect(state.socket).not.toBeNull();
    expect(statusPolling(state).every).toBe(3000); // still polling while the attempt is under way
    state = linkReducer(state, { type: "lost", socket: state.socket! });
  }
  expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]);
  expect(nextRetryIn(state)).toBeUndefined();
  expect(linkReducer(state, { type: "retry" })).toBe(state);
  expect(statusPolling(state)).toEqual({ enabled: true, every: 3000 });
  expect(connectionWords(state)).toMatch(/checking every 3 s\. Sidecar has stopped trying to reconnect/);
  // The person asks: the backoff starts over.
  const again = linkReducer(state, { type: "reconnect-now" });
  expect(again).toMatchObject({ phase: "lost", retries: 0 });
  expect(again.socket).not.toBeNull();
});

test("a reconnect that works stops polling and resets the backoff", () => {
  const lost = run([{ type: "message", socket: 1 }, { type: "lost", socket: 1 }, { type: "retry" }, { type: "lost", socket: 2 }, { type: "retry" }]);
  expect(lost).toMatchObject({ phase: "lost", socket: 3, retries: 2 });
  const back = linkReducer(lost, { type: "message", socket: 3 });
  expect(back).toMatchObject({ phase: "live", retries: 0 });
  expect(statusPolling(back)).toEqual({ enabled: false, every: false });
});

test("events from an old socket are ignored", () => {
  const state = run([{ type: "message", socket: 1 }, { type: "lost", socket: 1 }, { type: "retry" }]);
  expect(linkReducer(state, { type: "lost", socket: 1 })).toBe(state);
  expect(linkReducer(state, { type: "message", socket: 1 })).toBe(state);
});

test("a refused token is refreshed once, then the socket opens again; a second refusal backs off", () => {
  const refused = run([{ type: "auth-rejected", socket: 1 }]);
  expect(refused).toMatchObject({ socket: null, refreshing: true });
  expect(nextRetryIn({ ...refused, phase: "lost" })).toBeUndefined(); // no reconnect while refreshing
  const reopened = linkReducer(refused, { type: "auth-refreshed" });
  expect(reopened).toMatchObject({ socket: 2, afterRefresh: true, refreshing: false });
  const again = linkReducer(reopened, { type: "auth-rejected", socket: 2 });
  expect(again).toMatchObject({ phase: "lost", socket: null, refreshing: false });
  expect(nextRetryIn(again)).toBe(1000);
});

test("a refresh that fails because the session is over waits for sign-in; signing in reconnects", () => {
  const signedOut = run([{ type: "auth-rejected", socket: 1 }, { type: "auth-failed", signedOut: true }]);
  expect(signedOut).toMatchObject({ phase: "signed-out", socket: null });
  expect(connectionWords(signedOut)).toMatch(/sign in again/i);
  expect(statusPolling(signedOut).enabled).toBe(false);
  expect(linkReducer(signedOut, { type: "reconnect-now" })).toMatchObject({ phase: "connecting", socket: 2 });
  // The server could not be reached for the refresh: like a lost socket.
  expect(run([{ type: "auth-rejected", socket: 1 }, { type: "auth-failed", signedOut: false }])).toMatchObject({ phase: "lost", socket: null });
});

test("finished and gone are the end: nothing reopens a socket or polls", () => {
  for (const end of [{ type: "finished" }, { type: "gone" }] as const) {
    const state = run([{ type: "message", socket: 1 }, end]);
    expect(state.socket).toBeNull();
    expect(statusPolling(state)).toEqual({ enabled: false, every: false });
    expect(nextRetryIn(state)).toBeUndefined();
    expect(run([{ type: "lost", socket: 1 }, { type: "reconnect-now" }, { type: "retry" }], state)).toBe(state);
    expect(connectionWords(state)).toBe("");
  }
});
