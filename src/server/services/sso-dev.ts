// SSO in a development form (docs/vendors.md Ejento A2.5). The local server has no identity provider, so
// GET /auth-service/api/v2/sso/{provider}/login?next=… shows a page that lists the server's users;
// choosing one posts the page's one-time nonce to …/callback, which signs that person in (a
// "sidecar" sign-in, as a password sign-in) and sends the browser to `next` with
// ?token=<access_token>&ejento_access_token=<token> appended, the vendor's shape.
//
// Anyone who can open this page can sign in as any user of the server: turn an `<provider>_sso`
// method on (SIDECAR_LOGIN_METHODS) only on a development server.
//
// `next` must be an absolute http(s) URL on an origin the server trusts: one of
// SIDECAR_ALLOWED_ORIGINS (where the pane is served) or the server's own origin. Anything else
// would hand the tokens to whoever wrote the link.
import { randomBytes } from "node:crypto";
import { endpoints, fillPath } from "../../shared/contract/endpoints";
import { escapeHtml } from "../../shared/text";
import type { LoginMethod } from "../config";
import { HttpError } from "../errors";

export const SSO_PROVIDERS = { microsoft: "Microsoft", google: "Google", okta: "Okta", linkedin: "LinkedIn" } as const;
export type SsoProvider = keyof typeof SSO_PROVIDERS;

export const NONCE_TTL_MS = 10 * 60 * 1000;
/** Pages opened but never posted are forgotten oldest first beyond this many. */
const MAX_NONCES = 10_000;

export const NONCE_INVALID = "This sign-in page has expired or was already used. Close it and start the sign-in again.";

/** The provider a `{provider}` path segment names, when its `<provider>_sso` method is on; else 404/403 with words. */
export function ssoProvider(slug: string, loginMethods: readonly LoginMethod[]): SsoProvider {
  if (!Object.hasOwn(SSO_PROVIDERS, slug)) {
    throw new HttpError(404, `There is no sign-in provider "${slug}". Providers: ${Object.keys(SSO_PROVIDERS).join(", ")}.`);
  }
  const provider = slug as SsoProvider;
  if (!loginMethods.includes(`${provider}_sso`)) {
    throw new HttpError(
      403,
      `Sign-in with ${SSO_PROVIDERS[provider]} is turned off on this server (${provider}_sso is not in SIDECAR_LOGIN_METHODS). Sign in another way.`,
    );
  }
  return provider;
}

/**
 * `next` as a URL when it is an absolute http(s) URL whose origin is trusted (`trustedOrigins`:
 * SIDECAR_ALLOWED_ORIGINS and the server's own origin); 400 with words otherwise.
 */
export function checkNext(next: string, trustedOrigins: readonly string[]): URL {
  let url: URL | null = null;
  try {
    url = new URL(next);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new HttpError(400, "The sign-in's return address (next) must be an absolute http:// or https:// address.");
  }
  if (url.username || url.password || !trustedOrigins.includes(url.origin)) {
    throw new HttpError(
      400,
      `The sign-in's return address (next) is on ${url.origin}, which this server does not trust. Use a page of the add-in (its origin must be in SIDECAR_ALLOWED_ORIGINS) or of this server.`,
    );
  }
  return url;
}

/** `next` with the two tokens appended to its query (the vendor's shape). */
export function returnAddress(next: URL, tokens: { access_token: string; ejento_access_token: string }): string {
  const url = new URL(next.href);
  url.searchParams.set("token", tokens.access_token);
  url.searchParams.set("ejento_access_token", tokens.ejento_access_token);
  return url.href;
}

/** One-time nonces of the pages handed out, in memory (a restart forgets them: open the page again). */
export class SsoNonces {
  private readonly pending = new Map<string, { provider: SsoProvider; next: string; expiresAt: number }>();

  issue(provider: SsoProvider, next: string): string {
    const now = Date.now();
    for (const [nonce, entry] of this.pending) {
      if (entry.expiresAt <= now || this.pending.size >= MAX_NONCES) this.pending.delete(nonce);
      else break;
    }
    const nonce = randomBytes(24).toString("base64url");
    this.pending.set(nonce, { provider, next, expiresAt: now + NONCE_TTL_MS });
    return nonce;
  }

  /** Uses up a nonce: the `next` it was issued with, or 400 when it is unknown, expired, used, or for another provider or `next`. */
  take(nonce: string, provider: SsoProvider, next: string): string {
    const entry = this.pending.get(nonce);
    this.pending.delete(nonce);
    if (!entry || entry.expiresAt <= Date.now() || entry.provider !== provider || entry.next !== next) {
      throw new HttpError(400, NONCE_INVALID);
    }
    return entry.next;
  }
}

/** The page's Content-Security-Policy: nothing but inline style, and the form may go only here and to `next`'s origin (the redirect). */
export function pagePolicy(next: URL): string {
  return `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${next.origin}; base-uri 'none'`;
}

export function ssoPage(input: {
  provider: SsoProvider;
  next: string;
  nonce: string;
  users: ReadonlyArray<{ id: string; email: string; organization_name: string }>;
}): string {
  const name = escapeHtml(SSO_PROVIDERS[input.provider]);
  const action = escapeHtml(fillPath(endpoints.ssoDevCallback.path, { provider: input.provider }));
  const buttons = input.users
    .map(
      (user) =>
        `<li><button type="submit" name="user_id" value="${escapeHtml(user.id)}">${escapeHtml(user.email)}<span>${escapeHtml(user.organization_name)}</span></button></li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Development sign-in — ${name}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; max-width: 34rem; color: #1b1b1b; }
p { line-height: 1.4; }
ul { list-style: none; padding: 0; }
li { margin: 0.4rem 0; }
button { width: 100%; text-align: left; padding: 0.6rem 0.8rem; font: inherit; border: 1px solid #8a8886; border-radius: 4px; background: #fff; cursor: pointer; }
button:hover, button:focus { background: #f3f2f1; }
button span { display: block; font-size: 0.85em; color: #605e5c; }
</style>
</head>
<body>
<h1>Development sign-in — ${name}</h1>
<p>This Sidecar server has no ${name} identity provider. Choose the account to sign in as; you will be sent back to the add-in signed in.</p>
<form method="post" action="${action}">
<input type="hidden" name="nonce" value="${escapeHtml(input.nonce)}">
<input type="hidden" name="next" value="${escapeHtml(input.next)}">
${input.users.length > 0 ? `<ul>\n${buttons}\n</ul>` : "<p>This server has no users yet. Add one with <code>npm run user:add</code>, then open this page again.</p>"}
</form>
</body>
</html>
`;
}
