// With SIDECAR_API_KEY set, no spelling of an API path gets past the key: percent-encoding a
// character, doubled slashes or dot segments reach the same handler as the plain path, so they
// need the key too. The pane's files, signed file URLs and the health probe stay public.
import http from "node:http";
import { WebSocket } from "ws";
import { endpoints } from "../../src/shared/contract/endpoints";
import { DEMO, signIn, startServer, type TestServer } from "./helpers";

const KEY = "the-api-key-456";
let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startServer({ SIDECAR_API_KEY: KEY });
  token = (await signIn(server.url, DEMO.email, DEMO.password, { "ocp-apim-subscription-key": KEY })).ejento_access_token;
});
afterAll(() => server.close());

/** Sends a request whose path is exactly `rawPath` (fetch would normalise dot segments). */
function rawRequest(rawPath: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, path: rawPath, method: init.method ?? "GET", headers: init.headers }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

const login = new URLSearchParams({ username: DEMO.email, password: DEMO.password }).toString();
const form = { "content-type": "application/x-www-form-urlencoded" };

test.each([
  ["an encoded letter in the sign-in path", "POST", "/%61uth-service/api/v2/login/access-token", login],
  ["an encoded letter in the documents list", "GET", "/%61pi/v1/documents/", undefined],
  ["an encoded hyphen in a root-level route", "POST", "/get%2Dsections-for-document", JSON.stringify({ document_id: "x" })],
  ["a doubled slash", "GET", "//api/v1/documents/", undefined],
  ["a dot segment", "GET", "/pane/../api/v1/documents/", undefined],
  ["an encoded slash", "GET", "/api%2Fv1/documents/", undefined],
])("%s needs the key like the plain path", async (_name, method, rawPath, body) => {
  const headers = body === login ? form : { "content-type": "application/json", authorization: `Bearer ${token}` };
  const without = await rawRequest(rawPath, { method, headers, body });
  expect(without.status).toBe(401);
  expect(JSON.parse(without.body).detail).toMatch(/API key/);
});

test("the encoded sign-in path still signs in with the key (the key check, not the route, was the gap)", async () => {
  const answer = await rawRequest("/%61uth-service/api/v2/login/access-token", { method: "POST", headers: { ...form, "ocp-apim-subscription-key": KEY }, body: login });
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toHaveProperty("ejento_access_token");
});

test("the pane's page, the health probe and unknown non-API paths need no key", async () => {
  expect((await rawRequest("/healthz")).status).toBe(200);
  // No built pane in this test server: a 404 from the static side, not a 401.
  expect((await rawRequest("/taskpane.html")).status).toBe(404);
});

test("the batch WebSocket under an encoded path still needs the key", async () => {
  const url = `${server.url.replace(/^http/, "ws")}/%61pi/batch/ws/123?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(url);
  const outcome = await new Promise<string>((resolve) => {
    socket.once("unexpected-response", (_request, response) => resolve(`http ${response.statusCode}`));
    socket.once("close", (code, reason) => resolve(`closed ${code} ${reason.toString()}`));
    socket.once("error", () => undefined);
  });
  expect(outcome).toMatch(/^(http 401|closed 1008 API key required)$/);
  socket.terminate();
});

test("the encoded route answers normally with the key", async () => {
  const answer = await rawRequest(`/%61pi/v1/documents/`, { headers: { authorization: `Bearer ${token}`, "ocp-apim-subscription-key": KEY } });
  expect(answer.status).toBe(200);
  expect(endpoints.listDocuments.path).toBe("/api/v1/documents/");
});
