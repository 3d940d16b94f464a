// CORS for the pane when it is served from another origin (the webpack dev server on
// https://localhost:3000). Only listed origins get the headers; there are no cookies, so no
// credentials mode. Hand-written because @fastify/cors is not installed in this repo.
//
// The pane may be served from another origin than each service it calls, and a connection can
// send headers whose names are configured (the indexing service's key header), so a preflight
// from a listed origin is allowed the headers it asks for (Access-Control-Request-Headers), on top
// of the usual ones. Unlisted origins get nothing.
import type { FastifyInstance } from "fastify";

const ALLOWED_HEADERS = "Authorization, Content-Type, Ocp-Apim-Subscription-Key";
/** A comma list of header names (RFC 9110 tokens), as a browser sends in Access-Control-Request-Headers. */
const HEADER_LIST = /^\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*\s*$/;

/** The usual headers plus those the preflight asks for, when they are header names. */
function allowedHeaders(requested: string | string[] | undefined): string {
  const value = Array.isArray(requested) ? requested.join(",") : requested;
  if (!value || !HEADER_LIST.test(value) || value.length > 2000) return ALLOWED_HEADERS;
  const names = new Map<string, string>();
  for (const name of [...ALLOWED_HEADERS.split(","), ...value.split(",")]) {
    const trimmed = name.trim();
    if (!names.has(trimmed.toLowerCase())) names.set(trimmed.toLowerCase(), trimmed);
  }
  return [...names.values()].join(", ");
}
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
      reply.header("access-control-allow-headers", allowedHeaders(request.headers["access-control-request-headers"]));
      reply.header("vary", "Origin, Access-Control-Request-Headers");
      reply.header("access-control-max-age", "600");
      if (request.headers["access-control-request-private-network"] === "true") {
        reply.header("access-control-allow-private-network", "true");
      }
    }
    return reply.code(204).send();
  });
}
