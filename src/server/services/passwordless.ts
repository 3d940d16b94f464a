// Passwordless sign-in (docs/vendors.md Ejento A2.4): a 6-digit code by e-mail, traded for the Ejento token pair.
//
//   request(email)                 → otp_session_id. The same answer whether or not the e-mail has
//                                    an account; only an account gets a code (by e-mail when SMTP
//                                    is configured, else in the server log, for development).
//   request(email, otp_session_id) → a new code in the same session (resend): the tries start again.
//   verify(otp_session_id, code)   → a new sign-in (face "sidecar", as a password sign-in).
//
// A code is valid CODE_TTL_MS and allows MAX_TRIES wrong tries; it verifies once. Only an HMAC of
// it (keyed by a server secret and the session id) is stored. At most CODES_PER_HOUR codes are
// issued per e-mail per hour, so a code can't be found by asking for new ones over and over.
import { createHmac, randomInt, randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import { HttpError } from "../errors";
import type { Storage } from "../storage/storage";
import { unauthorized, type AuthService, type TokenPair } from "./auth";
import { secretsEqual } from "./tokens";
import { normalizeEmail } from "./users";

export const CODE_TTL_MS = 10 * 60 * 1000;
export const MAX_TRIES = 5;
export const CODES_PER_HOUR = 10;
const HOUR_MS = 3600 * 1000;

export const CODE_SENT = "If this e-mail has an account, a sign-in code is on its way. It is valid for 10 minutes.";
export const REQUEST_NEW_CODE = "This sign-in code is no longer valid (expired, already used, or too many wrong tries). Request a new code.";

/** Sends a sign-in code to a person. */
export interface CodeDelivery {
  send(email: string, code: string, validMinutes: number): Promise<void>;
}

/** Development: the code goes to the server log, as a warning so that it shows at the default level. */
export class LogDelivery implements CodeDelivery {
  constructor(private readonly log: FastifyBaseLogger) {}

  async send(email: string, code: string, validMinutes: number): Promise<void> {
    this.log.warn(`Sign-in code for ${email}: ${code} (valid ${validMinutes} minutes)`);
  }
}

export class PasswordlessService {
  /** The HMAC key for codes, read (or made) the first time it is needed. */
  private secret: Promise<string> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly auth: AuthService,
    private readonly delivery: CodeDelivery,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Issues a code (a new session, or a resend in `otpSessionId`'s) and answers the session id. */
  async request(email: string, otpSessionId: string | undefined, clientAddress: string): Promise<{ otp_session_id: string }> {
    const address = normalizeEmail(email);
    // An address locked for failed sign-ins gets no new codes either.
    await this.auth.throttle.check({ address: clientAddress });
    const key = await this.key();
    const now = Date.now();
    await this.storage.otp.purgeExpiredBefore(now - HOUR_MS);
    // One transaction from the count to the new code, so that requests at the same time can't
    // together issue more than CODES_PER_HOUR; nothing is sent until it is committed.
    const issued = await this.storage.sql.transaction(async () => {
      if ((await this.storage.otp.codesIssuedSince(address, now - HOUR_MS)) >= CODES_PER_HOUR) {
        throw new HttpError(429, "Too many sign-in codes were asked for this e-mail in the last hour. Wait a while, then request a new code.");
      }
      const user = await this.storage.users.findByEmail(address);
      const existing = otpSessionId ? await this.storage.otp.get(otpSessionId) : undefined;
      // A resend continues its session only for the same e-mail and while it is unused; otherwise a
      // new session starts (the answer looks the same).
      const resend = existing && existing.email.toLowerCase() === address && existing.used_at === null ? existing : undefined;
      const sessionId = resend?.id ?? randomUUID();
      // An e-mail without an account gets a session whose stored hash no 6-digit code can match.
      const code = user ? String(randomInt(0, 1_000_000)).padStart(6, "0") : null;
      const codeHash = hmac(key, sessionId, code ?? randomUUID());
      const expiresAt = now + CODE_TTL_MS;
      if (resend) await this.storage.otp.reissue(sessionId, codeHash, expiresAt, now);
      else await this.storage.otp.create({ id: sessionId, email: address, userId: user?.id ?? null, codeHash, expiresAt, issuedAt: now });
      return { sessionId, user, code };
    });

    const { user, code } = issued;
    if (user && code) {
      // Not awaited: the answer (and how long it takes) doesn't depend on the e-mail having an account.
      this.delivery.send(user.email, code, CODE_TTL_MS / 60_000).catch((error: unknown) => {
        this.log.error({ err: error }, `could not send the sign-in code to ${user.email}`);
      });
    } else {
      this.log.info(`Sign-in code asked for ${address}, which has no account; no code was sent`);
    }
    return { otp_session_id: issued.sessionId };
  }

  /**
   * The Ejento token pair for a right code; 401 with words otherwise. Wrong codes count as failed
   * sign-ins of the client's address (auth.throttle).
   */
  async verify(otpSessionId: string, code: string, clientAddress: string): Promise<TokenPair> {
    // Per address only: each code already allows a few tries (below), and e-mails are limited per hour.
    return this.auth.throttle.guard({ address: clientAddress }, () => this.verifyCode(otpSessionId, code));
  }

  private async verifyCode(otpSessionId: string, code: string): Promise<TokenPair> {
    const key = await this.key();
    // One transaction from reading the session to counting the try (or using the code): tries at
    // the same time must not all find tries left, nor one code verify twice. It answers instead of
    // throwing, so that a wrong try's count is committed.
    const outcome = await this.storage.sql.transaction(async (): Promise<{ userId: string } | { triesLeft: number } | null> => {
      const session = await this.storage.otp.get(otpSessionId);
      const now = Date.now();
      if (!session || session.used_at !== null || session.expires_at <= now || session.attempts >= MAX_TRIES) return null;
      const right = /^\d{6}$/.test(code) && secretsEqual(hmac(key, session.id, code), session.code_hash);
      if (!right || session.user_id === null) return { triesLeft: MAX_TRIES - (await this.storage.otp.countWrongTry(session.id)) };
      if (!(await this.storage.otp.markUsed(session.id))) return null;
      return { userId: session.user_id };
    });
    if (outcome === null) throw unauthorized(REQUEST_NEW_CODE);
    if ("triesLeft" in outcome) {
      const left = outcome.triesLeft;
      throw unauthorized(
        left > 0
          ? `Wrong code: ${left} ${left === 1 ? "try" : "tries"} left.`
          : "Wrong code, and that was the last try. Request a new code.",
      );
    }
    return this.auth.signInUser(outcome.userId);
  }

  /** The server secret that keys the codes' HMAC (the same in every process sharing the database). */
  private key(): Promise<string> {
    if (!this.secret) {
      const secret = this.storage.serverSecret("otp-code-hmac");
      // A failed read is not kept: the next call asks again.
      secret.catch(() => {
        if (this.secret === secret) this.secret = undefined;
      });
      this.secret = secret;
    }
    return this.secret;
  }
}

function hmac(key: string, sessionId: string, code: string): string {
  return createHmac("sha256", key).update(`${sessionId}:${code}`).digest("hex");
}
