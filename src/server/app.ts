// The local server: the contract's routes on one port, the built pane at "/".
//
//   const app = await buildApp(loadConfig());
//   await app.listen({ port: 0, host: "127.0.0.1" });
//   ...
//   await app.close(); // also closes the database
import fastifyMultipart from "@fastify/multipart";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { HEALTH_PATH, type ServiceName } from "../shared/contract/endpoints";
import type { Config } from "./config";
import { HttpError, isOutOfStorage, OUT_OF_STORAGE, UNEXPECTED_ERROR } from "./errors";
import { isApiPath, pathnameOf, serviceOfPath } from "./http/api-paths";
import { registerSecurityHeaders } from "./http/security-headers";
import { registerCors } from "./http/cors";
import { API_KEY_HEADER, registerApiKeyCheck } from "./http/guards";
import { redactUrlSecrets } from "./http/log-redaction";
import { authRoutes } from "./routes/auth-routes";
import { CLOSE, batchRoutes } from "./routes/batch-routes";
import { batchSignInRoutes } from "./routes/batch-sign-in-routes";
import { chatRoutes } from "./routes/chat-routes";
import { corpusRoutes, indexingRoutes } from "./routes/corpus-routes";
import { documentRoutes } from "./routes/document-routes";
import { documentSetRoutes } from "./routes/document-set-routes";
import { documentsSignInRoutes } from "./routes/documents-sign-in-routes";
import { ejentoSignInRoutes } from "./routes/ejento-sign-in-routes";
import { fileRoutes } from "./routes/file-routes";
import { sectionRoutes } from "./routes/section-routes";
import { staticSite } from "./routes/static-site";
import { templateRoutes } from "./routes/template-routes";
import { AuthService, SERVICE_NAMES } from "./services/auth";
import { BatchJobService } from "./services/batch/batch-jobs";
import { TaggingTexts } from "./services/batch/document-text";
import { BatchEvents } from "./services/batch/events";
import { BATCH_CONCURRENCY, BatchRunner } from "./services/batch/runner";
import { docxReader } from "./services/docx-reader";
import { writeGeneratedDocx } from "./docx/write-docx";
import { DocumentTagger } from "./services/batch/tagger";
import { AgentService } from "./services/chat/agents";
import { ChatService } from "./services/chat/chat";
import { CitationService } from "./services/chat/citations";
import { CorpusService } from "./services/chat/corpora";
import { GroundingService } from "./services/chat/grounding";
import { Guardrail } from "./services/chat/guardrail";
import { CorpusIndexer } from "./services/chat/indexer";
import { DocumentSetService } from "./services/document-sets";
import { DocumentService } from "./services/documents";
import { GenerateRequestService } from "./services/generation/generate-request";
import { GenerationPipeline } from "./services/generation/pipeline";
import { GenerationQueue, type GenerationJobs } from "./services/generation/queue";
import { SharedGenerationQueue } from "./services/generation/shared-queue";
import { SharedChannel } from "./services/shared-channel";
import { DOCUMENT_CHANGES_CHANNEL } from "./storage/document-store";
import { SharedJobs } from "./services/shared-jobs";
import type { TokenNotice } from "./storage/sign-in-store";
import { MailDelivery } from "./services/mail-delivery";
import { LogDelivery, PasswordlessService } from "./services/passwordless";
import { PresignService } from "./services/presign";
import { OutlineCache } from "./services/sections/outline-cache";
import { SectionService } from "./services/sections/sections";
import { TemplateService } from "./services/templates";
import { ensureDemoUser } from "./services/users";
import { Storage } from "./storage/storage";

export { HEALTH_PATH };

export interface SidecarContext {
  config: Config;
  storage: Storage;
  /** Background generation jobs (started when the app is ready, stopped before it closes). */
  generationQueue: GenerationJobs;
  /** Background batch tagging jobs (same lifecycle as generation). */
  batchRunner: BatchRunner;
  /** Background indexing of documents uploaded into corpora (same lifecycle, on the indexing face). */
  indexer: CorpusIndexer;
  presign: PresignService;
  /** The demo sign-in, when this start created it (first start on an empty data directory). */
  demoUserCreated: { email: string; password: string; userId: string } | null;
}

declare module "fastify" {
  interface FastifyInstance {
    sidecar: SidecarContext;
  }
}

export interface BuildOptions {
  /** Where log lines go (default stdout); tests pass a stream to read them. */
  logStream?: { write(line: string): unknown };
  /** The clock token and URL expiry are measured by (epoch ms); tests move it instead of sleeping. */
  clock?: () => number;
}

const REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

/** Leftover temp uploads and orphaned files older than this are removed at startup. */
const LEFTOVER_AGE_MS = 10 * 60 * 1000;

/** How long an open WebSocket gets to answer the server's close frame when the server stops. */
const SOCKET_CLOSE_GRACE_MS = 1000;

/**
 * A URL as logged: credentials in its query hidden — the batch WebSocket's ?token= and ?key=, a
 * presigned file URL's ?signature= (with it, anyone reading the log could download the file until
 * it expires), tokens or codes any sign-in return address carries, other services' signed-URL
 * parameters (src/server/http/log-redaction.ts says which).
 */
export function urlForLog(url: string): string {
  return redactUrlSecrets(url);
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const storage = await Storage.open(config.databaseUrl ? { databaseUrl: config.databaseUrl, dataDir: config.dataDir } : { dataDir: config.dataDir }, { poolSize: config.databasePoolSize });
  try {
    await storage.files.removeLeftovers(LEFTOVER_AGE_MS);
    // A known password on an address others can reach would be an open door: the demo account is
    // made only where nobody else can reach it, unless asked for (SIDECAR_DEMO_ACCOUNT=yes).
    const demoUserCreated = config.demoAccount ? await ensureDemoUser(storage, config.demoPassword) : null;
    const templates = new TemplateService(storage);
    await templates.ensureBuiltIns();
    const documentSets = new DocumentSetService(storage);
    await documentSets.ensureDemoWorkspace();
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
        serializers: {
          req: (request: FastifyRequest) => ({
            method: request.method,
            url: urlForLog(request.url),
            host: request.host,
            remoteAddress: request.ip,
            remotePort: request.socket?.remotePort,
          }),
        },
        // Every finished line, whatever wrote it: a URL quoted in an error message or a message
        // has its secret query values hidden as well.
        hooks: { streamWrite: redactUrlSecrets },
        ...(options.logStream ? { stream: options.logStream } : {}),
      },
    });
    const limits = { maxUnpackedBytes: config.maxUnpackedBytes, maxEntries: config.maxZipEntries };
    // .docx files are read (and their passages stored) in worker threads: the main thread routes.
    const reader = docxReader(config.docxWorkers);
    app.addHook("onClose", async () => reader.close());
    const pipeline = new GenerationPipeline(storage, { limits, reader, stepDelayMs: config.pipelineStepDelayMs, llm: config.llm, llmTimeoutMs: config.llmTimeoutMs }, app.log.child({ component: "generation" }));
    // On PostgreSQL every process takes jobs from one shared queue (pg-boss); on SQLite, in process.
    const sharedJobs = config.databaseUrl
      ? new SharedJobs({ databaseUrl: config.databaseUrl, maintenanceSeconds: config.jobs.maintenanceSeconds }, app.log.child({ component: "jobs" }))
      : null;
    const generationQueue: GenerationJobs = sharedJobs
      ? new SharedGenerationQueue(
          storage,
          pipeline,
          sharedJobs,
          { concurrency: config.generationConcurrency, maxAttempts: config.generationMaxAttempts, leaseSeconds: config.jobs.leaseSeconds, pollingSeconds: config.jobs.pollingSeconds },
          app.log.child({ component: "generation" }),
        )
      : new GenerationQueue(storage, pipeline, { concurrency: config.generationConcurrency, maxAttempts: config.generationMaxAttempts }, app.log.child({ component: "generation" }));
    const presign = new PresignService(storage, config, options.clock);
    // Sections, text indexes and sources per document, in memory (the Sources panel asks on every selection change).
    const outlines = new OutlineCache(storage, limits, reader);
    const batchEvents = new BatchEvents();
    const batchRunner = new BatchRunner(
      storage,
      new DocumentTagger(storage, new TaggingTexts(storage, outlines), config.llm),
      batchEvents,
      {
        concurrency: BATCH_CONCURRENCY,
        documentDelayMs: config.batchDocumentDelayMs,
        documentTimeoutMs: config.batchDocumentTimeoutMs,
        ...(sharedJobs
          ? {
              shared: {
                jobs: sharedJobs,
                leaseSeconds: config.jobs.leaseSeconds,
                maxAttempts: config.generationMaxAttempts,
                pollingSeconds: config.jobs.pollingSeconds,
                sweepSeconds: config.jobs.maintenanceSeconds,
              },
            }
          : {}),
      },
      app.log.child({ component: "batch" }),
    );
    const grounding = new GroundingService(storage, outlines);
    const indexer = new CorpusIndexer(
      storage,
      grounding,
      {
        delayMs: config.indexingDelayMs,
        ...(sharedJobs
          ? { shared: { jobs: sharedJobs, leaseSeconds: config.jobs.leaseSeconds, maxAttempts: config.generationMaxAttempts, pollingSeconds: config.jobs.pollingSeconds } }
          : {}),
      },
      app.log.child({ component: "indexing" }),
    );
    // The faces this server serves (SIDECAR_SERVICES): only their routes are registered, and only
    // their background work runs.
    const serves = (service: ServiceName) => config.services.includes(service);
    // Jobs start once the app is ready, and stop before the database closes (generation jobs back
    // to Pending; a batch document being tagged back to pending, its job still processing).
    if (serves("documents")) {
      app.addHook("onReady", async () => {
        // Documents are written in the reader's worker; without workers, here: then run the
        // writer once before anyone asks, as its first run compiles much of a large library
        // (~100 ms of the main thread), which would otherwise stall everyone's requests during
        // the first generation.
        if (config.docxWorkers === 0) {
          await writeGeneratedDocx({ documentId: "warm-up", title: "Warm-up", sections: [{ title: "Warm-up", paragraphs: [{ sentences: [{ text: "Warm-up.", footnote: "Warm-up." }] }] }] });
        }
        await generationQueue.start();
      });
    }
    if (serves("batch")) {
      if (config.databaseUrl) {
        // News made by another process's runner or control route reaches this process's sockets;
        // a pause, resume or cancel made elsewhere reaches this process's runner.
        const databaseUrl = config.databaseUrl;
        const newsLog = app.log.child({ component: "batch" });
        app.addHook("onReady", async () =>
          batchEvents.share(
            databaseUrl,
            (jobId, message) => {
              // A pause (its keepalive), a cancel (a nudge, or its final message): the worker here looks again.
              if (message === null || (message.type === "keepalive" && message.status !== "processing") || message.type === "cancelled") batchRunner.wake(jobId);
            },
            (error) => newsLog.warn({ err: error }, "sharing batch news with the other server processes failed"),
          ),
        );
        app.addHook("onClose", async () => batchEvents.close());
      }
      app.addHook("onReady", async () => batchRunner.start());
    }
    if (config.databaseUrl) {
      // Several processes: tokens found are kept in memory a while (each request looks its token up),
      // and every process hears at once of a sign-in or token ended anywhere (storage/sign-in-store.ts).
      const endedSignIns = hearChanges<TokenNotice>(app, config.databaseUrl, {
        channel: "sidecar_sign_ins",
        applicationName: "sidecar-sign-ins",
        component: "auth",
        what: "sign-ins ended",
        forget: (notice) => storage.signIns.forget(notice),
        forgetAll: (paused) => storage.signIns.forgetAll(paused),
        keep: () => storage.signIns.cacheTokens({ ttlMs: 30_000, channel: "sidecar_sign_ins", payload: (notice) => endedSignIns.payload(notice) }),
      });
      // The rows of Ready documents the Sources panel asks about are kept in memory too; PostgreSQL
      // itself announces every change of such a row (storage/document-store.ts).
      hearChanges<string>(app, config.databaseUrl, {
        channel: DOCUMENT_CHANGES_CHANNEL,
        applicationName: "sidecar-documents",
        component: "documents",
        what: "documents changed",
        forget: (documentId) => storage.documents.forgetRow(documentId),
        forgetAll: (paused) => storage.documents.forgetAllRows(paused),
        keep: () => storage.documents.keepReadyRows(30_000),
      });
    }
    // Corpus documents an earlier run left unfinished are indexed again (or fail), never stuck.
    if (serves("indexing")) app.addHook("onReady", async () => indexer.start());
    // Temp files an interrupted upload left behind are removed while the server runs too.
    let sweeper: NodeJS.Timeout | undefined;
    app.addHook("onReady", async () => {
      sweeper = setInterval(() => {
        const removed = storage.files.sweepTemp();
        if (removed > 0) app.log.info({ removed }, "removed temp files no upload was using");
      }, config.tempSweepMs);
      sweeper.unref();
    });
    app.addHook("preClose", async () => clearInterval(sweeper));
    app.addHook("preClose", async () => generationQueue.stop());
    app.addHook("preClose", async () => batchRunner.stop());
    app.addHook("preClose", async () => indexer.stop());
    if (sharedJobs) app.addHook("preClose", async () => sharedJobs.stop());
    app.addHook("onClose", async () => storage.close());
    if (storage.lock?.tookOverFrom) {
      app.log.info({ stale_pid: storage.lock.tookOverFrom }, "took over the data directory's lock from a server that is no longer running");
    }
    if (storage.tightenedPaths.length > 0) {
      app.log.warn(
        { paths: storage.tightenedPaths.length, data_dir: config.dataDir },
        "made the data directory private: its directories are now 0700 and its files 0600 (they were readable by other users)",
      );
    }
    app.decorate("sidecar", { config, storage, generationQueue, batchRunner, indexer, presign, demoUserCreated });
    app.decorateRequest("caller", null);

    // Routes validate their input with the shared zod schemas (src/shared/wire): a route declares
    // `schema: { body: someSchema }` and its handler receives the parsed, typed value.
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerBodyParsers(app);
    registerErrorHandling(app, config.services);
    // Before any route (the plugin must see every route) and before the guards below: its own
    // hooks mark an upgrade request and close its socket once a guard (Host, API key) has refused it
    // with an HTTP answer — registered after them, a refused upgrade's socket stayed open and held
    // up the server's close. When the app closes, open sockets are told the server is going away
    // (1001) and cut off if they don't answer within a second.
    await app.register(fastifyWebsocket, {
      options: { maxPayload: 64 * 1024 },
      preClose: async () => closeSockets(app),
    });
    registerSecurityHeaders(app, config);
    registerCors(app, config.allowedOrigins);
    registerApiKeyCheck(app, config.apiKey);
    await app.register(fastifyMultipart, { throwFileSizeLimit: false });

    const auth = new AuthService(storage, config, options.clock);
    const documents = new DocumentService(storage, config, outlines, reader);
    const sections = new SectionService(storage, outlines);
    const generation = new GenerateRequestService(storage, generationQueue, config.maxQueuedGenerations);
    const agents = new AgentService();
    // A corpus upload is kept as an Artos upload is (the same bytes and name: the same document).
    const corpora = new CorpusService(storage, documents, indexer);
    const chat = new ChatService(
      storage,
      agents,
      grounding,
      corpora,
      new Guardrail(config.blockedTerms),
      { deltaDelayMs: config.chatDeltaDelayMs, llm: config.llm },
      app.log.child({ component: "chat" }),
    );

    app.get(HEALTH_PATH, async () => ({ ok: true }));
    if (serves("ejento")) {
      const signInLog = app.log.child({ component: "sign-in" });
      const mail = config.smtp ? new MailDelivery(config.smtp.url, config.smtp.from) : null;
      if (mail) app.addHook("onClose", async () => mail.close());
      const passwordless = new PasswordlessService(storage, auth, mail ?? new LogDelivery(signInLog), signInLog);
      if (config.loginMethods.some((method) => method.endsWith("_sso"))) {
        signInLog.warn(
          "Development SSO is on (SIDECAR_LOGIN_METHODS): anyone who can reach this server can sign in as any of its users without a password. Use it only on a development server.",
        );
      }
      await app.register(authRoutes, { auth, loginMethods: config.loginMethods });
      await app.register(ejentoSignInRoutes, { auth, passwordless, storage, config });
      await app.register(chatRoutes, { auth, agents, chat, citations: new CitationService(storage), llm: config.llm });
      await app.register(corpusRoutes, { auth, corpora });
    }
    if (serves("documents")) {
      await app.register(documentsSignInRoutes, { auth });
      await app.register(documentRoutes, { auth, documents, generation, config });
      await app.register(templateRoutes, { auth, templates, storage, config });
      await app.register(documentSetRoutes, { auth, documentSets });
      await app.register(fileRoutes, { auth, presign, config });
      await app.register(sectionRoutes, { auth, sections, logLevel: config.logLevel });
    }
    if (serves("batch")) {
      await app.register(batchSignInRoutes, { auth, storage });
      await app.register(batchRoutes, {
        auth,
        batch: new BatchJobService(storage, batchRunner, batchEvents, config.llm?.model ?? null, config.maxQueuedBatches),
        apiKey: config.apiKey,
        keepaliveMs: config.batchKeepaliveMs,
      });
    }
    if (serves("indexing")) {
      // The Ejento corpus upload (docs/vendors.md Ejento A6); its document's step is read on the ejento face.
      await app.register(indexingRoutes, { auth, corpora, config });
    }
    await app.register(staticSite, { staticDir: config.staticDir });
    return app;
  } catch (error) {
    await storage.close();
    throw error;
  }
}

/**
 * Several processes on PostgreSQL: what a store keeps in memory (storage/noticed-cache.ts) is
 * forgotten as any process announces a change on `channel`. Once listening, `keep` lets the store
 * keep; while the listening connection is down it keeps nothing, and it starts afresh once back.
 */
function hearChanges<T>(
  app: FastifyInstance,
  databaseUrl: string,
  options: {
    channel: string;
    applicationName: string;
    component: string;
    /** For the log line when listening fails: "hearing of <what> by the other server processes failed". */
    what: string;
    forget: (notice: T) => void;
    forgetAll: (paused: boolean) => void;
    keep: () => void;
  },
): SharedChannel<T> {
  const log = app.log.child({ component: options.component });
  const heard = new SharedChannel<T>(
    { databaseUrl, channel: options.channel, applicationName: options.applicationName, hearOwn: true },
    options.forget,
    (error) => log.warn({ err: error }, `hearing of ${options.what} by the other server processes failed`),
    { dropped: () => options.forgetAll(true), back: () => options.forgetAll(false) },
  );
  app.addHook("onReady", async () => {
    await heard.listen();
    options.keep();
  });
  app.addHook("onClose", async () => heard.close());
  return heard;
}

async function closeSockets(app: FastifyInstance): Promise<void> {
  const server = app.websocketServer;
  await Promise.all(
    [...server.clients].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) return resolve();
          const cutOff = setTimeout(() => socket.terminate(), SOCKET_CLOSE_GRACE_MS);
          socket.once("close", () => {
            clearTimeout(cutOff);
            resolve();
          });
          socket.close(CLOSE.goingAway, "Server is shutting down");
        }),
    ),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
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

function registerErrorHandling(app: FastifyInstance, services: readonly ServiceName[]): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).headers(error.headers).send({ detail: error.detail });
    }
    // A body, query or path that does not match the route's schema: 422 in FastAPI's shape, one
    // entry per problem, each naming its field (`loc`) so the caller knows what to fix.
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? "body";
      return reply.code(422).send({
        detail: error.validation.map((issue) => {
          const field = issue.instancePath.split("/").filter(Boolean);
          const message = issue.message ?? "is not valid";
          return { loc: [where, ...field], msg: field.length ? `${field.join(".")}: ${message}` : message, type: issue.keyword };
        }),
      });
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
    if (isOutOfStorage(error)) {
      request.log.error({ err: error }, "out of storage");
      return reply.code(507).send({ detail: OUT_OF_STORAGE });
    }
    request.log.error({ err: error }, "unexpected error");
    return reply.code(500).send({ detail: UNEXPECTED_ERROR });
  });

  app.setNotFoundHandler((request, reply) => {
    const pathname = pathnameOf(request.url);
    const service = serviceOfPath(pathname, request.method);
    if (service && !services.includes(service)) {
      const served = services.map((name) => SERVICE_NAMES[name]).join(", ");
      return reply.code(404).send({
        detail: `This server does not serve the ${SERVICE_NAMES[service]} service (it serves: ${served}). Point the ${SERVICE_NAMES[service]} connection at the server that does.`,
      });
    }
    const detail = isApiPath(pathname)
      ? `There is no API endpoint ${request.method} ${pathname}. Check the server URL and that the pane and server versions match.`
      : `Nothing is served at ${pathname}.`;
    return reply.code(404).send({ detail });
  });
}
