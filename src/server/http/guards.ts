// Request guards: the optional API key (every API call) and the bearer token (per route).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { HttpError } from "../errors";
import { NOT_AUTHENTICATED, bearerToken, unauthorized, type AuthService, type Caller } from "../services/auth";
import { secretsEqual } from "../services/tokens";
import { isApiPath, pathnameOf } from "./api-paths";

export const API_KEY_HEADER = "ocp-apim-subscription-key";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by requireCaller on routes that need a signed-in caller. */
    caller: Caller | null;
  }
}

/** When the server has an API key, every API request must carry it. */
export function registerApiKeyCheck(app: FastifyInstance, apiKey: string | null): void {
  if (apiKey === null) return;
  app.addHook("onRequest", async (request) => {
    if (request.method === "OPTIONS" || !isApiPath(pathnameOf(request.url))) return;
    const sent = request.headers[API_KEY_HEADER];
    if (typeof sent !== "string" || !secretsEqual(sent, apiKey)) {
      throw new HttpError(
        401,
        typeof sent === "string"
          ? "The API key in the Ocp-Apim-Subscription-Key header is not valid for this server. Check the API key in the connection settings."
          : "This server requires an API key: send it in the Ocp-Apim-Subscription-Key header (set it in the connection settings).",
      );
    }
  });
}

/** onRequest hook for routes that need a signed-in caller (Bearer = ejento_access_token). */
export function requireCaller(auth: AuthService) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized(NOT_AUTHENTICATED);
    request.caller = auth.authenticate(token);
  };
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`route ${request.routeOptions.url} has no requireCaller hook`);
  return request.caller;
}
