// Which request paths belong to the API (and so need the API key, answer JSON, and never fall
// through to the static pane). Root-level API routes (e.g. POST /get-sections-for-document)
// are taken from the shared endpoint table, so adding one there is enough.
import { endpoints, type Endpoint, type ServiceName } from "../../shared/contract/endpoints";

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
 * The path a router sees: percent-decoded segment by segment, empty and `.` segments dropped, `..`
 * resolved. Null when a segment can't be decoded (callers then treat the request as the API's, so
 * a malformed path never escapes a check). A check on the raw URL would let `/%61pi/…` past a
 * rule about `/api/…` while the router still matches the decoded path.
 */
export function normalisedPath(url: string): string | null {
  const parts: string[] = [];
  for (const raw of pathnameOf(url).split("/")) {
    let part: string;
    try {
      part = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(...part.split("/").filter((piece) => piece !== "" && piece !== "."));
  }
  return `/${parts.join("/")}${url.split("?")[0]!.endsWith("/") && parts.length > 0 ? "/" : ""}`;
}

/**
 * A path of the endpoint table as a Fastify route: `{name}` → `:name`; with `rest`, that
 * placeholder instead matches the rest of the path, slashes included (Fastify's `*`).
 */
export function routePath(path: string, rest?: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (name === rest ? "*" : `:${name}`));
}

const ENDPOINTS = Object.values(endpoints) as Endpoint[];

/**
 * The service of each route as Fastify knows it (request.routeOptions.url): every endpoint's path
 * with `{x}` as `:x`, and with each placeholder as the rest-of-path `*` too (see routePath).
 */
const SERVICE_BY_ROUTE = new Map<string, ServiceName>(
  ENDPOINTS.flatMap((endpoint) => {
    const names = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
    return [routePath(endpoint.path), ...names.map((name) => routePath(endpoint.path, name))].map(
      (route) => [route, endpoint.service] as [string, ServiceName],
    );
  }),
);

/** The service a registered route belongs to, by its Fastify route path; undefined when not in the table. */
export function serviceOfRoute(route: string | undefined): ServiceName | undefined {
  return route === undefined ? undefined : SERVICE_BY_ROUTE.get(route);
}

function segments(path: string): string[] {
  return path.split("/").filter(Boolean);
}

/**
 * The service a request path belongs to, for a path no route answered: the endpoint whose whole
 * path it matches or extends (a placeholder matches any one segment; with `method`, one of that
 * method first: `POST /api/v2/corpora/{id}/documents` is the indexing service's, `GET` of the
 * same path Ejento's), else the service whose endpoints share the most leading segments with it
 * (`/api/v1/…` documents, `/api/auth/…` and `/api/batch/…` batch, `/api/v2/…` and
 * `/auth-service/…` Ejento). Undefined when nothing matches or services tie (`/api/other`).
 */
export function serviceOfPath(pathname: string, method?: string): ServiceName | undefined {
  const parts = segments(pathname);
  let best = 0;
  let winners = new Set<ServiceName>();
  for (const endpoint of ENDPOINTS) {
    const pattern = segments(endpoint.path);
    let shared = 0;
    while (shared < pattern.length && shared < parts.length) {
      const piece = pattern[shared] as string;
      if (!piece.startsWith("{") && piece !== parts[shared]) break;
      shared++;
    }
    let literal = 0;
    while (literal < shared && !(pattern[literal] as string).startsWith("{")) literal++;
    const whole = shared === pattern.length;
    const score = whole ? 1000 + pattern.length + (method !== undefined && endpoint.method === method.toUpperCase() ? 0.5 : 0) : literal;
    if (score > best) {
      best = score;
      winners = new Set([endpoint.service]);
    } else if (score === best && score > 0) {
      winners.add(endpoint.service);
    }
  }
  return winners.size === 1 ? [...winners][0] : undefined;
}
