// SSO (docs/vendors.md Ejento A2.5): a browser navigation to /auth-service/api/v2/sso/{provider}/login?next=…,
// run in an Office dialog (or a popup in the browser tab) whose `next` page of the add-in
// (auth-dialog.html) hands both tokens back. This file builds the address and keeps the tokens.
import type { HttpClient } from "../../../api/http-client";
import { ejentoSlot } from "./sign-in";
import { t } from "../../../i18n";

/** The page of the add-in that the provider sends the person back to. */
export function ssoReturnPage(): string {
  return new URL("auth-dialog.html", globalThis.location?.href ?? "http://localhost/").toString();
}

/** The provider's sign-in address, ending at `next` with ?token=…&ejento_access_token=…. */
export function ssoLoginUrl(client: HttpClient, provider: string, next = ssoReturnPage()): string {
  return client.url("ssoLogin", { params: { provider }, query: { next } });
}

/** What the return page sent back: both tokens, or the words of what went wrong. */
export interface SsoResult {
  token?: string;
  ejento_access_token?: string;
  error?: string;
}

/** Keeps the tokens the SSO round trip brought back; throws words when they are missing. */
export function completeSsoSignIn(client: HttpClient, provider: string, result: SsoResult): void {
  if (!result.token || !result.ejento_access_token) {
    throw new Error(result.error || t("connection.ssoWindowClosed"));
  }
  client.session.signIn(ejentoSlot(client), {
    kind: "ejento",
    accessToken: result.token,
    ejentoToken: result.ejento_access_token,
    who: t("connection.whoSso", { provider }),
    method: "sso",
  });
}
