// Helpers for the batch tagging tests: documents with chosen text (uploaded as real .docx files),
// the batch routes over real HTTP, and a real WebSocket client (`ws`) that records every message
// so a test can wait for the one it needs instead of sleeping.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import { writeGeneratedDocx } from "../../src/server/docx/write-docx";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { BatchControlResponse, BatchStatusResponse } from "../../src/shared/wire/batch";
import type { Writable } from "node:stream";
import { bearer, postJson, signIn, startServer, upload, type TestServer } from "./helpers";

/** A socket message, loosely typed (tests check the fields they care about). */
export type Message = Record<string, unknown> & { type: string };

/** Topic texts that share nothing but ordinary words, so their tags must differ. */
export const TOPICS = {
  bees: [
    "Honey bees pollinate orchards. Each honey bee colony keeps a queen, drones and thousands of worker bees.",
    "Beekeepers inspect the hive frames every week. A healthy colony stores honey and pollen in wax comb.",
    "Varroa mites weaken a colony; beekeepers treat the hive in autumn so the honey bees survive the winter.",
    "Pollination by honey bees raises the yield of apple orchards and almond orchards.",
  ],
  volcanoes: [
    "A volcano erupts when magma rises through the crust. Lava flows and volcanic ash follow the eruption.",
    "Volcanologists measure gas emissions and ground deformation to forecast an eruption of the volcano.",
    "Pyroclastic flows are the deadliest hazard of an explosive eruption; lava flows move slowly.",
    "Volcanic ash grounds aircraft; the magma chamber below the volcano refills between eruptions.",
  ],
  chess: [
    "The chess opening decides the middlegame. White plays the queen's gambit; Black answers with the Slav defence.",
    "Chess players study endgame technique: king and pawn endgames, rook endgames and the opposition.",
    "A chess tournament pairs players by rating. The grandmaster won the rook endgame after a long middlegame.",
    "Opening theory in chess grows every year; the queen's gambit remains a classical opening.",
  ],
} as const;

export async function topicDocx(title: string, paragraphs: readonly string[]): Promise<Buffer> {
  return writeGeneratedDocx({ documentId: title, title, sections: [{ title: "Overview", paragraphs: [...paragraphs] }] });
}

/** Uploads a .docx and returns its id and s3_key. */
export async function uploadDocx(url: string, token: string, bytes: Uint8Array, name: string): Promise<{ document_id: string; s3_key: string }> {
  const response = await upload(url, token, bytes, name);
  if (response.status !== 201 && response.status !== 200) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { document_id: string; s3_key: string };
}

/** A start body, loosely typed: tests also send malformed ones (src/shared/wire/batch.ts has the real shape). */
export interface StartBody {
  documents?: unknown;
  config?: unknown;
  column_mapping?: unknown;
  job_id?: unknown;
}

export async function startBatch(url: string, token: string, body: StartBody): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await postJson(url, endpoints.startBatch.path, token, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Starts a batch that must be accepted; returns the job id. */
export async function startJob(url: string, token: string, body: StartBody): Promise<string> {
  const started = await startBatch(url, token, body);
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  return started.body.job_id as string;
}

export function documentsFor(files: Array<{ s3_key: string }>, titles: string[] = []) {
  return files.map((file, i) => ({ title: titles[i] ?? `Document ${i + 1}`, file_path: file.s3_key, file_source_type: "s3" }));
}

export async function jobStatus(url: string, token: string, jobId: string): Promise<{ status: number; body: BatchStatusResponse }> {
  const response = await fetch(url + fillPath(endpoints.batchStatus.path, { job_id: jobId }), { headers: bearer(token) });
  return { status: response.status, body: (await response.json()) as BatchStatusResponse };
}

export async function control(
  url: string,
  token: string,
  jobId: string,
  command: "pause" | "resume" | "cancel",
): Promise<{ status: number; body: Partial<BatchControlResponse & ErrorBody> }> {
  const path = { pause: endpoints.pauseBatch.path, resume: endpoints.resumeBatch.path, cancel: endpoints.cancelBatch.path }[command];
  const response = await fetch(url + fillPath(path, { job_id: jobId }), { method: "POST", headers: bearer(token) });
  return { status: response.status, body: (await response.json()) as Partial<BatchControlResponse & ErrorBody> };
}

/** Polls the status until `done` says so (20 ms apart). */
export async function waitForJob(
  url: string,
  token: string,
  jobId: string,
  done: (body: BatchStatusResponse) => boolean,
  timeoutMs = 15_000,
): Promise<BatchStatusResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await jobStatus(url, token, jobId);
    if (status !== 200) throw new Error(`status ${status}: ${JSON.stringify(body)}`);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never reached the expected state; last: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const isFinished = (body: BatchStatusResponse) => ["completed", "cancelled", "failed"].includes(body.status);

/** A real WebSocket client that keeps every message it receives. */
export class Watcher {
  readonly messages: Message[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on("error", () => undefined);
  }

  /** The first message (from the start) that matches; waits for it when it has not come yet. */
  async waitFor(match: (message: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.socket.readyState === WebSocket.CLOSED) throw new Error(`socket closed before the message came; got ${JSON.stringify(this.messages)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  ofType(type: string): Message[] {
    return this.messages.filter((message) => message.type === type);
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    return this.closed;
  }
}

export function socketUrl(url: string, jobId: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${url.replace(/^http/, "ws")}${fillPath(endpoints.batchSocket.path, { job_id: jobId })}${search ? `?${search}` : ""}`;
}

/** Connects to a job's socket (token as ?token= unless `headers` carry it); resolves once open. */
export async function watch(
  url: string,
  jobId: string,
  { token, query = {}, headers = {} }: { token?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Watcher> {
  const socket = new WebSocket(socketUrl(url, jobId, token ? { token, ...query } : query), { headers });
  const watcher = new Watcher(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("unexpected-response", (_request, response) => reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)));
    socket.once("error", reject);
  });
  return watcher;
}

export const byType = (type: string) => (message: Message) => message.type === type;
export const progressOf = (rowId: number, status: string) => (message: Message) =>
  message.type === "progress" && message.row_id === rowId && message.status === status;

/** A fake OpenAI-compatible model that can be told to never answer. */
export async function fakeModel() {
  const state = { hang: true, requests: 0 };
  const hanging = new Set<http.ServerResponse>();
  const answer = (response: http.ServerResponse) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ choices: [{ message: { content: '{"tags": ["alpha", "beta", "gamma"]}' } }] }));
  };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      state.requests++;
      if (state.hang) return void hanging.add(response);
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    state,
    /** Stops hanging and answers the requests it held. */
    release() {
      state.hang = false;
      for (const response of hanging) answer(response);
      hanging.clear();
    },
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A server with the demo user signed in and the three topic documents uploaded. */
export interface BatchSetup {
  server: TestServer;
  token: string;
  files: Array<{ document_id: string; s3_key: string }>;
}

/**
 * Starts a server for batch tests (recorded in `servers`, for the file's afterAll to close), signs
 * in and uploads the topics; with SIDECAR_API_KEY in `env` every request carries the key.
 */
export async function setupBatch(servers: TestServer[], env: Record<string, string> = {}, logStream?: Writable): Promise<BatchSetup> {
  const server = await startServer(env, logStream ? { logStream } : {});
  servers.push(server);
  const headers: Record<string, string> = env.SIDECAR_API_KEY ? { "ocp-apim-subscription-key": env.SIDECAR_API_KEY } : {};
  const token = (await signIn(server.url, undefined, undefined, headers)).ejento_access_token;
  const files = [];
  for (const [topic, paragraphs] of Object.entries(TOPICS)) {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(await topicDocx(topic, paragraphs))]), `${topic}.docx`);
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, { method: "POST", headers: { ...bearer(token), ...headers }, body: form });
    if (response.status !== 201 && response.status !== 200) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    files.push((await response.json()) as { document_id: string; s3_key: string });
  }
  return { server, token, files };
}

/**
 * For a test file: a `setup(env, logStream)` that starts a batch server (with `defaults` under
 * `env`) and the topics uploaded, and closes every server it started after the file's tests.
 */
export function useBatchServers(defaults: Record<string, string> = {}) {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  return (env: Record<string, string> = {}, logStream?: Writable) => setupBatch(servers, { ...defaults, ...env }, logStream);
}

/** A job of `count` documents (the topics over and over). */
export function manyDocuments(files: Array<{ s3_key: string }>, count: number) {
  return documentsFor(Array.from({ length: count }, (_, i) => files[i % files.length] as { s3_key: string }));
}
