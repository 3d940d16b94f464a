// Passwordless sign-in codes (docs/vendors.md Ejento A2.4): one row per otp_session_id. Only an HMAC of the
// code is stored (services/passwordless.ts); a row with user_id NULL is for an e-mail that has no
// account, kept so that asking for a code answers the same either way.
import type { Sql } from "./sql";
import { nowIso } from "./util";

export interface OtpSessionRow {
  id: string;
  email: string;
  user_id: string | null;
  code_hash: string;
  /** Epoch ms after which the current code no longer verifies. */
  expires_at: number;
  /** Wrong codes tried against the current code. */
  attempts: number;
  /** Codes issued in this session (the first, plus every resend). */
  codes_issued: number;
  /** Epoch ms the current code was issued. */
  issued_at: number;
  used_at: string | null;
  created_at: string;
}

export class OtpStore {
  constructor(private readonly sql: Sql) {}

  async get(id: string): Promise<OtpSessionRow | undefined> {
    return this.sql.get<OtpSessionRow>("SELECT * FROM otp_sessions WHERE id = ?", [id]);
  }

  async create(input: { id: string; email: string; userId: string | null; codeHash: string; expiresAt: number; issuedAt: number }): Promise<void> {
    await this.sql.run(
      `INSERT INTO otp_sessions (id, email, user_id, code_hash, expires_at, issued_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [input.id, input.email, input.userId, input.codeHash, input.expiresAt, input.issuedAt, nowIso()],
    );
  }

  /** A new code for an existing session: its tries start again. */
  async reissue(id: string, codeHash: string, expiresAt: number, issuedAt: number): Promise<void> {
    await this.sql.run(
      `UPDATE otp_sessions SET code_hash = ?, expires_at = ?, issued_at = ?, attempts = 0, codes_issued = codes_issued + 1
       WHERE id = ?`,
      [codeHash, expiresAt, issuedAt, id],
    );
  }

  /** Codes issued for `email` in sessions whose latest code was issued at or after `since` (epoch ms). */
  async codesIssuedSince(email: string, since: number): Promise<number> {
    // email is compared without case by its column (COLLATE NOCASE on SQLite, citext on PostgreSQL).
    const row = await this.sql.get<{ n: number }>("SELECT COALESCE(SUM(codes_issued), 0) AS n FROM otp_sessions WHERE email = ? AND issued_at >= ?", [
      email,
      since,
    ]);
    return (row as { n: number }).n;
  }

  /** Counts one wrong try; returns the tries made so far against the current code. */
  async countWrongTry(id: string): Promise<number> {
    // One statement, so no other try can come between the count and the read.
    const row = await this.sql.get<{ attempts: number }>("UPDATE otp_sessions SET attempts = attempts + 1 WHERE id = ? RETURNING attempts", [id]);
    return (row as { attempts: number }).attempts;
  }

  /** Marks the session used; false when it already was (a code verifies once). */
  async markUsed(id: string): Promise<boolean> {
    return (await this.sql.run("UPDATE otp_sessions SET used_at = ? WHERE id = ? AND used_at IS NULL", [nowIso(), id])).changes === 1;
  }

  /** Forgets sessions whose code expired before `before` (epoch ms). */
  async purgeExpiredBefore(before: number): Promise<void> {
    await this.sql.run("DELETE FROM otp_sessions WHERE expires_at < ?", [before]);
  }
}
