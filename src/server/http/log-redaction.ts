// What the server's log must never hold: the secret values in a URL's query string. A presigned
// link's `signature` (whoever reads it can download the file until it expires), the batch
// WebSocket's `?token=` and `?key=`, the tokens the SSO round trip hands back in `next?token=…`,
// and the like in URLs the server fetches (X-Amz-Signature, X-Amz-Security-Token, a SAS `sig`).
//
// Applied twice (src/server/app.ts): to the request URL the request serializer logs (urlForLog),
// and to every finished log line (pino's streamWrite hook), so a message or an error quoting a URL
// is covered too.

export const REDACTED = "[redacted]";

/**
 * A query parameter whose value is secret: its name contains token, key, signature, secret,
 * password or credential (any case, e.g. ejento_access_token, X-Amz-Signature), or is sig, code or otp.
 * The value runs to the next &, #, whitespace, quote or backslash (the end of a JSON string).
 */
const SECRET_PARAMETER = /([?&](?:[^=&#\s"'\\]*(?:token|key|signature|secret|password|credential)[^=&#\s"'\\]*|sig|code|otp)=)[^&#\s"'\\]+/gi;

/** `text` with the value of every secret query parameter replaced by [redacted]. */
export function redactUrlSecrets(text: string): string {
  return text.replace(SECRET_PARAMETER, `$1${REDACTED}`);
}
