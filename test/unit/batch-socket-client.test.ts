import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { ConnectionSettingsStore } from "../../src/taskpane/api/connection-settings";
import { HttpClient } from "../../src/taskpane/api/http-client";
import { SessionStore } from "../../src/taskpane/api/session-store";
import { connectionProblem, isFinalMessage, parseSocketMessage } from "../../src/taskpane/features/batch/api/batch-socket";

const origin = "http://pane.test";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  localStorage.clear();
});
afterAll(() => server.close());

function signedInClient() {
  const client = new HttpClient({ settings: new ConnectionSettingsStore(), session: new SessionStore(), origin });
  client.session.signIn("sidecar", { kind: "ejento", accessToken: "refresh-1", ejentoToken: "api 1/+", expiresAt: Date.now() + 1000, who: "a@b.c", method: "password" });
  return client;
}

test("the socket address is ws: or wss: of the batch base URL, with the ejento token as ?token=", () => {
  const client = signedInClient();
  expect(client.socketUrl("batchSocket", { params: { job_id: "job 1" } })).toEqual({
    url: "ws://pane.test/api/batch/ws/job%201?token=api+1%2F%2B",
    token: "api 1/+",
  });
  client.settings.update({ serverUrl: "https://sidecar.example.com/base" });
  expect(client.socketUrl("batchSocket", { params: { job_id: "j" } }).url).toBe("wss://sidecar.example.com/base/api/batch/ws/j?token=api+1%2F%2B");
  client.settings.update({ mode: "separate", batch: { url: "http://batch.internal:8000", taggingApiKey: "", modelName: "" } });
  client.session.signIn("batch", { kind: "batch", accessToken: "api 1/+", refreshToken: "r", expiresAt: Date.now() + 1000, who: "a@b.c" });
  expect(client.socketUrl("batchSocket", { params: { job_id: "j" } }).url).toBe("ws://batch.internal:8000/api/batch/ws/j?token=api+1%2F%2B");
  expect(new URL(client.socketUrl("batchSocket", { params: { job_id: "j" } }).url).searchParams.get("token")).toBe("api 1/+");
});

test("a refused socket token is refreshed once for everyone, and not again once it has changed", async () => {
  let refreshCalls = 0;
  server.use(
    http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, ({ request }) => {
      refreshCalls += 1;
      expect(request.headers.get("authorization")).toBe("Bearer refresh-1");
      return HttpResponse.json({ access_token: "refresh-2", ejento_access_token: "api-2", token_type: "bearer", expires_in: 3600 });
    }),
  );
  const client = signedInClient();
  const { token } = client.socketUrl("batchSocket", { params: { job_id: "j" } });
  await Promise.all([client.refreshRejectedToken(token), client.refreshRejectedToken(token)]);
  expect(refreshCalls).toBe(1);
  expect(client.socketUrl("batchSocket", { params: { job_id: "j" } }).token).toBe("api-2");
  // A socket that was opened with the old token and refused later: already fresh, no second refresh.
  await client.refreshRejectedToken(token);
  expect(refreshCalls).toBe(1);
});

test("a refresh that is refused marks the session expired (the sign-in dialog) and rejects", async () => {
  server.use(http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () => HttpResponse.json({ detail: "expired" }, { status: 401 })));
  const client = signedInClient();
  await expect(client.refreshRejectedToken("api 1/+")).rejects.toMatchObject({ kind: "unauthorized" });
  expect(client.session.slot("sidecar").status).toBe("expired");
});

test("socket frames: JSON objects only; final messages; connection problems told apart from a crashed job", () => {
  expect(parseSocketMessage('{"type":"catchup"}')).toEqual({ type: "catchup" });
  expect(parseSocketMessage("not json")).toBeUndefined();
  expect(parseSocketMessage("[1]")).toBeUndefined();
  expect(parseSocketMessage(new ArrayBuffer(2))).toBeUndefined();
  expect(["completed", "cancelled", "error", "progress", "keepalive"].map((type) => isFinalMessage({ type }))).toEqual([true, true, true, false, false]);
  expect(connectionProblem({ type: "error", error: "Authentication required" })).toBe("auth");
  expect(connectionProblem({ error: "Authentication required", job_id: "j" })).toBe("auth"); // the vendor's untyped form
  expect(connectionProblem({ type: "error", error: "Job not found" })).toBe("not-found");
  expect(connectionProblem({ type: "error", error: "Tagger crashed" })).toBeUndefined();
  expect(connectionProblem({ type: "progress", error: "Authentication required" })).toBeUndefined();
});
