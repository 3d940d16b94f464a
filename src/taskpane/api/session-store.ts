// Who is signed in to which service, with that service's own tokens (docs/connections.md). Kept in
// memory and in the add-in's storage partition so a reopened pane stays signed in. Never put
// tokens in URLs (the batch socket's ?token= aside) or logs.
//
// One sign-in slot per way of signing in: "sidecar" is the one sign-in of a Sidecar server (all
// four services accept its token); "ejento", "documents" and "batch" are the separate vendors'
// sign-ins (Ejento indexing uses the Ejento sign-in).

import type { ServiceName } from "../../shared/contract/endpoints";
import type { ConnectionMode } from "./connection-settings";
import { Observable, readJson, writeJson } from "./local-store";

export type SignInSlot = "sidecar" | "ejento" | "documents" | "batch";
export const SEPARATE_SLOTS = ["ejento", "documents", "batch"] as const satisfies readonly SignInSlot[];

/** Ejento (and the Sidecar server's own sign-in): two tokens (docs/vendors.md Ejento A2.1). */
export interface EjentoCredentials {
  kind: "ejento";
  /** auth-service token, used only to refresh and to sign out; absent for a pasted token. */
  accessToken?: string;
  /** Bearer for every other call. */
  ejentoToken: string;
  /** ms since epoch when the ejento token expires (informational; the server decides). */
  expiresAt?: number;
  /** Who is signed in, in words (an e-mail address, or "pasted token"). */
  who: string;
  method: "password" | "code" | "sso" | "token";
}

/** Artos: one bearer token, obtained again from the user id on a 401 (docs/vendors.md Artos §1). */
export interface ArtosCredentials {
  kind: "artos";
  token: string;
  /** Absent for a pasted organization token (then it can't be renewed). */
  userId?: string;
  who: string;
}

/** The tag generator: access + refresh token (docs/vendors.md Ejento B1). */
export interface BatchCredentials {
  kind: "batch";
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  who: string;
}

export type Credentials = EjentoCredentials | ArtosCredentials | BatchCredentials;

export type SlotState =
  | { status: "signed-out"; lastWho?: string }
  | { status: "signed-in"; credentials: Credentials }
  /** The sign-in could not be renewed: sign in again; work in progress stays on screen. */
  | { status: "expired"; lastWho: string; reason?: string };

export type SessionsState = Record<SignInSlot, SlotState>;

const storageKey = "sidecar.sessions";
const lastWhoKey = "sidecar.last-who";
/** What panes before per-service connections saved: the one Sidecar sign-in. */
const legacySessionKey = "sidecar.session";

const SLOTS: readonly SignInSlot[] = ["sidecar", "ejento", "documents", "batch"];

/** The slot whose credentials a service's calls carry. */
export function slotFor(mode: ConnectionMode, service: ServiceName): SignInSlot {
  if (mode === "sidecar") return "sidecar";
  return service === "indexing" ? "ejento" : service;
}

/** The bearer token a service's calls carry with these credentials. */
export function bearerOf(credentials: Credentials): string {
  switch (credentials.kind) {
    case "ejento":
      return credentials.ejentoToken;
    case "artos":
      return credentials.token;
    case "batch":
      return credentials.accessToken;
  }
}

function initialState(): SessionsState {
  const stored = readJson<Partial<Record<SignInSlot, Credentials>>>(storageKey) ?? {};
  const legacy = readJson<{ accessToken?: string; ejentoToken?: string; expiresAt?: number; email?: string }>(legacySessionKey);
  if (!stored.sidecar && legacy?.accessToken && legacy.ejentoToken) {
    stored.sidecar = { kind: "ejento", accessToken: legacy.accessToken, ejentoToken: legacy.ejentoToken, expiresAt: legacy.expiresAt, who: legacy.email ?? "", method: "password" };
  }
  const lastWho = readJson<Partial<Record<SignInSlot, string>>>(lastWhoKey) ?? {};
  const legacyEmail = readJson<string>("sidecar.last-email");
  const state = {} as SessionsState;
  for (const slot of SLOTS) {
    const credentials = stored[slot];
    state[slot] = credentials && isCredentials(credentials)
      ? { status: "signed-in", credentials }
      : { status: "signed-out", lastWho: lastWho[slot] ?? (slot === "sidecar" ? legacyEmail : undefined) };
  }
  return state;
}

function isCredentials(value: unknown): value is Credentials {
  if (!value || typeof value !== "object") return false;
  const c = value as Partial<Credentials>;
  if (c.kind === "ejento") return typeof c.ejentoToken === "string" && c.ejentoToken.length > 0;
  if (c.kind === "artos") return typeof c.token === "string" && c.token.length > 0;
  if (c.kind === "batch") return typeof c.accessToken === "string" && typeof c.refreshToken === "string";
  return false;
}

export class SessionStore extends Observable<SessionsState> {
  constructor() {
    super(initialState());
  }

  slot(slot: SignInSlot): SlotState {
    return this.get()[slot];
  }

  credentials(slot: SignInSlot): Credentials | undefined {
    const state = this.get()[slot];
    return state.status === "signed-in" ? state.credentials : undefined;
  }

  signIn(slot: SignInSlot, credentials: Credentials): void {
    this.write(slot, { status: "signed-in", credentials });
  }

  /** Replaces the tokens after a refresh, keeping who is signed in; ignored once signed out. */
  replace(slot: SignInSlot, credentials: Credentials): void {
    if (this.get()[slot].status !== "signed-in") return;
    this.write(slot, { status: "signed-in", credentials });
  }

  /** The sign-in can't be renewed (or its address changed): ask again, keeping the work on screen. */
  expire(slot: SignInSlot, reason?: string): void {
    const state = this.get()[slot];
    if (state.status !== "signed-in") return;
    this.write(slot, { status: "expired", lastWho: state.credentials.who, reason });
  }

  signOut(slot: SignInSlot): void {
    const state = this.get()[slot];
    const lastWho = state.status === "signed-in" ? state.credentials.who : state.lastWho;
    this.write(slot, { status: "signed-out", lastWho });
  }

  private write(slot: SignInSlot, slotState: SlotState): void {
    const next = { ...this.get(), [slot]: slotState };
    const stored: Partial<Record<SignInSlot, Credentials>> = {};
    const lastWho: Partial<Record<SignInSlot, string>> = {};
    for (const name of SLOTS) {
      const s = next[name];
      if (s.status === "signed-in") {
        stored[name] = s.credentials;
        lastWho[name] = s.credentials.who;
      } else if (s.lastWho) lastWho[name] = s.lastWho;
    }
    writeJson(storageKey, stored);
    writeJson(lastWhoKey, lastWho);
    writeJson(legacySessionKey, undefined);
    this.set(next);
  }
}

/**
 * What the pane as a whole shows: the sign-in screen when nothing is signed in, else the work
 * (with a sign-in dialog above it for an expired slot). With one Sidecar server that is the one
 * sign-in; with separate services, any service signed in opens the work, and each tab says when
 * its own service still needs a sign-in.
 */
export type PaneSignIn =
  | { status: "signed-out"; lastWho?: string }
  | { status: "signed-in"; who: string; expired: SignInSlot[] };

export function paneSignIn(mode: ConnectionMode, state: SessionsState): PaneSignIn {
  const slots: readonly SignInSlot[] = mode === "sidecar" ? ["sidecar"] : SEPARATE_SLOTS;
  const live = slots.filter((slot) => state[slot].status !== "signed-out");
  if (live.length === 0) return { status: "signed-out", lastWho: mode === "sidecar" ? (state.sidecar as { lastWho?: string }).lastWho : undefined };
  const expired = live.filter((slot) => state[slot].status === "expired");
  const first = state[live[0] as SignInSlot];
  const who = first.status === "signed-in" ? first.credentials.who : first.status === "expired" ? first.lastWho : "";
  return { status: "signed-in", who, expired };
}
