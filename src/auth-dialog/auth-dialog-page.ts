// The add-in's sign-in window page (auth-dialog.html), for the SSO round trip of docs/vendors.md Ejento A2.5.
// It is opened twice in the same window:
//   1. ?start=<the provider's sign-in address>: go on to it (an Office dialog must start on the
//      add-in's own domain);
//   2. ?token=…&ejento_access_token=… (the `next` the provider returns to): take both tokens out of
//      the address bar at once, and hand them to the pane — Office.context.ui.messageParent inside
//      an Office dialog, postMessage to the opener (same origin only) in a browser popup.
// Kept tiny and free of the pane's code: it only imports the endpoint table.

import { endpoints } from "../shared/contract/endpoints";

/** What the page sends to the pane: both tokens, or words about what went wrong. */
export type SignInMessage = { token: string; ejento_access_token: string } | { error: string };

export interface PageEnvironment {
  location: { href: string; origin: string; pathname: string; replace(url: string): void };
  history: { replaceState(data: unknown, unused: string, url?: string): void };
  /** The Office global when office.js is loaded. */
  office?: { onReady(): Promise<{ host?: unknown } | undefined>; context?: { ui?: { messageParent?(message: string): void } } };
  /** The window that opened this one (browser popup), if any. */
  opener?: { postMessage(message: string, targetOrigin: string): void } | null;
  /** Shows words to the person. */
  say(words: string): void;
  /** How long to wait for office.js to tell whether this is an Office dialog (ms). */
  officeTimeoutMs?: number;
}

/** The provider sign-in path (any base path before it; one provider slug). */
const ssoPath = new RegExp(`${endpoints.ssoLogin.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{provider\}/, "[A-Za-z0-9_-]+")}$`);

/** Only a provider sign-in address over http(s) is followed: this page is no open redirect. */
export function allowedStart(start: string): URL | undefined {
  try {
    const url = new URL(start);
    return (url.protocol === "https:" || url.protocol === "http:") && ssoPath.test(url.pathname) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Reads what the provider returned; never keeps the tokens in the address bar. */
export function readReturn(env: Pick<PageEnvironment, "location" | "history">): SignInMessage {
  const params = new URL(env.location.href).searchParams;
  const token = params.get("token");
  const ejentoToken = params.get("ejento_access_token");
  const problem = params.get("error_description") ?? params.get("error");
  env.history.replaceState(null, "", env.location.pathname);
  if (token && ejentoToken) return { token, ejento_access_token: ejentoToken };
  return {
    error: problem ? `The sign-in didn't finish: ${problem}` : "The sign-in came back without the tokens Sidecar needs. Close this window and try again.",
  };
}

/** office.js's answer to onReady (undefined when it isn't loaded, fails, or takes too long). */
async function officeReady(env: PageEnvironment): Promise<{ host?: unknown } | undefined> {
  const office = env.office;
  if (!office || typeof office.onReady !== "function") return undefined;
  return Promise.race([
    Promise.resolve(office.onReady()).catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), env.officeTimeoutMs ?? 3000)),
  ]);
}

/**
 * Hands the message to the pane; false when there is no pane to hand it to. An Office dialog (office.js
 * names a host) answers with messageParent; a browser popup posts to its opener, at the add-in's
 * origin only; an Office dialog that names no host but has messageParent still uses it.
 */
async function send(env: PageEnvironment, message: SignInMessage): Promise<boolean> {
  const text = JSON.stringify(message);
  const info = await officeReady(env);
  const messageParent = env.office?.context?.ui?.messageParent;
  if (info?.host != null && typeof messageParent === "function") {
    messageParent.call(env.office?.context?.ui, text);
    return true;
  }
  if (env.opener) {
    env.opener.postMessage(text, env.location.origin);
    return true;
  }
  if (typeof messageParent === "function") {
    messageParent.call(env.office?.context?.ui, text);
    return true;
  }
  return false;
}

export async function runSignInPage(env: PageEnvironment): Promise<void> {
  const start = new URL(env.location.href).searchParams.get("start");
  if (start !== null) {
    const target = allowedStart(start);
    if (!target) {
      env.say("This is not a sign-in address Sidecar opens. Close this window and sign in from Sidecar again.");
      return;
    }
    env.say("Opening the sign-in page…");
    env.location.replace(target.toString());
    return;
  }
  const message = readReturn(env);
  const delivered = await send(env, message);
  if (!delivered) {
    env.say("This page isn't connected to Sidecar. Open Sidecar in Word (or its browser tab) and sign in from there.");
  } else if ("error" in message) {
    env.say(message.error);
  } else {
    env.say("Signed in. You can close this window if it stays open.");
  }
}
