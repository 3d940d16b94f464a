// The local server: the contract's routes on one port, the built pane at "/".
//
//   const app = await buildApp(loadConfig());
//   await app.listen({ port: 0, host: "127.0.0.1" });
//   ...
//   await app.close(); // also closes the database
import fastifyMultipart from "@fastify/multipart";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Config } from "./config";
import { HttpError, UNEXPECTED_ERROR } from "./errors";
import { isApiPath, pathnameOf } from "./http/api-paths";
import { registerCors } from "./http/cors";
import { API_KEY_HEADER, registerApiKeyCheck } from "./http/guards";
import { authRoutes } from "./routes/auth-routes";
import { chatRoutes } from "./routes/chat-routes";
import { documentRoutes } from "./routes/document-routes";
import { documentSetRoutes } from "./routes/document-set-routes";
import { fileRoutes } from "./routes/file-routes";
import { sectionRoutes } from "./routes/section-routes";
import { staticSite } from "./routes/static-site";
import { templateRoutes } from "./routes/template-routes";
import { AuthService } from "./services/auth";
import { AgentService } from "./services/chat/agents";
import { ChatService } from "./services/chat/chat";
import { GroundingService } from "./services/chat/grounding";
import { DocumentSetService } from "./services/document-sets";
import { DocumentService } from "./services/documents";
import { GenerateRequestService } from "./services/generation/generate-request";
import { GenerationPipeline } from "./services/generation/pipeline";
import { GenerationQueue } from "./services/generation/queue";
import { PresignService } from "./services/presign";
import { OutlineCache } from "./services/sections/outline-cache";
import { SectionService } from "./services/sections/sections";
import { TemplateService } from "./services/templates";
import { ensureDemoUser } from "./services/users";
import { Storage } from "./storage/storage";

export const HEALTH_PATH = "/healthz";

export interface SidecarContext {
  config: Config;
  storage: Storage;
  /** Background generation jobs (started when the app is ready, stopped before it closes). */
  generationQueue: GenerationQueue;
  presign: PresignService;
  /** The demo sign-in, when this start created it (first start on an empty data directory). */
  demoUserCreated: { email: string; password: string } | null;
}

declare module "fastify" {
  interface FastifyInstance {
    sidecar: SidecarContext;
  }
}

export interface BuildOptions {
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  logStream?: { write(line: string): unknown };
}

const REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

/** Leftover temp uploads and orphaned files older than this are removed at startup. */
const LEFTOVER_AGE_MS = 10 * 60 * 1000;

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const storage = Storage.open(config.dataDir);
  try {
    storage.removeLeftovers(LEFTOVER_AGE_MS);
    const demoUserCreated = await ensureDemoUser(storage, config.demoPassword);
    const templates = new TemplateService(storage);
    templates.ensureBuiltIns();
    const documentSets = new DocumentSetService(storage);
    documentSets.ensureDemoWorkspace();
    const app = Fastify({
      // The longest a client may take to send one whole request (a stalled upload is cut off).
      requestTimeout: REQUEST_TIMEOUT_MS,
      logger: {
        level: config.logLevel,
        // Tokens, keys and passwords never reach the log.
        redact: {
          paths: [
            "req.headers.authorization",
            `req.headers["${API_KEY_HEADER}"]`,
            "req.body",
            "body",
            "password",
            "*.password",
          ],
          censor: "[redacted]",
        },
        ...(options.logStream ? { stream: options.logStream } : {}),
      },
    });
    const limits = { maxUnpackedBytes: config.maxUnpackedBytes, maxEntries: config.maxZipEntries };
    const generationQueue = new GenerationQueue(
      storage,
      new GenerationPipeline(storage, { limits, stepDelayMs: config.pipelineStepDelayMs }),
      { concurrency: config.generationConcurrency, maxAttempts: config.generationMaxAttempts },
      app.log.child({ component: "generation" }),
    );
    const presign = new PresignService(storage, config);
    // Jobs start once the app is ready, and stop (back to Pending) before the database closes.
    app.addHook("onReady", async () => generationQueue.start());
    app.addHook("preClose", async () => generationQueue.stop());
    app.addHook("onClose", async () => storage.close());
    app.decorate("sidecar", { config, storage, generationQueue, presign, demoUserCreated });
    app.decorateRequest("caller", null);

    registerBodyParsers(app);
    registerErrorHandling(app);
    registerCors(app, config.allowedOrigins);
    registerApiKeyCheck(app, config.apiKey);
    await app.register(fastifyMultipart, { throwFileSizeLimit: false });

    const auth = new AuthService(storage, config);
    // Sections, text indexes and sources per document, in memory (the Sources panel asks on every selection change).
    const outlines = new OutlineCache(storage, limits);
    const documents = new DocumentService(storage, config, outlines);
    const sections = new SectionService(storage, outlines);
    const generation = new GenerateRequestService(storage, generationQueue);
    const agents = new AgentService();
    const chat = new ChatService(
      storage,
      agents,
      new GroundingService(storage, outlines),
      { deltaDelayMs: config.chatDeltaDelayMs, llm: config.llm },
      app.log.child({ component: "chat" }),
    );

    app.get(HEALTH_PATH, async () => ({ ok: true }));
    await app.register(authRoutes, { auth });
    await app.register(documentRoutes, { auth, documents, generation, config });
    await app.register(templateRoutes, { auth, templates, storage, config });
    await app.register(documentSetRoutes, { auth, documentSets });
    await app.register(fileRoutes, { auth, presign, config });
    await app.register(chatRoutes, { auth, agents, chat });
    await app.register(sectionRoutes, { auth, sections, logLevel: config.logLevel });
    await app.register(staticSite, { staticDir: config.staticDir });
    return app;
  } catch (error) {
    storage.close();
    throw error;
  }
}

function registerBodyParsers(app: FastifyInstance): void {
  // HTML forms and OAuth2 password-flow clients (the login route) send url-encoded bodies.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  // A POST that needs no body (refresh, logout) may still say Content-Type: application/json.
  const json = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "") return done(null, undefined);
    return json(request, body as string, done);
  });
}

const FRAMEWORK_ERRORS: Record<string, (request: FastifyRequest) => { status: number; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => ({ status: 400, detail: "The request body is not valid JSON." }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ({ status: 400, detail: "The request body is empty; send JSON." }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (request) => ({
    status: 415,
    detail: `This endpoint does not accept ${request.headers["content-type"] ?? "that content type"}; send JSON (application/json).`,
  }),
  FST_ERR_CTP_BODY_TOO_LARGE: () => ({ status: 413, detail: "The request body is too large." }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ({
    status: 400,
    detail: "The request body does not match its Content-Length. Try again.",
  }),
};

function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).headers(error.headers).send({ detail: error.detail });
    }
    const code = (error as FastifyError).code;
    const known = code ? FRAMEWORK_ERRORS[code] : undefined;
    if (known) {
      const { status, detail } = known(request);
      return reply.code(status).send({ detail });
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      return reply.code(status).send({ detail: error.message });
    }
    request.log.error({ err: error }, "unexpected error");
    return reply.code(500).send({ detail: UNEXPECTED_ERROR });
  });

  app.setNotFoundHandler((request, reply) => {
    const pathname = pathnameOf(request.url);
    const detail = isApiPath(pathname)
      ? `There is no API endpoint ${request.method} ${pathname}. Check the server URL and that the pane and server versions match.`
      : `Nothing is served at ${pathname}.`;
    return reply.code(404).send({ detail });
  });
}
