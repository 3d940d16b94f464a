// Auth routes (CONTRACT.md "Auth"). Paths come from the shared endpoint table.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { endpoints } from "../../shared/contract/endpoints";
import { HttpError } from "../errors";
import { NOT_AUTHENTICATED, bearerToken, unauthorized, type AuthService } from "../services/auth";
import { callerOf, requireCaller } from "../http/guards";

const loginBody = z.object({
  username: z.string().trim().min(1),
  password: z.string().min(1),
});

export async function authRoutes(app: FastifyInstance, { auth }: { auth: AuthService }): Promise<void> {
  // Form (application/x-www-form-urlencoded, as OAuth2 password flow clients send) or JSON.
  app.post(endpoints.login.path, async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = loginBody.safeParse(body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
      throw new HttpError(
        422,
        `Sign-in needs your e-mail as "username" and your password as "password" (form or JSON); missing or empty: ${fields.join(", ")}.`,
      );
    }
    return auth.login(parsed.data.username, parsed.data.password);
  });

  // Bearer = the auth-service access_token.
  app.post(endpoints.refresh.path, async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized(NOT_AUTHENTICATED);
    return auth.refresh(token);
  });

  // Bearer = either token of the sign-in; the whole sign-in ends.
  app.post(endpoints.logout.path, async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized(NOT_AUTHENTICATED);
    auth.logout(token);
    return reply.code(204).send();
  });

  app.get(endpoints.me.path, { onRequest: requireCaller(auth) }, async (request) => {
    const caller = callerOf(request);
    return { email: caller.email, organization: { id: caller.organizationId, name: caller.organizationName } };
  });
}
