// Ejento auth routes (docs/api.md "Auth"): password sign-in, refresh, sign-out, and who am I
// (GET /api/v2/users/me, the core API's). Paths come from the shared endpoint table. The e-mail
// code, SSO and feature-flag routes are in ejento-sign-in-routes.ts.
import type { FastifyInstance } from "fastify";
import { endpoints } from "../../shared/contract/endpoints";
import { passwordLoginRequest, type EjentoMeResponse } from "../../shared/wire/auth";
import type { LoginMethod } from "../config";
import { HttpError } from "../errors";
import { NOT_AUTHENTICATED, bearerToken, unauthorized, type AuthService } from "../services/auth";
import { callerOf, requireCaller } from "../http/guards";

export async function authRoutes(
  app: FastifyInstance,
  { auth, loginMethods }: { auth: AuthService; loginMethods: readonly LoginMethod[] },
): Promise<void> {
  // Form (application/x-www-form-urlencoded, as OAuth2 password flow clients send) or JSON.
  app.post(endpoints.login.path, async (request) => {
    if (!loginMethods.includes("password")) {
      throw new HttpError(403, "Sign-in with a password is turned off on this server (password is not in SIDECAR_LOGIN_METHODS). Sign in another way.");
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = passwordLoginRequest.safeParse(body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
      throw new HttpError(
        422,
        `Sign-in needs your e-mail as "username" and your password as "password" (form or JSON); missing or empty: ${fields.join(", ")}.`,
      );
    }
    return auth.login(parsed.data.username, parsed.data.password, request.ip);
  });

  // Bearer = the auth-service access_token. Ejento's own client (Quickstart-Template's refresh
  // route) reads the new pair from `data`; the contract gives it bare like the login's. Both are
  // sent, so either reader finds the tokens.
  app.post(endpoints.refresh.path, async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized(NOT_AUTHENTICATED);
    const pair = await auth.refresh(token, request.ip);
    return { ...pair, success: true, message: "Tokens refreshed", data: pair };
  });

  // Bearer = either token of the sign-in; the whole sign-in ends.
  app.post(endpoints.logout.path, async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized(NOT_AUTHENTICATED);
    await auth.logout(token);
    return reply.code(204).send();
  });

  // docs/vendors.md Ejento A5.1 in the envelope. We keep no names: name is the e-mail; organization is our extension.
  app.get(endpoints.me.path, { onRequest: requireCaller(auth) }, async (request): Promise<EjentoMeResponse> => {
    const caller = callerOf(request);
    return {
      success: true,
      message: "",
      data: {
        id: caller.userId,
        email: caller.email,
        first_name: "",
        last_name: "",
        name: caller.email,
        is_staff: false,
        is_superuser: false,
        organization: { id: caller.organizationId, name: caller.organizationName },
      },
    };
  });
}
