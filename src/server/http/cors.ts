// CORS for the pane when it is served from another origin (the webpack dev server on
// https://localhost:3000). Only listed origins get the headers; there are no cookies, so no
// credentials mode. Hand-written because @fastify/cors is not installed in this repo.
import type { FastifyInstance } from "fastify";

const ALLOWED_HEADERS = "Authorization, Content-Type, Ocp-Apim-Subscription-Key";
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

export function registerCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const allowed = new Set(allowedOrigins);

  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin) return;
    reply.header("vary", "Origin");
    if (allowed.has(origin)) reply.header("access-control-allow-origin", origin);
  });

  // Preflight for every path. Answered here, before any API-key or token check (browsers never
  // send those on a preflight).
  app.options("*", async (request, reply) => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header("access-control-allow-methods", ALLOWED_METHODS);
      reply.header("access-control-allow-headers", ALLOWED_HEADERS);
      reply.header("access-control-max-age", "600");
      if (request.headers["access-control-request-private-network"] === "true") {
        reply.header("access-control-allow-private-network", "true");
      }
    }
    return reply.code(204).send();
  });
}
