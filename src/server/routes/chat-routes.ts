// Chat routes (docs/api.md "Chat"; docs/vendors.md Ejento A3–A5), in Ejento's envelope: success
// `{success: true, message: "", data}`, errors `{success: false, message, data: null}` with the
// HTTP status (401 stays as the auth guard answers it). The stream route answers Server-Sent
// Events (A5.5): one JSON per `data:` line, flushed as produced, stopped when the client leaves.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import {
  agentIdParams,
  agentResponseIdParams,
  askRequest,
  feedbackRequest,
  threadIdParams,
  type ChatEvent,
  type EjentoError,
} from "../../shared/wire/chat";
import { HttpError } from "../errors";
import { routePath } from "../http/api-paths";
import { callerOf, requireCaller } from "../http/guards";
import type { AuthService } from "../services/auth";
import type { AgentService } from "../services/chat/agents";
import type { ChatService } from "../services/chat/chat";

function ok<T>(data: T) {
  return { success: true as const, message: "", data };
}

function failure(message: string): EjentoError {
  return { success: false, message, data: null };
}

/** A schema failure in words, each problem led by its field ("user_query: is required"). */
function schemaProblems(validation: ReadonlyArray<{ instancePath: string; message?: string }>): string {
  return validation
    .map((issue) => {
      const field = issue.instancePath.split("/").filter(Boolean).join(".");
      const message = issue.message ?? "is not valid";
      return field ? `${field}: ${message}` : message;
    })
    .join("; ");
}

export async function chatRoutes(
  app: FastifyInstance,
  { auth, agents, chat }: { auth: AuthService; agents: AgentService; chat: ChatService },
): Promise<void> {
  const options = { onRequest: requireCaller(auth) };

  // Errors of these routes in the envelope, a body or path that does not match its schema as 422
  // naming the field; 401 (and anything unexpected) as the app answers it.
  app.setErrorHandler((error: FastifyError | HttpError, _request: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(error)) return reply.code(422).send(failure(schemaProblems(error.validation)));
    const status = error instanceof HttpError ? error.statusCode : (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500 && status !== 401 && (error instanceof HttpError || (error as FastifyError).code)) {
      return reply.code(status).send(failure(error.message));
    }
    throw error;
  });
  const api = app.withTypeProvider<ZodTypeProvider>();

  app.get(endpoints.listAgents.path, options, async () => ok(agents.list()));

  api.get(routePath(endpoints.getAgent.path), { ...options, schema: { params: agentIdParams } }, async (request) =>
    ok(agents.get(request.params.agent_id)),
  );

  const question = { ...options, schema: { params: agentIdParams, body: askRequest } };

  api.post(routePath(endpoints.createAgentResponse.path), question, async (request) =>
    ok(await chat.respond(callerOf(request), request.params.agent_id, request.body)),
  );

  api.post(routePath(endpoints.streamAgentResponse.path), question, async (request, reply) => {
    // Validation answers JSON errors before any event is sent.
    const turn = chat.prepare(callerOf(request), request.params.agent_id, request.body);
    reply.hijack();
    const res = reply.raw;
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableEnded) controller.abort();
    });
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      connection: "keep-alive",
    });
    res.flushHeaders();
    const emit = (event: ChatEvent) => {
      if (controller.signal.aborted || res.destroyed) return;
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    };
    try {
      await chat.run(turn, emit, controller.signal);
    } finally {
      if (!res.destroyed) res.end();
    }
  });

  api.get(routePath(endpoints.listChatThreads.path), { ...options, schema: { params: agentIdParams } }, async (request) =>
    ok(chat.threads(callerOf(request), request.params.agent_id)),
  );

  api.get(routePath(endpoints.listThreadResponses.path), { ...options, schema: { params: threadIdParams } }, async (request) =>
    ok(chat.responses(callerOf(request), request.params.thread_id)),
  );

  api.post(
    routePath(endpoints.sendFeedback.path),
    { ...options, schema: { params: agentResponseIdParams, body: feedbackRequest } },
    async (request) => ok(chat.feedback(callerOf(request), request.params.agent_response_id, request.body)),
  );
}
