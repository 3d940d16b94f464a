// Which request paths belong to the API (and so need the API key, answer JSON, and never fall
// through to the static pane). Root-level API routes (e.g. POST /get-sections-for-document)
// are taken from the shared endpoint table, so adding one there is enough.
import { endpoints } from "../../shared/contract/endpoints";

const API_PREFIXES = ["/api/", "/auth-service/", "/response-service/"];

const ROOT_LEVEL_API_PATHS = new Set<string>(
  Object.values(endpoints)
    .map((endpoint) => endpoint.path)
    .filter((path) => !API_PREFIXES.some((prefix) => path.startsWith(prefix))),
);

/** `pathname` without query string. */
export function isApiPath(pathname: string): boolean {
  return (
    API_PREFIXES.some((prefix) => pathname.startsWith(prefix) || pathname === prefix.slice(0, -1)) ||
    ROOT_LEVEL_API_PATHS.has(pathname)
  );
}

export function pathnameOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/**
 * A path of the endpoint table as a Fastify route: `{name}` → `:name`; with `rest`, that
 * placeholder instead matches the rest of the path, slashes included (Fastify's `*`).
 */
export function routePath(path: string, rest?: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (name === rest ? "*" : `:${name}`));
}
