// The scheme://host the caller used to reach the server, for absolute URLs handed back to it
// (presigned file links).
//
//   1. SIDECAR_PUBLIC_URL when set;
//   2. from a loopback peer (a local reverse proxy such as the webpack dev server on
//      https://localhost:3000): X-Forwarded-Host / X-Forwarded-Proto when present; without
//      X-Forwarded-Proto, the scheme of the browser's Origin when it names the same host (the dev
//      server forwards Host unchanged but adds no X-Forwarded-* headers);
//   3. otherwise the Host header, over plain http (the server itself does not speak TLS).
// Forwarded headers from any other peer are ignored: they could point links anywhere. A host
// that is not on the server's Host allowlist (src/server/http/security-headers.ts) is never used:
// the Host header itself is checked on every request, a forwarded one here.
import type { FastifyRequest } from "fastify";

const HOST_PATTERN = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(",")[0]?.trim() || undefined;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

export function requestBaseUrl(request: FastifyRequest, publicUrl: string | null): string {
  const check = request.server?.isAllowedHost;
  const allowed = (host: string) => (check ? check(host) : true);
  if (publicUrl) return publicUrl;
  const headers = request.headers;
  let host = firstValue(headers.host);
  let scheme = request.protocol === "https" ? "https" : "http";

  if (isLoopback(request.socket.remoteAddress)) {
    const forwardedHost = firstValue(headers["x-forwarded-host"]);
    if (forwardedHost && HOST_PATTERN.test(forwardedHost) && allowed(forwardedHost)) host = forwardedHost;
    const forwardedProto = firstValue(headers["x-forwarded-proto"])?.toLowerCase();
    if (forwardedProto === "http" || forwardedProto === "https") {
      scheme = forwardedProto;
    } else if (typeof headers.origin === "string") {
      try {
        const origin = new URL(headers.origin);
        if (origin.host === host && (origin.protocol === "https:" || origin.protocol === "http:")) scheme = origin.protocol.slice(0, -1);
      } catch {
        /* not a URL: keep the scheme */
      }
    }
  }
  if (!host || !HOST_PATTERN.test(host) || !allowed(host)) {
    const address = request.socket.localAddress ?? "127.0.0.1";
    host = `${address.includes(":") ? `[${address}]` : address}:${request.socket.localPort ?? ""}`;
  }
  return `${scheme}://${host}`;
}
