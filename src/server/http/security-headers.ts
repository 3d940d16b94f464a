// Answers the server gives every client, whatever the route:
// - a Host allowlist: loopback names, the HOST the server listens on (unless a wildcard address),
//   the public URL's host and SIDECAR_ALLOWED_HOSTS. Any other Host (a DNS-rebinding page that
//   points its own name at this machine, say) is refused before anything runs, and never ends up
//   in a presigned URL;
// - `X-Content-Type-Options: nosniff` and a `Referrer-Policy` on every answer;
// - a Content-Security-Policy on every HTML page that has none of its own: scripts only from this
//   origin (the pane loads Office.js and its bundles from here, nothing inline), styles also inline
//   (Fluent UI writes its CSS at run time), API calls to this origin and to the vendors' addresses
//   the person configures (any https/wss), and framing only by this origin and the Office hosts
//   that show a task pane.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../config";
import { HttpError } from "../errors";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1", "[::1]"];
const WILDCARD_ADDRESSES = new Set(["0.0.0.0", "::", "[::]"]);

/** The Office hosts that frame a task pane (Word on the web and the desktop's web view). */
export const OFFICE_FRAME_ANCESTORS = [
  "https://*.officeapps.live.com",
  "https://*.office.com",
  "https://*.office365.com",
  "https://*.microsoft365.com",
  "https://*.sharepoint.com",
  "https://*.officeapps.live.net",
];

/** The one page office.js frames itself (its telemetry proxy; the address is in office.js). */
export const OFFICE_TELEMETRY_FRAME = "https://telemetryservice.firstpartyapps.oaspapps.com";

export const PANE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https: wss: http://localhost:* http://127.0.0.1:* ws://localhost:* ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  // office.js (dist/assets/office-js) frames Microsoft's telemetry proxy page inside Office hosts.
  `frame-src 'self' ${OFFICE_TELEMETRY_FRAME}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  `frame-ancestors 'self' ${OFFICE_FRAME_ANCESTORS.join(" ")}`,
].join("; ");

const REFERRER_POLICY = "strict-origin-when-cross-origin";

/** The host name of a Host header ("Example.com:3100" → "example.com", "[::1]:80" → "[::1]"). */
export function hostNameOf(hostHeader: string | undefined): string | undefined {
  const host = hostHeader?.trim().toLowerCase();
  if (!host) return undefined;
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1) || undefined;
  return host.split(":")[0] || undefined;
}

/** Whether a Host header names this server, per the allowlist above. */
export function hostAllowlist(config: Pick<Config, "host" | "publicUrl" | "allowedHosts">): (hostHeader: string | undefined) => boolean {
  const names = new Set(LOOPBACK_NAMES);
  const listen = config.host.toLowerCase();
  if (!WILDCARD_ADDRESSES.has(listen)) names.add(listen);
  if (config.publicUrl) names.add(new URL(config.publicUrl).hostname.toLowerCase());
  for (const host of config.allowedHosts) names.add(host);
  const any = names.has("*");
  return (hostHeader) => {
    const name = hostNameOf(hostHeader);
    if (!name) return false;
    return any || names.has(name) || (name.startsWith("127.") && /^127(\.\d{1,3}){3}$/.test(name));
  };
}

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const allowed = hostAllowlist(config);
  app.decorate("isAllowedHost", allowed);
  app.addHook("onRequest", async (request: FastifyRequest, reply) => {
    // Set as the request arrives too: an answer written past Fastify's reply (the chat's event
    // stream hijacks it and copies reply.getHeaders()) never reaches onSend.
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", REFERRER_POLICY);
    if (!allowed(request.headers.host)) {
      throw new HttpError(
        421,
        `This server does not answer to the address "${hostNameOf(request.headers.host) ?? ""}". Use its own address, or add that name to SIDECAR_ALLOWED_HOSTS on the server.`,
      );
    }
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("x-content-type-options", "nosniff");
    if (!reply.hasHeader("referrer-policy")) reply.header("referrer-policy", REFERRER_POLICY);
    const type = String(reply.getHeader("content-type") ?? "");
    if (type.startsWith("text/html") && !reply.hasHeader("content-security-policy")) {
      reply.header("content-security-policy", PANE_CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
}

declare module "fastify" {
  interface FastifyInstance {
    /** Whether a Host header names this server (src/server/http/security-headers.ts). */
    isAllowedHost: (hostHeader: string | undefined) => boolean;
  }
}
