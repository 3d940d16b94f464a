// Request guards: the optional API key (every API call) and the bearer token (per route).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpError } from "../errors";
import { NOT_AUTHENTICATED, bearerToken, unauthorized, type AuthService, type Caller } from "../services/auth";
import { secretsEqual } from "../services/tokens";
import { endpoints, HEALTH_PATH } from "../../shared/contract/endpoints";
import { isApiPath, normalisedPath, routePath, serviceOfRoute } from "./api-paths";

export const API_KEY_HEADER = "ocp-apim-subscription-key";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by requireCaller on routes that need a signed-in caller. */
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /**
     * A WebSocket route that checks the API key itself (header, or `?key=` since a browser's
     * WebSocket cannot send headers) and answers a wrong one over the socket.
     */
    socketChecksApiKey?: boolean;
    /**
     * A page a browser navigates to (the development SSO page and its form post): a navigation
     * cannot send headers, so it needs no API key.
     */
    browserNavigation?: boolean;
  }
}

/** True for an HTTP request asking to become a WebSocket. */
export function isWebSocketUpgrade(request: FastifyRequest): boolean {
  return (request.headers.upgrade ?? "").toLowerCase() === "websocket";
}

/** What is wrong with the API key a request sent (undefined = none), or null when it is right. */
export function apiKeyProblem(sent: string | undefined, apiKey: string, where = "the Ocp-Apim-Subscription-Key header"): string | null {
  if (typeof sent === "string" && secretsEqual(sent, apiKey)) return null;
  return typeof sent === "string"
    ? `The API key in ${where} is not valid for this server. Check the API key in the connection settings.`
    : `This server requires an API key: send it in ${where} (set it in the connection settings).`;
}

/**
 * When the server has an API key, every API request must carry it. WebSocket upgrades to a route
 * marked socketChecksApiKey are left to that route; routes marked browserNavigation need none.
 */
export function registerApiKeyCheck(app: FastifyInstance, apiKey: string | null): void {
  if (apiKey === null) return;
  app.addHook("onRequest", async (request) => {
    if (request.method === "OPTIONS" || isPublic(request)) return;
    if (request.routeOptions.config?.socketChecksApiKey && isWebSocketUpgrade(request)) return;
    if (request.routeOptions.config?.browserNavigation) return;
    const sent = request.headers[API_KEY_HEADER];
    const problem = apiKeyProblem(typeof sent === "string" ? sent : undefined, apiKey);
    if (problem) throw new HttpError(401, problem);
  });
}

const SIGNED_FILE_ROUTE = routePath(endpoints.signedFile.path, "key");

/**
 * Needs no API key: the pane's static files, signed file URLs and the health probe — decided on
 * the route that matched and on the decoded path the router matched, never on the raw URL (an
 * encoded character must not turn an API call into a "static" one).
 */
function isPublic(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route === SIGNED_FILE_ROUTE || route === HEALTH_PATH) return true;
  if (serviceOfRoute(route) !== undefined) return false;
  const path = normalisedPath(request.url);
  return path !== null && !isApiPath(path);
}

/**
 * onRequest hook for routes that need a signed-in caller (Bearer = an API token). The route's
 * service comes from the shared endpoint table, so a token is accepted only by the services its
 * sign-in was made for (a documents token by documents routes, a batch token by batch routes, a
 * Sidecar/Ejento token by all).
 */
export function requireCaller(auth: AuthService) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const service = serviceOfRoute(request.routeOptions.url);
    if (!service) throw new Error(`route ${request.routeOptions.url} uses requireCaller but is not in the endpoint table`);
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized(NOT_AUTHENTICATED);
    request.caller = await auth.authenticate(token, service);
  };
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`route ${request.routeOptions.url} has no requireCaller hook`);
  return request.caller;
}
