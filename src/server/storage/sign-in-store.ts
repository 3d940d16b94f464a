// Sign-ins and the tokens they issue. Only a hash of each token is stored (services/tokens.ts);
// ending a sign-in revokes every token it issued.
import { randomUUID } from "node:crypto";
import { NoticedCache } from "./noticed-cache";
import type { Sql } from "./sql";
import { nowIso } from "./util";

export type TokenKind = "refresh" | "api";

/**
 * Which services accept a sign-in's tokens: "sidecar" (the Ejento sign-ins, this server's own
 * one-sign-in) every face, "documents" only the documents service, "batch" only the tag generator.
 */
export type SignInFace = "sidecar" | "documents" | "batch";

export interface NewToken {
  tokenHash: string;
  kind: TokenKind;
  expiresAt: number;
}

/** A stored token with everything needed to decide whether it is still good. */
export interface TokenRecord {
  kind: TokenKind;
  expiresAt: number;
  revoked: boolean;
  signInId: string;
  signInExpiresAt: number;
  signInRevoked: boolean;
  face: SignInFace;
  userId: string;
  email: string;
  organizationId: string;
  organizationName: string;
}

interface TokenJoinRow {
  kind: TokenKind;
  expires_at: number;
  revoked: number;
  sign_in_id: string;
  sign_in_expires_at: number;
  revoked_at: string | null;
  face: SignInFace;
  user_id: string;
  email: string;
  organization_id: string;
  organization_name: string;
}

/** What ended (a sign-in, or one token), as told to every process's token cache. */
export interface TokenNotice {
  signInId?: string;
  tokenHash?: string;
}

export interface TokenCacheOptions {
  /** How long a looked-up token is trusted without the database (a bound for a missed notice). */
  ttlMs: number;
  /** The LISTEN/NOTIFY channel every process hears ended sign-ins on. */
  channel: string;
  /** The NOTIFY payload for a notice. */
  payload: (notice: TokenNotice) => string;
}

const MAX_CACHED_TOKENS = 10_000;

export class SignInStore {
  constructor(private readonly sql: Sql) {}

  // PostgreSQL (several processes): every request looks its token up, so found tokens are kept in
  // memory for a while (cacheTokens). Ending a sign-in or a token sends a NOTIFY in its own
  // transaction (delivered at its commit, to every process, this one too), and each process forgets
  // what ended (noticed-cache.ts says what else that cache guarantees).
  private readonly tokens = new NoticedCache<TokenRecord>(MAX_CACHED_TOKENS);
  private notices: TokenCacheOptions | null = null;

  cacheTokens(options: TokenCacheOptions): void {
    this.notices = options;
    this.tokens.enable(options.ttlMs);
  }

  /** Another process (or this one) ended a sign-in or a token: forget it. */
  forget(notice: TokenNotice): void {
    this.tokens.forget((hash, record) => hash === notice.tokenHash || record.signInId === notice.signInId);
  }

  /**
   * Notices may be missed (the listening connection dropped: `paused`) or have been missed (it is
   * back): forget everything; while paused, every lookup reads the database.
   */
  forgetAll(paused: boolean): void {
    this.tokens.forgetAll(paused);
  }

  private async announce(notice: TokenNotice): Promise<void> {
    if (!this.notices) return;
    this.forget(notice);
    await this.sql.run("SELECT pg_notify(?, ?)", [this.notices.channel, this.notices.payload(notice)]);
  }

  /** A new sign-in of `userId` with its first tokens; its id. */
  async create(userId: string, expiresAt: number, tokens: NewToken[], face: SignInFace = "sidecar"): Promise<string> {
    const signInId = randomUUID();
    await this.sql.transaction(async () => {
      await this.sql.run("INSERT INTO sign_ins (id, user_id, created_at, expires_at, face) VALUES (?, ?, ?, ?, ?)", [
        signInId,
        userId,
        nowIso(),
        expiresAt,
        face,
      ]);
      await this.insertTokens(signInId, tokens);
    });
    return signInId;
  }

  async addTokens(signInId: string, tokens: NewToken[]): Promise<void> {
    await this.sql.transaction(() => this.insertTokens(signInId, tokens));
  }

  private async insertTokens(signInId: string, tokens: NewToken[]): Promise<void> {
    for (const token of tokens) {
      await this.sql.run("INSERT INTO auth_tokens (token_hash, sign_in_id, kind, expires_at, created_at) VALUES (?, ?, ?, ?, ?)", [
        token.tokenHash,
        signInId,
        token.kind,
        token.expiresAt,
        nowIso(),
      ]);
    }
  }

  findToken(tokenHash: string): Promise<TokenRecord | undefined> {
    return this.tokens.get(tokenHash, () => this.readToken(tokenHash));
  }

  private async readToken(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.sql.get<TokenJoinRow>(
      `SELECT t.kind, t.expires_at, t.revoked, s.id AS sign_in_id, s.expires_at AS sign_in_expires_at,
              s.revoked_at, s.face, u.id AS user_id, u.email, o.id AS organization_id, o.name AS organization_name
       FROM auth_tokens t
       JOIN sign_ins s ON s.id = t.sign_in_id
       JOIN users u ON u.id = s.user_id
       JOIN organizations o ON o.id = u.organization_id
       WHERE t.token_hash = ?`,
      [tokenHash],
    );
    if (!row) return undefined;
    return {
      kind: row.kind,
      expiresAt: row.expires_at,
      revoked: Boolean(row.revoked),
      signInId: row.sign_in_id,
      signInExpiresAt: row.sign_in_expires_at,
      signInRevoked: row.revoked_at !== null,
      face: row.face,
      userId: row.user_id,
      email: row.email,
      organizationId: row.organization_id,
      organizationName: row.organization_name,
    };
  }

  /** Revokes one token (a rotated refresh token); its sign-in and other tokens go on. */
  async revokeToken(tokenHash: string): Promise<void> {
    await this.sql.transaction(async () => {
      await this.sql.run("UPDATE auth_tokens SET revoked = 1 WHERE token_hash = ?", [tokenHash]);
      await this.announce({ tokenHash });
    });
  }

  /** Ends a sign-in: it and every token it issued stop working. */
  async revoke(signInId: string): Promise<void> {
    await this.sql.transaction(async () => {
      await this.sql.run("UPDATE sign_ins SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [nowIso(), signInId]);
      await this.sql.run("UPDATE auth_tokens SET revoked = 1 WHERE sign_in_id = ?", [signInId]);
      await this.announce({ signInId });
    });
  }

  /** Forgets sign-ins (and their tokens) that ended before `before` (epoch ms). */
  async purgeExpiredBefore(before: number): Promise<void> {
    await this.sql.transaction(async () => {
      await this.sql.run("DELETE FROM auth_tokens WHERE expires_at < ?", [before]);
      await this.sql.run("DELETE FROM sign_ins WHERE expires_at < ?", [before]);
    });
  }
}
