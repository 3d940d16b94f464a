// Artos' sign-in (docs/vendors.md Artos §1.1): POST /get-access-token {user_id} → {access_token}. The user id is
// the local user's id (`npm run user:add` and the server's start print it). The token is accepted
// only by the documents service's routes and lives SIDECAR_TOKEN_TTL_SECONDS; there is no refresh
// token: the client asks again with the same user id on a 401.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { endpoints } from "../../shared/contract/endpoints";
import { artosAccessTokenRequest, type ArtosAccessTokenResponse } from "../../shared/wire/auth";
import type { AuthService } from "../services/auth";

export async function documentsSignInRoutes(app: FastifyInstance, { auth }: { auth: AuthService }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    endpoints.artosAccessToken.path,
    { schema: { body: artosAccessTokenRequest } },
    async (request): Promise<ArtosAccessTokenResponse> => auth.artosToken(request.body.user_id.trim(), request.ip),
  );
}
