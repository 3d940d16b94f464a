// Sign-in, refresh, sign-out and token checks (docs/api.md "Auth").
//
// A password sign-in creates a sign-in row that lives SIDECAR_REFRESH_TTL_SECONDS. It issues a
// pair: access_token (kind "refresh": used only to refresh, lives as long as the sign-in) and
// ejento_access_token (kind "api": carried by every API call, lives SIDECAR_TOKEN_TTL_SECONDS,
// never past the sign-in). Refreshing issues a new pair from the same sign-in; it does not extend
// the sign-in (after SIDECAR_REFRESH_TTL_SECONDS the person signs in again) and does not revoke
// the previous tokens (they expire on their own). Signing out revokes the sign-in and so every
// token it ever issued. The e-mail code and SSO sign-ins (passwordless.ts, sso-dev.ts) make the
// same kind of sign-in through signInUser.
//
// Each sign-in has a face (docs/api.md "Services, addresses and credentials"):
//   sidecar    the Ejento sign-ins above, this server's one sign-in: every face accepts its tokens.
//   documents  Artos' POST /get-access-token {user_id}: one API token, no refresh token, lives
//              SIDECAR_TOKEN_TTL_SECONDS; accepted only by routes of the documents service.
//   batch      the tag generator's POST /api/auth/login {email, password} (docs/vendors.md Ejento B1): an access
//              token (kind "api") and a refresh token (kind "refresh", lives as long as the sign-in).
//              Refreshing rotates: the refresh token used stops working, as the vendor's does.
//              Accepted only by routes of the batch service.
import type { ServiceName } from "../../shared/contract/endpoints";
import type { Config } from "../config";
import { HttpError } from "../errors";
import type { SignInFace, TokenKind, TokenRecord } from "../storage/sign-in-store";
import type { Storage } from "../storage/storage";
import type { UserWithOrganization } from "../storage/user-store";
import { HashGate, HashQueueFullError, verifyPassword } from "./passwords";
import { SignInThrottle, tooManyAttempts, type SignInAttempt } from "./sign-in-throttle";
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
/** Artos' words for a user id it does not know (docs/vendors.md Artos §1.3). */
export const ARTOS_INVALID_CREDENTIALS = "Invalid authentication credentials";
/** The tag generator's words (docs/vendors.md Ejento B1). */
export const BATCH_BAD_CREDENTIALS = "Invalid email or password";
export const BATCH_REFRESH_INVALID = "Invalid or expired refresh token";

/** The services' names in the words a refused token gets. */
export const SERVICE_NAMES: Record<ServiceName, string> = {
  ejento: "Ejento",
  indexing: "Ejento indexing",
  documents: "Documents",
  batch: "Batch tagging",
};

const FACE_NAMES: Record<Exclude<SignInFace, "sidecar">, string> = { documents: SERVICE_NAMES.documents, batch: SERVICE_NAMES.batch };

/** True when a token of a sign-in with this face may call a route of `service`. */
export function faceAccepts(face: SignInFace, service: ServiceName): boolean {
  return face === "sidecar" || face === service;
}

/** The words for a token of another service's sign-in. */
export function otherServiceToken(face: Exclude<SignInFace, "sidecar">, service: ServiceName): string {
  return `This token was issued for the ${FACE_NAMES[face]} service; sign in to the ${SERVICE_NAMES[service]} service to call it.`;
}

/** The tag generator's user object (docs/vendors.md Ejento B1). We keep no full name: full_name is null. */
export interface BatchUser {
  id: string;
  email: string;
  full_name: string | null;
  is_active: boolean;
  is_verified: boolean;
  created_at: string;
}

export interface BatchTokens {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  expires_in: number;
}

export function batchUser(user: Pick<UserWithOrganization, "id" | "email" | "created_at">): BatchUser {
  return { id: user.id, email: user.email, full_name: null, is_active: true, is_verified: true, created_at: user.created_at };
}

const BEARER_CHALLENGE = { "www-authenticate": "Bearer" };

export function unauthorized(detail: string): HttpError {
  return new HttpError(401, detail, BEARER_CHALLENGE);
}

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

/** The most password checks one client address may have waiting for the hash gate; beyond, 429. */
export const MAX_WAITING_HASHES_PER_ADDRESS = 32;

export const HASHING_BUSY = "Too many sign-ins at once from your network address. Try again in a moment.";

export class AuthService {
  /** Failed sign-ins per account and per address (shared with the e-mail code sign-in). */
  readonly throttle: SignInThrottle;
  private readonly hashing: HashGate;

  constructor(
    private readonly storage: Storage,
    private readonly config: Pick<Config, "tokenTtlSeconds" | "refreshTtlSeconds"> &
      Partial<Pick<Config, "signIn" | "passwordHashConcurrency">>,
    /** The server's clock (epoch ms); tests set it instead of waiting for tokens to expire. */
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new SignInThrottle(storage.signInAttempts, config.signIn ?? { maxFailures: 5, maxFailuresPerAddress: 20, windowSeconds: 900, lockoutSeconds: 30 }, now);
    this.hashing = new HashGate(config.passwordHashConcurrency ?? 2, MAX_WAITING_HASHES_PER_ADDRESS);
  }

  /** The Ejento password sign-in; `address` is the client's (for throttling). */
  async login(username: string, password: string, address: string): Promise<TokenPair> {
    const attempt = { account: normalizeEmail(username), address };
    return this.throttle.guard(attempt, async () => {
      const user = await this.storage.users.findByEmail(attempt.account);
      const ok = await this.checkPassword(password, user?.password_hash ?? null, attempt);
      if (!user || !ok) throw unauthorized(BAD_CREDENTIALS);
      return this.signInUser(user.id);
    });
  }

  /**
   * The password check, through the hash gate: in turn with other addresses' checks, and not at
   * all when the account or address got locked while this one waited.
   */
  private async checkPassword(password: string, stored: string | null, attempt: Required<SignInAttempt>): Promise<boolean> {
    try {
      return await this.hashing.run(attempt.address, () => verifyPassword(password, stored), () => this.throttle.check(attempt));
    } catch (error) {
      if (error instanceof HashQueueFullError) throw tooManyAttempts(HASHING_BUSY, 1);
      throw error;
    }
  }

  /** A new Ejento (face "sidecar") sign-in for a user already identified (e-mail code, SSO). */
  async signInUser(userId: string): Promise<TokenPair> {
    const now = await this.startSignIn();
    const signInExpiresAt = now + this.config.refreshTtlSeconds * 1000;
    const pair = this.issuePair(now, signInExpiresAt);
    await this.storage.signIns.create(userId, signInExpiresAt, pair.stored, "sidecar");
    return pair.response;
  }

  /** New pair for the sign-in behind a valid refresh token (the auth-service access_token); throttled per address. */
  async refresh(refreshToken: string, address: string): Promise<TokenPair> {
    return this.throttle.guard({ address }, () => this.refreshPair(refreshToken));
  }

  private async refreshPair(refreshToken: string): Promise<TokenPair> {
    const record = await this.storage.signIns.findToken(hashToken(refreshToken));
    if (!record || record.face !== "sidecar" || !isUsable(record, "refresh", this.now())) throw unauthorized(SIGN_IN_INVALID);
    const pair = this.issuePair(this.now(), record.signInExpiresAt);
    await this.storage.signIns.addTokens(record.signInId, pair.stored);
    return pair.response;
  }

  /**
   * Ends the Ejento sign-in behind either of its tokens, even an expired one. Unknown tokens, and
   * tokens of another service's sign-in (each ends through its own service): no-op.
   */
  async logout(token: string): Promise<void> {
    const record = await this.storage.signIns.findToken(hashToken(token));
    if (record && record.face === "sidecar") await this.storage.signIns.revoke(record.signInId);
  }

  /**
   * Artos' POST /get-access-token: a documents-only token for the user with this id, living
   * SIDECAR_TOKEN_TTL_SECONDS, with no refresh token (the client asks again on a 401).
   */
  async artosToken(userId: string, address: string): Promise<{ access_token: string; token_type: "bearer"; expires_in: number }> {
    return this.throttle.guard({ address }, () => this.issueArtosToken(userId));
  }

  private async issueArtosToken(userId: string): Promise<{ access_token: string; token_type: "bearer"; expires_in: number }> {
    const user = userId ? await this.storage.users.findById(userId) : undefined;
    if (!user) throw unauthorized(ARTOS_INVALID_CREDENTIALS);
    const now = await this.startSignIn();
    const expiresAt = now + this.config.tokenTtlSeconds * 1000;
    const token = newToken();
    await this.storage.signIns.create(user.id, expiresAt, [{ tokenHash: hashToken(token), kind: "api", expiresAt }], "documents");
    return { access_token: token, token_type: "bearer", expires_in: this.config.tokenTtlSeconds };
  }

  /** The tag generator's POST /api/auth/login (docs/vendors.md Ejento B1): a batch-only sign-in. */
  async batchLogin(email: string, password: string, address: string): Promise<{ user: BatchUser; tokens: BatchTokens }> {
    const attempt = { account: normalizeEmail(email), address };
    return this.throttle.guard(attempt, async () => {
      const user = await this.storage.users.findByEmail(attempt.account);
      const ok = await this.checkPassword(password, user?.password_hash ?? null, attempt);
      if (!user || !ok) throw unauthorized(BATCH_BAD_CREDENTIALS);
      return this.batchSignIn(user);
    });
  }

  private async batchSignIn(user: UserWithOrganization): Promise<{ user: BatchUser; tokens: BatchTokens }> {
    const now = await this.startSignIn();
    const signInExpiresAt = now + this.config.refreshTtlSeconds * 1000;
    const pair = this.issuePair(now, signInExpiresAt);
    await this.storage.signIns.create(user.id, signInExpiresAt, pair.stored, "batch");
    return { user: batchUser(user), tokens: batchTokens(pair.response) };
  }

  /**
   * The tag generator's POST /api/auth/refresh: a new pair for the batch sign-in behind a valid
   * refresh token, which is used up (rotation). The sign-in's own end does not move.
   */
  async batchRefresh(refreshToken: string, address: string): Promise<BatchTokens> {
    return this.throttle.guard({ address }, () => this.batchRefreshPair(refreshToken));
  }

  private async batchRefreshPair(refreshToken: string): Promise<BatchTokens> {
    const tokenHash = hashToken(refreshToken);
    // One transaction from the check to the rotation: two refreshes with the same token must not
    // both find it usable (the second is refused, as after any rotation).
    return this.storage.sql.transaction(async () => {
      const record = await this.storage.signIns.findToken(tokenHash);
      if (!record || record.face !== "batch" || !isUsable(record, "refresh", this.now())) throw unauthorized(BATCH_REFRESH_INVALID);
      const pair = this.issuePair(this.now(), record.signInExpiresAt);
      await this.storage.signIns.revokeToken(tokenHash);
      await this.storage.signIns.addTokens(record.signInId, pair.stored);
      return batchTokens(pair.response);
    });
  }

  /**
   * The tag generator's POST /api/auth/logout: ends the batch sign-in behind the refresh token
   * (and behind the bearer token, when one is sent). False when neither named a batch sign-in.
   */
  async batchLogout(refreshToken: string, bearer: string | null): Promise<boolean> {
    let ended = false;
    for (const token of [refreshToken, bearer]) {
      const record = token ? await this.storage.signIns.findToken(hashToken(token)) : undefined;
      if (record && record.face === "batch" && !record.signInRevoked) {
        await this.storage.signIns.revoke(record.signInId);
        ended = true;
      }
    }
    return ended;
  }

  /**
   * The caller behind an API token, for a route of `service`; throws 401 when the token is not
   * usable, or was issued by another service's sign-in (a documents token on an Ejento route).
   */
  async authenticate(apiToken: string, service: ServiceName): Promise<Caller> {
    const record = await this.storage.signIns.findToken(hashToken(apiToken));
    if (record && record.kind === "api" && record.face !== "sidecar" && !faceAccepts(record.face, service)) {
      throw unauthorized(otherServiceToken(record.face, service));
    }
    if (!record || !isUsable(record, "api", this.now())) throw unauthorized(SESSION_INVALID);
    return {
      userId: record.userId,
      email: record.email,
      organizationId: record.organizationId,
      organizationName: record.organizationName,
      signInId: record.signInId,
    };
  }

  /** Now (epoch ms), after forgetting sign-ins that ended more than a day ago (of no use to anyone). */
  private async startSignIn(): Promise<number> {
    const now = this.now();
    await this.storage.signIns.purgeExpiredBefore(now - 24 * 3600 * 1000);
    return now;
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

function batchTokens(pair: TokenPair): BatchTokens {
  return { access_token: pair.ejento_access_token, refresh_token: pair.access_token, token_type: "bearer", expires_in: pair.expires_in };
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
