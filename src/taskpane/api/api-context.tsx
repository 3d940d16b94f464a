// Gives components the one HttpClient, the sign-in state of each service and the settings.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { ServiceName } from "../../shared/contract/endpoints";
import type { ConnectionSettings } from "./connection-settings";
import type { HttpClient } from "./http-client";
import { paneSignIn, slotFor, type PaneSignIn, type SessionsState, type SlotState } from "./session-store";

const ApiClientContext = createContext<HttpClient | null>(null);

export function ApiClientProvider({ client, children }: { client: HttpClient; children: ReactNode }) {
  return <ApiClientContext.Provider value={client}>{children}</ApiClientContext.Provider>;
}

export function useApiClient(): HttpClient {
  const client = useContext(ApiClientContext);
  if (!client) throw new Error("useApiClient must be used inside <ApiClientProvider>");
  return client;
}

/** Every sign-in slot's state. */
export function useSessions(): SessionsState {
  const { session } = useApiClient();
  return useSyncExternalStore(session.subscribe, session.get);
}

export function useConnectionSettings(): ConnectionSettings {
  const { settings } = useApiClient();
  return useSyncExternalStore(settings.subscribe, settings.get);
}

/** The pane as a whole: signed out (sign-in screen) or signed in to something (the work). */
export function usePaneSignIn(): PaneSignIn {
  return paneSignIn(useConnectionSettings().mode, useSessions());
}

/** The sign-in state that a service's calls depend on. */
export function useServiceSignIn(service: ServiceName): SlotState {
  const settings = useConnectionSettings();
  return useSessions()[slotFor(settings.mode, service)];
}
