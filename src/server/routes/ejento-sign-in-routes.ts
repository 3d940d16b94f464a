// The Ejento sign-in methods beyond the password (docs/vendors.md Ejento A2.4, A2.5): which are on (feature
// flags), an e-mail code (passwordless-auth → verify-otp), and SSO in a development form. All
// answer before any sign-in, so none needs a token; a method that is off answers 403 with words.
// Their sign-ins are "sidecar" sign-ins, like the password's: every face accepts their tokens.
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { endpoints } from "../../shared/contract/endpoints";
import {
  LOGIN_FLAG_NAMES,
  passwordlessAuthRequest,
  ssoDevCallbackForm,
  verifyOtpRequest,
  type LoginFeatureFlagsResponse,
  type PasswordlessAuthResponse,
  type VerifyOtpResponse,
} from "../../shared/wire/auth";
import type { Config } from "../config";
import { HttpError } from "../errors";
import { routePath } from "../http/api-paths";
import { requestBaseUrl } from "../http/public-url";
import type { AuthService } from "../services/auth";
import { CODE_SENT, type PasswordlessService } from "../services/passwordless";
import { SsoNonces, checkNext, pagePolicy, returnAddress, ssoPage, ssoProvider } from "../services/sso-dev";
import type { Storage } from "../storage/storage";

const providerParams = z.object({ provider: z.string() });

export async function ejentoSignInRoutes(
  app: FastifyInstance,
  {
    auth,
    passwordless,
    storage,
    config,
  }: { auth: AuthService; passwordless: PasswordlessService; storage: Storage; config: Pick<Config, "loginMethods" | "allowedOrigins" | "publicUrl"> },
): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { loginMethods } = config;
  const nonces = new SsoNonces();

  const requireCodeSignIn = async () => {
    if (!loginMethods.includes("otp")) {
      throw new HttpError(403, "Sign-in with an e-mail code is turned off on this server (otp is not in SIDECAR_LOGIN_METHODS). Sign in another way.");
    }
  };
  /** Where a `next` may point: the pane's origins and this server's own (as the request reached it). */
  const trustedOrigins = (request: Parameters<typeof requestBaseUrl>[0]) => [
    ...config.allowedOrigins,
    new URL(requestBaseUrl(request, config.publicUrl)).origin,
  ];

  typed.get(endpoints.loginFeatureFlags.path, async (): Promise<LoginFeatureFlagsResponse> => ({
    success: true,
    message: "",
    data: { items: LOGIN_FLAG_NAMES.map((name) => ({ name, is_active: loginMethods.includes(name) })) },
  }));

  typed.post(
    endpoints.passwordlessAuth.path,
    { onRequest: requireCodeSignIn, schema: { body: passwordlessAuthRequest } },
    async (request): Promise<PasswordlessAuthResponse> => ({
      success: true,
      message: CODE_SENT,
      data: await passwordless.request(request.body.email, request.body.otp_session_id, request.ip),
    }),
  );

  typed.post(
    endpoints.verifyOtp.path,
    { onRequest: requireCodeSignIn, schema: { body: verifyOtpRequest } },
    async (request): Promise<VerifyOtpResponse> => ({
      success: true,
      message: "Signed in",
      data: await passwordless.verify(request.body.otp_session_id, request.body.code, request.ip),
    }),
  );

  // A browser navigation (an Office dialog or a popup): no API key, an HTML page.
  typed.get(
    routePath(endpoints.ssoLogin.path),
    {
      config: { browserNavigation: true },
      schema: { params: providerParams, querystring: z.object({ next: z.string().min(1, { message: "is required" }) }) },
    },
    async (request, reply) => {
      const provider = ssoProvider(request.params.provider, loginMethods);
      const next = checkNext(request.query.next, trustedOrigins(request));
      const users = await storage.users.list();
      const page = ssoPage({ provider, next: next.href, nonce: nonces.issue(provider, next.href), users });
      return reply
        .type("text/html; charset=utf-8")
        .header("content-security-policy", pagePolicy(next))
        .header("cache-control", "no-store")
        .header("referrer-policy", "no-referrer")
        .header("x-content-type-options", "nosniff")
        .send(page);
    },
  );

  // The page's form post: the nonce is used up whatever happens next.
  typed.post(
    routePath(endpoints.ssoDevCallback.path),
    { config: { browserNavigation: true }, schema: { params: providerParams, body: ssoDevCallbackForm } },
    async (request, reply) => {
      const provider = ssoProvider(request.params.provider, loginMethods);
      const next = checkNext(nonces.take(request.body.nonce, provider, request.body.next), trustedOrigins(request));
      const user = await storage.users.findById(request.body.user_id);
      if (!user) throw new HttpError(400, "That account no longer exists on this server. Start the sign-in again.");
      const pair = await auth.signInUser(user.id);
      return reply.header("cache-control", "no-store").header("referrer-policy", "no-referrer").redirect(returnAddress(next, pair), 303);
    },
  );
}
