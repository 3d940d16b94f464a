// Chat routes (CONTRACT.md "Chat"; ejento.md A3–A5), in Ejento's envelope: success
// `{success: true, message: "", data}`, errors `{success: false, message, data: null}` with the
// HTTP status (401 stays as the auth guard answers it). The stream route answers Server-Sent
// Events (A5.5): one JSON per `data:` line, flushed as produced, stopped when the client leaves.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { endpoints } from "../../shared/contract/endpoints";
import { HttpError } from "../errors";
import { routePath } from "../http/api-paths";
import { callerOf, requireCaller } from "../http/guards";
import type { AuthService } from "../services/auth";
import type { AgentService } from "../services/chat/agents";
import type { ChatEvent, ChatService } from "../services/chat/chat";

function ok<T>(data: T) {
  return { success: true as const, message: "", data };
}

export async function chatRoutes(
  app: FastifyInstance,
  { auth, agents, chat }: { auth: AuthService; agents: AgentService; chat: ChatService },
): Promise<void> {
  const options = { onRequest: requireCaller(auth) };

  // Errors of these routes in the envelope; 401 (and anything unexpected) as the app answers it.
  app.setErrorHandler((error: FastifyError | HttpError, _request: FastifyRequest, reply: FastifyReply) => {
    const status = error instanceof HttpError ? error.statusCode : (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500 && status !== 401 && (error instanceof HttpError || (error as FastifyError).code)) {
      return reply.code(status).send({ success: false, message: error.message, data: null });
    }
    throw error;
  });

  app.get(endpoints.listAgents.path, options, async () => ok(agents.list()));

  app.get<{ Params: { agent_id: string } }>(routePath(endpoints.getAgent.path), options, async (request) =>
    ok(agents.get(request.params.agent_id)),
  );

  app.post<{ Params: { agent_id: string } }>(routePath(endpoints.createAgentResponse.path), options, async (request) =>
    ok(await chat.respond(callerOf(request), request.params.agent_id, request.body)),
  );

  app.post<{ Params: { agent_id: string } }>(routePath(endpoints.streamAgentResponse.path), options, async (request, reply) => {
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

  app.get<{ Params: { agent_id: string } }>(routePath(endpoints.listChatThreads.path), options, async (request) =>
    ok(chat.threads(callerOf(request), request.params.agent_id)),
  );

  app.get<{ Params: { thread_id: string } }>(routePath(endpoints.listThreadResponses.path), options, async (request) =>
    ok(chat.responses(callerOf(request), request.params.thread_id)),
  );

  app.post<{ Params: { agent_response_id: string } }>(routePath(endpoints.sendFeedback.path), options, async (request) =>
    ok(chat.feedback(callerOf(request), request.params.agent_response_id, request.body)),
  );
}
