// The tag generator's sign-in (docs/vendors.md Ejento B1): login, refresh, logout, me. Its tokens are accepted
// only by the batch service's routes; GET /api/auth/me also takes a Sidecar (Ejento) token, as
// every batch route does.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import {
  batchLoginRequest,
  batchLogoutRequest,
  batchRefreshRequest,
  type BatchLoginResponse,
  type BatchLogoutResponse,
  type BatchMeResponse,
  type BatchRefreshResponse,
} from "../../shared/wire/auth";
import { HttpError } from "../errors";
import { callerOf, requireCaller } from "../http/guards";
import { batchUser, bearerToken, type AuthService } from "../services/auth";
import type { Storage } from "../storage/storage";

export async function batchSignInRoutes(app: FastifyInstance, { auth, storage }: { auth: AuthService; storage: Storage }): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(endpoints.batchLogin.path, { schema: { body: batchLoginRequest } }, async (request): Promise<BatchLoginResponse> =>
    auth.batchLogin(request.body.email, request.body.password, request.ip),
  );

  typed.post(endpoints.batchRefresh.path, { schema: { body: batchRefreshRequest } }, async (request): Promise<BatchRefreshResponse> =>
    auth.batchRefresh(request.body.refresh_token, request.ip),
  );

  // Always 200, as the vendor's: the message says whether a sign-in ended.
  typed.post(endpoints.batchLogout.path, { schema: { body: batchLogoutRequest } }, async (request): Promise<BatchLogoutResponse> => {
    const ended = await auth.batchLogout(request.body.refresh_token, bearerToken(request.headers.authorization));
    return { message: ended ? "Successfully logged out" : "Token already revoked or invalid", success: true };
  });

  typed.get(endpoints.batchMe.path, { onRequest: requireCaller(auth) }, async (request): Promise<BatchMeResponse> => {
    const user = await storage.users.findById(callerOf(request).userId);
    if (!user) throw new HttpError(401, "Your account no longer exists on this server.");
    return batchUser(user);
  });
}
