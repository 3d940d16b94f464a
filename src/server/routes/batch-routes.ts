// Batch tagging routes (docs/vendors.md (tag generator, Part B); docs/api.md "Batch tagging"; docs/vendors.md (tag generator, Part B)): start,
// status, pause / resume / cancel, the caller's open jobs, and the job's WebSocket.
//
// The WebSocket is a read-only observer. Its token comes as `?token=` (a browser's WebSocket
// cannot send headers) or `Authorization: Bearer`; when the server has an API key, the socket
// takes it from the Ocp-Apim-Subscription-Key header or `?key=`. Every refusal is said over the
// socket, then it closes with 1008: a browser never sees the body of a refused upgrade.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { WebSocket } from "ws";
import { endpoints } from "../../shared/contract/endpoints";
import {
  batchSocketQuery,
  jobIdParams,
  startBatchRequest,
  type BatchSocketMessage,
  type BatchSocketQuery,
  type JobIdParams,
} from "../../shared/wire/batch";
import { HttpError } from "../errors";
import { routePath } from "../http/api-paths";
import { API_KEY_HEADER, apiKeyProblem, callerOf, requireCaller } from "../http/guards";
import { bearerToken, type AuthService, type Caller } from "../services/auth";
import { JOB_NOT_FOUND, type BatchJobService, type ControlCommand } from "../services/batch/batch-jobs";
import { checkDocumentCount } from "../services/batch/start-request";
import { FINAL_MESSAGE_TYPES } from "../services/batch/wire";

export const AUTHENTICATION_REQUIRED = "Authentication required";

/** Close codes (RFC 6455): 1000 the job is over, 1008 refused (auth, API key, unknown job), 1001 server stopping. */
export const CLOSE = { normal: 1000, goingAway: 1001, policy: 1008 } as const;

const FINAL_REASONS: Record<string, string> = { completed: "Job completed", cancelled: "Job cancelled", error: "Job failed" };

/** What watching reads of the upgrade request. */
type SocketRequest = Pick<FastifyRequest, "headers"> & { params: JobIdParams; query: BatchSocketQuery };

export async function batchRoutes(
  app: FastifyInstance,
  { auth, batch, apiKey, keepaliveMs }: { auth: AuthService; batch: BatchJobService; apiKey: string | null; keepaliveMs: number },
): Promise<void> {
  const options = { onRequest: requireCaller(auth) };
  const ofJob = { ...options, schema: { params: jobIdParams } };
  const api = app.withTypeProvider<ZodTypeProvider>();

  // No documents (or too many) is the vendor's 400, said before the schema's 422s.
  api.post(
    endpoints.startBatch.path,
    { ...options, preValidation: async (request) => checkDocumentCount(request.body), schema: { body: startBatchRequest } },
    async (request) => batch.start(callerOf(request), request.body),
  );

  api.get(routePath(endpoints.batchStatus.path), ofJob, async (request) => batch.status(callerOf(request), request.params.job_id));

  const controls: Array<[ControlCommand, string]> = [
    ["pause", endpoints.pauseBatch.path],
    ["resume", endpoints.resumeBatch.path],
    ["cancel", endpoints.cancelBatch.path],
  ];
  for (const [command, path] of controls) {
    api.post(routePath(path), ofJob, async (request) => batch.control(callerOf(request), request.params.job_id, command));
  }

  app.get(endpoints.activeBatches.path, options, async (request) => batch.active(callerOf(request)));

  // The query's schema never refuses (a refusal is said over the socket, not as a refused upgrade).
  api.get(
    routePath(endpoints.batchSocket.path),
    { websocket: true, config: { socketChecksApiKey: true }, schema: { params: jobIdParams, querystring: batchSocketQuery } },
    (socket, request) => watchJob(socket, request, { auth, batch, apiKey, keepaliveMs }),
  );
}

function firstString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return Array.isArray(value) && typeof value[0] === "string" ? value[0] : undefined;
}

async function watchJob(
  socket: WebSocket,
  request: SocketRequest,
  { auth, batch, apiKey, keepaliveMs }: { auth: AuthService; batch: BatchJobService; apiKey: string | null; keepaliveMs: number },
): Promise<void> {
  const jobId = request.params.job_id;
  let keepalive: NodeJS.Timeout | null = null;
  let unsubscribe: () => void = () => undefined;
  let closed = false;

  const stopWatching = () => {
    if (keepalive) clearTimeout(keepalive);
    keepalive = null;
    unsubscribe();
  };
  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    stopWatching();
    socket.close(code, reason);
  };
  const sendKeepalive = async () => {
    const status = await batch.currentStatus(jobId);
    if (status) send({ type: "keepalive", job_id: jobId, status });
  };
  const armKeepalive = () => {
    if (keepalive) clearTimeout(keepalive);
    keepalive = setTimeout(() => {
      // None when the status can't be read (the server is stopping); send skips a closed socket.
      sendKeepalive().catch(() => undefined);
    }, keepaliveMs);
  };
  const send = (message: BatchSocketMessage) => {
    if (closed || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify(message));
    armKeepalive();
  };
  const refuse = (error: string, reason: string) => {
    send({ type: "error", job_id: jobId, error });
    close(CLOSE.policy, reason);
  };

  // The observer closing (or going away) ends only the watching, never the job.
  socket.on("close", () => {
    closed = true;
    stopWatching();
  });
  // Read-only: whatever the client sends is ignored.
  socket.on("message", () => undefined);

  if (apiKey !== null) {
    const header = firstString(request.headers[API_KEY_HEADER]);
    const problem = apiKeyProblem(header ?? request.query.key, apiKey, "the Ocp-Apim-Subscription-Key header or the ?key= query parameter");
    if (problem) return refuse(problem, "API key required");
  }

  const token = request.query.token || bearerToken(request.headers.authorization);
  let caller: Caller;
  try {
    if (!token) throw new HttpError(401, AUTHENTICATION_REQUIRED);
    caller = await auth.authenticate(token, endpoints.batchSocket.service);
  } catch {
    return refuse(AUTHENTICATION_REQUIRED, AUTHENTICATION_REQUIRED);
  }
  // The observer may have gone while the token was checked.
  if (closed) return;

  let watch;
  try {
    watch = await batch.watch(caller, jobId, (message) => {
      send(message);
      if (FINAL_MESSAGE_TYPES.has(message.type)) close(CLOSE.normal, FINAL_REASONS[message.type] ?? "Job finished");
    });
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 404) return refuse(JOB_NOT_FOUND, JOB_NOT_FOUND);
    throw error;
  }
  // Gone while the job was read: stop the subscription just made.
  if (closed) return watch.unsubscribe();
  // The catch-up and, for a finished job, its final message (which closed the socket) came through the listener.
  unsubscribe = watch.unsubscribe;
}
