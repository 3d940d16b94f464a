// Sign-in, refresh, sign-out and token checks (CONTRACT.md "Auth").
//
// A password sign-in creates a sign-in row that lives SIDECAR_REFRESH_TTL_SECONDS. It issues a
// pair: access_token (kind "refresh": used only to refresh, lives as long as the sign-in) and
// ejento_access_token (kind "api": carried by every API call, lives SIDECAR_TOKEN_TTL_SECONDS,
// never past the sign-in). Refreshing issues a new pair from the same sign-in; it does not extend
// the sign-in (after SIDECAR_REFRESH_TTL_SECONDS the person signs in again) and does not revoke
// the previous tokens (they expire on their own). Signing out revokes the sign-in and so every
// token it ever issued.
import type { Config } from "../config";
import { HttpError } from "../errors";
import type { Storage, TokenKind, TokenRecord } from "../storage/storage";
import { verifyPassword } from "./passwords";
import { normalizeEmail } from "./users";
import { hashToken, newToken } from "./tokens";

export interface TokenPair {
  access_token: string;
  ejento_access_token: string;
  token_type: "bearer";
  expires_in: number;
}

/** Who is calling: resolved from a valid ejento_access_token. */
export interface Caller {
  userId: string;
  email: string;
  organizationId: string;
  organizationName: string;
  signInId: string;
}

export const NOT_AUTHENTICATED = "Not authenticated";
export const SESSION_INVALID = "Your session has expired or is not valid. Sign in again.";
export const SIGN_IN_INVALID = "Your sign-in has expired or was ended. Sign in again.";
export const BAD_CREDENTIALS = "Incorrect e-mail or password.";

const BEARER_CHALLENGE = { "www-authenticate": "Bearer" };

export function unauthorized(detail: string): HttpError {
  return new HttpError(401, detail, BEARER_CHALLENGE);
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

export class AuthService {
  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<Config, "tokenTtlSeconds" | "refreshTtlSeconds">,
  ) {}

  async login(username: string, password: string): Promise<TokenPair> {
    const user = this.storage.findUserByEmail(normalizeEmail(username));
    const ok = await verifyPassword(password, user?.password_hash ?? null);
    if (!user || !ok) throw unauthorized(BAD_CREDENTIALS);
    const now = Date.now();
    // Sign-ins that ended more than a day ago are of no use to anyone.
    this.storage.purgeSignInsExpiredBefore(now - 24 * 3600 * 1000);
    const signInExpiresAt = now + this.config.refreshTtlSeconds * 1000;
    const pair = this.issuePair(now, signInExpiresAt);
    this.storage.createSignIn(user.id, signInExpiresAt, pair.stored);
    return pair.response;
  }

  /** New pair for the sign-in behind a valid refresh token (the auth-service access_token). */
  refresh(refreshToken: string): TokenPair {
    const record = this.storage.findToken(hashToken(refreshToken));
    if (!record || !isUsable(record, "refresh", Date.now())) throw unauthorized(SIGN_IN_INVALID);
    const pair = this.issuePair(Date.now(), record.signInExpiresAt);
    this.storage.addTokens(record.signInId, pair.stored);
    return pair.response;
  }

  /** Ends the sign-in behind either of its tokens, even an expired one. Unknown tokens: no-op. */
  logout(token: string): void {
    const record = this.storage.findToken(hashToken(token));
    if (record) this.storage.revokeSignIn(record.signInId);
  }

  /** The caller behind an ejento_access_token; throws 401 when it is not usable. */
  authenticate(apiToken: string): Caller {
    const record = this.storage.findToken(hashToken(apiToken));
    if (!record || !isUsable(record, "api", Date.now())) throw unauthorized(SESSION_INVALID);
    return {
      userId: record.userId,
      email: record.email,
      organizationId: record.organizationId,
      organizationName: record.organizationName,
      signInId: record.signInId,
    };
  }

  private issuePair(now: number, signInExpiresAt: number) {
    const refresh = newToken();
    const api = newToken();
    const apiExpiresAt = Math.min(now + this.config.tokenTtlSeconds * 1000, signInExpiresAt);
    return {
      stored: [
        { tokenHash: hashToken(refresh), kind: "refresh" as const, expiresAt: signInExpiresAt },
        { tokenHash: hashToken(api), kind: "api" as const, expiresAt: apiExpiresAt },
      ],
      response: {
        access_token: refresh,
        ejento_access_token: api,
        token_type: "bearer" as const,
        expires_in: Math.max(0, Math.floor((apiExpiresAt - now) / 1000)),
      },
    };
  }
}

function isUsable(record: TokenRecord, kind: TokenKind, now: number): boolean {
  return (
    record.kind === kind &&
    !record.revoked &&
    !record.signInRevoked &&
    record.expiresAt > now &&
    record.signInExpiresAt > now
  );
}
