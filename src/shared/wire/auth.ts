// The bodies of the sign-in routes, both faces: what the pane sends and what the server answers.
// The server validates requests with these schemas (a failure is a 422 naming the field); the pane
// imports the types. Paths are in ../contract/endpoints.ts.
//
//   Ejento auth-service (docs/vendors.md Ejento A2; docs/api.md "Auth"): password login, refresh, feature
//     flags, passwordless (e-mail code), the development SSO form, users/me.
//   Artos (docs/vendors.md Artos §1.1): POST /get-access-token.
//   Tag generator (docs/vendors.md Ejento B1): /api/auth/login, /refresh, /logout, /me.
import { z } from "zod";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const email = z.string().trim().regex(EMAIL, { message: "is not an e-mail address (expected something like name@example.com)" });
const required = z.string().min(1, { message: "is required" });

/** FastAPI-style error body: words, or (422) one entry per invalid field. */
export const errorBody = z.object({
  detail: z.union([z.string(), z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }))]),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** Ejento's envelope around every auth-service and core answer. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.boolean(), message: z.string(), data });
}

// ---- Ejento auth-service -----------------------------------------------------------------------

/** POST /auth-service/api/v2/login/access-token, form-encoded or JSON. */
export const passwordLoginRequest = z.object({
  username: z.string().trim().min(1),
  password: z.string().min(1),
});
export type PasswordLoginRequest = z.infer<typeof passwordLoginRequest>;

/**
 * The Ejento token pair: login, refresh and verify-otp answer it (verify-otp inside the envelope).
 * `access_token` is the auth-service token (refresh and logout); `ejento_access_token` goes on every
 * other call. `expires_in` is the ejento_access_token's lifetime in seconds.
 */
export const ejentoTokenPair = z.object({
  access_token: z.string(),
  ejento_access_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
});
export type EjentoTokenPair = z.infer<typeof ejentoTokenPair>;

/**
 * The names the feature flags list. `password` is our extension (Ejento's own list doesn't name
 * it; a client that finds no `password` entry offers password sign-in).
 */
export const LOGIN_FLAG_NAMES = ["password", "otp", "microsoft_sso", "google_sso", "okta_sso", "linkedin_sso"] as const;
export type LoginFlagName = (typeof LOGIN_FLAG_NAMES)[number];

/** GET /auth-service/api/v2/feature-flags/logins */
export const loginFeatureFlagsResponse = envelope(
  z.object({ items: z.array(z.object({ name: z.string(), is_active: z.boolean() })) }),
);
export type LoginFeatureFlagsResponse = z.infer<typeof loginFeatureFlagsResponse>;

/**
 * POST /auth-service/api/v2/users/passwordless-auth. `otp_session_id` asks for a new code in the
 * same session (resend). `next` is where an e-mailed magic link would land; the local server sends
 * a code only, so it is accepted and not used.
 */
export const passwordlessAuthRequest = z.object({
  email,
  next: z.string().optional(),
  otp_session_id: z.string().optional(),
});
export type PasswordlessAuthRequest = z.infer<typeof passwordlessAuthRequest>;

/** The same answer whether or not the e-mail has an account. */
export const passwordlessAuthResponse = envelope(z.object({ otp_session_id: z.string() }));
export type PasswordlessAuthResponse = z.infer<typeof passwordlessAuthResponse>;

/** POST /auth-service/api/v2/users/verify-otp */
export const verifyOtpRequest = z.object({
  otp_session_id: required,
  code: z.string().trim().min(1, { message: "is required" }),
});
export type VerifyOtpRequest = z.infer<typeof verifyOtpRequest>;

export const verifyOtpResponse = envelope(ejentoTokenPair);
export type VerifyOtpResponse = z.infer<typeof verifyOtpResponse>;

/**
 * What the development SSO page posts to /auth-service/api/v2/sso/{provider}/callback (a form):
 * the page's one-time nonce, the `next` it was opened with, and the chosen account.
 */
export const ssoDevCallbackForm = z.object({
  nonce: required,
  next: required,
  user_id: required,
});
export type SsoDevCallbackForm = z.infer<typeof ssoDevCallbackForm>;

/**
 * GET /api/v2/users/me (docs/vendors.md Ejento A5.1) in the envelope. `organization` is our extension. The local
 * server keeps no names: first_name and last_name are empty and name is the e-mail.
 */
export const ejentoMe = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  name: z.string(),
  is_staff: z.boolean(),
  is_superuser: z.boolean(),
  organization: z.object({ id: z.string(), name: z.string() }).optional(),
});
export type EjentoMe = z.infer<typeof ejentoMe>;
export const ejentoMeResponse = envelope(ejentoMe);
export type EjentoMeResponse = z.infer<typeof ejentoMeResponse>;

// ---- Artos -------------------------------------------------------------------------------------

/** POST /get-access-token: the Artos user id (on the local server, the user's id). */
export const artosAccessTokenRequest = z.object({ user_id: z.string() });
export type ArtosAccessTokenRequest = z.infer<typeof artosAccessTokenRequest>;

/**
 * Artos documents `access_token` only; the local server adds `token_type` and `expires_in`.
 * There is no refresh token: ask again with the same user id on a 401.
 */
export const artosAccessTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer").optional(),
  expires_in: z.number().int().optional(),
});
export type ArtosAccessTokenResponse = z.infer<typeof artosAccessTokenResponse>;

// ---- Tag generator -----------------------------------------------------------------------------

/** POST /api/auth/login */
export const batchLoginRequest = z.object({ email, password: required });
export type BatchLoginRequest = z.infer<typeof batchLoginRequest>;

/** The tag generator's user (login's `user`, and GET /api/auth/me). */
export const batchUser = z.object({
  id: z.string(),
  email: z.string(),
  full_name: z.string().nullable(),
  is_active: z.boolean(),
  is_verified: z.boolean(),
  created_at: z.string(),
});
export type BatchUser = z.infer<typeof batchUser>;

/** The tag generator's token pair (login's `tokens`, and the whole answer of refresh). */
export const batchTokens = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
});
export type BatchTokens = z.infer<typeof batchTokens>;

export const batchLoginResponse = z.object({ user: batchUser, tokens: batchTokens });
export type BatchLoginResponse = z.infer<typeof batchLoginResponse>;

/** POST /api/auth/refresh → BatchTokens (the refresh token sent is used up). */
export const batchRefreshRequest = z.object({ refresh_token: required });
export type BatchRefreshRequest = z.infer<typeof batchRefreshRequest>;
export const batchRefreshResponse = batchTokens;
export type BatchRefreshResponse = BatchTokens;

/** POST /api/auth/logout (Bearer optional): always 200, the message says whether a sign-in ended. */
export const batchLogoutRequest = z.object({ refresh_token: required });
export type BatchLogoutRequest = z.infer<typeof batchLogoutRequest>;
export const batchLogoutResponse = z.object({ message: z.string(), success: z.boolean() });
export type BatchLogoutResponse = z.infer<typeof batchLogoutResponse>;

/** GET /api/auth/me */
export const batchMeResponse = batchUser;
export type BatchMeResponse = BatchUser;
