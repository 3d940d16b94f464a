// Gives components the one HttpClient and the session state.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { ConnectionSettings } from "./connection-settings";
import type { HttpClient } from "./http-client";
import type { SessionState } from "./session-store";

const ApiClientContext = createContext<HttpClient | null>(null);

export function ApiClientProvider({ client, children }: { client: HttpClient; children: ReactNode }) {
  return <ApiClientContext.Provider value={client}>{children}</ApiClientContext.Provider>;
}

export function useApiClient(): HttpClient {
  const client = useContext(ApiClientContext);
  if (!client) throw new Error("useApiClient must be used inside <ApiClientProvider>");
  return client;
}

export function useSessionState(): SessionState {
  const { session } = useApiClient();
  return useSyncExternalStore(session.subscribe, session.get);
}

export function useConnectionSettings(): ConnectionSettings {
  const { settings } = useApiClient();
  return useSyncExternalStore(settings.subscribe, settings.get);
}
