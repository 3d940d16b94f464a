// The signed-in session: both tokens (CONTRACT.md "Auth"), kept in memory and in the add-in's
// storage partition so a reopened pane stays signed in. Never put tokens in URLs or logs.

import { Observable, readJson, writeJson } from "./local-store";

export interface Session {
  /** auth-service token, used only to refresh and to sign out. */
  accessToken: string;
  /** Bearer for every other call. */
  ejentoToken: string;
  /** ms since epoch when the ejento token expires (informational; the server decides). */
  expiresAt: number;
  email: string;
}

export type SessionState =
  | { status: "signed-out"; lastEmail?: string }
  | { status: "signed-in"; session: Session }
  /** The session could not be refreshed: sign in again; work in progress stays on screen. */
  | { status: "expired"; lastEmail: string };

const storageKey = "sidecar.session";
const lastEmailKey = "sidecar.last-email";

function initialState(): SessionState {
  const session = readJson<Session>(storageKey);
  if (session?.accessToken && session.ejentoToken) return { status: "signed-in", session };
  return { status: "signed-out", lastEmail: readJson<string>(lastEmailKey) };
}

export class SessionStore extends Observable<SessionState> {
  constructor() {
    super(initialState());
  }
  signIn(session: Session): void {
    writeJson(storageKey, session);
    writeJson(lastEmailKey, session.email);
    this.set({ status: "signed-in", session });
  }
  /** Replaces the tokens after a refresh, keeping who is signed in. */
  replaceTokens(tokens: Omit<Session, "email">): void {
    const state = this.get();
    if (state.status !== "signed-in") return;
    this.signIn({ ...state.session, ...tokens });
  }
  expire(): void {
    const state = this.get();
    if (state.status !== "signed-in") return;
    writeJson(storageKey, undefined);
    this.set({ status: "expired", lastEmail: state.session.email });
  }
  signOut(): void {
    const state = this.get();
    const lastEmail = state.status === "signed-in" ? state.session.email : state.lastEmail;
    writeJson(storageKey, undefined);
    this.set({ status: "signed-out", lastEmail });
  }
  current(): Session | undefined {
    const state = this.get();
    return state.status === "signed-in" ? state.session : undefined;
  }
}
