// Chat routes of the ejento face (docs/api.md "Chat (Ejento shape)"; docs/vendors.md Ejento
// A3–A7), in Ejento's envelope (http/ejento-envelope.ts): agents, answers (streamed and not),
// threads (list, create, rename, delete), their turns (history, delete, feedback), and a cited
// file by its storage name. The stream route answers Server-Sent Events (A5.5): one JSON per
// `data:` line, flushed as produced, stopped when the client leaves.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { endpoints } from "../../shared/contract/endpoints";
import {
  agentIdParams,
  agentResponseIdParams,
  askRequest,
  chatThreadQuery,
  createThreadRequest,
  feedbackRequest,
  renameThreadRequest,
  threadIdParams,
  type AgentListResponse,
  type AgentResponse,
  type AgentResponseListResponse,
  type AnswerResponse,
  type ChatEvent,
  type ChatThreadListResponse,
  type ChatThreadResponse,
  type EmptyResponse,
  type FeedbackResponse,
} from "../../shared/wire/chat";
import { routePath } from "../http/api-paths";
import { ok, useEjentoErrors } from "../http/ejento-envelope";
import { callerOf, requireCaller } from "../http/guards";
import type { AuthService } from "../services/auth";
import type { AgentService } from "../services/chat/agents";
import type { ChatService } from "../services/chat/chat";
import type { CitationService } from "../services/chat/citations";
import type { LlmConfig } from "../services/chat/llm";
import type { Capabilities, CapabilitiesResponse } from "../../shared/wire/capabilities";
import { DOCX_TYPE, contentDisposition } from "./file-routes";

/** The citation route takes the storage name whole: encoded (`a%2Fb.docx`, as clients send it) or with its slashes. */
const citationParams = z.object({ "*": z.string() });
const citationQuery = z.object({ storage_container: z.unknown().optional(), convert_to_pdf: z.unknown().optional() });

export async function chatRoutes(
  app: FastifyInstance,
  { auth, agents, chat, citations, llm }: { auth: AuthService; agents: AgentService; chat: ChatService; citations: CitationService; llm: LlmConfig | null },
): Promise<void> {
  const options = { onRequest: requireCaller(auth) };
  useEjentoErrors(app);
  const api = app.withTypeProvider<ZodTypeProvider>();

  app.get(endpoints.listAgents.path, options, async (): Promise<AgentListResponse> => ok(await agents.list()));

  // What this server's answers are: the pane labels extracts as such and says a model can be connected.
  const capabilities: Capabilities = {
    answers: llm ? "model" : "extracts",
    model: { configured: llm !== null, name: llm?.model ?? null },
    rewording: llm !== null,
    generation: llm ? "model" : "extracts",
  };
  app.get(endpoints.capabilities.path, options, async (): Promise<CapabilitiesResponse> => ok(capabilities) as CapabilitiesResponse);

  api.get(routePath(endpoints.getAgent.path), { ...options, schema: { params: agentIdParams } }, async (request): Promise<AgentResponse> =>
    ok(await agents.get(request.params.agent_id)),
  );

  // ---- answers ---------------------------------------------------------------------------------

  const question = { ...options, schema: { params: agentIdParams, body: askRequest } };

  // The guardrail's outcome is also at the top level, where Ejento's Quickstart reads it.
  api.post(routePath(endpoints.createAgentResponse.path), question, async (request): Promise<AnswerResponse> => {
    const answer = await chat.respond(callerOf(request), request.params.agent_id, request.body);
    return { ...ok(answer), guardrail_triggered: answer.guardrail_triggered, blocked: answer.blocked };
  });

  api.post(routePath(endpoints.streamAgentResponse.path), question, async (request, reply) => {
    // Validation, 404s and the guardrail's verdict come before any event is sent.
    const turn = await chat.prepare(callerOf(request), request.params.agent_id, request.body);
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

  // ---- threads ---------------------------------------------------------------------------------

  api.get(
    routePath(endpoints.listChatThreads.path),
    { ...options, schema: { params: agentIdParams, querystring: chatThreadQuery } },
    async (request): Promise<ChatThreadListResponse> =>
      ok({ chat_threads: await chat.threads(callerOf(request), request.params.agent_id, request.query.query_source) }),
  );

  api.post(
    routePath(endpoints.createChatThread.path),
    { ...options, schema: { params: agentIdParams, body: createThreadRequest } },
    async (request, reply) => {
      const created: ChatThreadResponse = ok(await chat.createThread(callerOf(request), request.params.agent_id, request.body));
      return reply.code(201).send(created);
    },
  );

  api.put(
    routePath(endpoints.renameChatThread.path),
    { ...options, schema: { params: threadIdParams, body: renameThreadRequest } },
    async (request): Promise<ChatThreadResponse> => ok(await chat.renameThread(callerOf(request), request.params.thread_id, request.body.title)),
  );

  api.delete(routePath(endpoints.deleteChatThread.path), { ...options, schema: { params: threadIdParams } }, async (request): Promise<EmptyResponse> => {
    await chat.deleteThread(callerOf(request), request.params.thread_id);
    return ok(null, "Chat thread deleted.");
  });

  // `include_steps` (Ejento) is accepted and ignored: there are no recorded steps.
  api.get(
    routePath(endpoints.listThreadResponses.path),
    { ...options, schema: { params: threadIdParams } },
    async (request): Promise<AgentResponseListResponse> => ok({ agent_responses: await chat.responses(callerOf(request), request.params.thread_id) }),
  );

  // ---- a turn ----------------------------------------------------------------------------------

  api.delete(
    routePath(endpoints.deleteAgentResponse.path),
    { ...options, schema: { params: agentResponseIdParams } },
    async (request): Promise<EmptyResponse> => {
      await chat.deleteResponse(callerOf(request), request.params.agent_response_id);
      return ok(null, "Agent response deleted.");
    },
  );

  api.post(
    routePath(endpoints.sendFeedback.path),
    { ...options, schema: { params: agentResponseIdParams, body: feedbackRequest } },
    async (request): Promise<FeedbackResponse> => ok(await chat.feedback(callerOf(request), request.params.agent_response_id, request.body)),
  );

  // ---- a cited file (A7 "Get Citation File Content") -------------------------------------------

  api.get(
    routePath(endpoints.citationContent.path, "name"),
    { ...options, schema: { params: citationParams, querystring: citationQuery } },
    async (request, reply) => {
      const file = await citations.open(callerOf(request), request.params["*"]);
      return reply
        .type(DOCX_TYPE)
        .header("content-length", String(file.sizeBytes))
        .header("content-disposition", contentDisposition(file.documentName, "inline"))
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .send(file.bytes);
    },
  );
}
