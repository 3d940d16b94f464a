// Passwordless sign-in codes (docs/vendors.md Ejento A2.4): one row per otp_session_id. Only an HMAC of the
// code is stored (services/passwordless.ts); a row with user_id NULL is for an e-mail that has no
// account, kept so that asking for a code answers the same either way.
import type Database from "better-sqlite3";
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
  constructor(private readonly db: Database.Database) {}

  get(id: string): OtpSessionRow | undefined {
    return this.db.prepare("SELECT * FROM otp_sessions WHERE id = ?").get(id) as OtpSessionRow | undefined;
  }

  create(input: { id: string; email: string; userId: string | null; codeHash: string; expiresAt: number; issuedAt: number }): void {
    this.db
      .prepare(
        `INSERT INTO otp_sessions (id, email, user_id, code_hash, expires_at, issued_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(input.id, input.email, input.userId, input.codeHash, input.expiresAt, input.issuedAt, nowIso());
  }

  /** A new code for an existing session: its tries start again. */
  reissue(id: string, codeHash: string, expiresAt: number, issuedAt: number): void {
    this.db
      .prepare(
        `UPDATE otp_sessions SET code_hash = ?, expires_at = ?, issued_at = ?, attempts = 0, codes_issued = codes_issued + 1
         WHERE id = ?`,
      )
      .run(codeHash, expiresAt, issuedAt, id);
  }

  /** Codes issued for `email` in sessions whose latest code was issued at or after `since` (epoch ms). */
  codesIssuedSince(email: string, since: number): number {
    const row = this.db
      .prepare("SELECT COALESCE(SUM(codes_issued), 0) AS n FROM otp_sessions WHERE email = ? COLLATE NOCASE AND issued_at >= ?")
      .get(email, since) as { n: number };
    return row.n;
  }

  /** Counts one wrong try; returns the tries made so far against the current code. */
  countWrongTry(id: string): number {
    this.db.prepare("UPDATE otp_sessions SET attempts = attempts + 1 WHERE id = ?").run(id);
    return (this.db.prepare("SELECT attempts FROM otp_sessions WHERE id = ?").get(id) as { attempts: number }).attempts;
  }

  /** Marks the session used; false when it already was (a code verifies once). */
  markUsed(id: string): boolean {
    return this.db.prepare("UPDATE otp_sessions SET used_at = ? WHERE id = ? AND used_at IS NULL").run(nowIso(), id).changes === 1;
  }

  /** Forgets sessions whose code expired before `before` (epoch ms). */
  purgeExpiredBefore(before: number): void {
    this.db.prepare("DELETE FROM otp_sessions WHERE expires_at < ?").run(before);
  }
}
