// Gives components the DocumentHost (Word or the browser tab). Components call its methods;
// they never touch Office or Word themselves.
import { createContext, useContext, type ReactNode } from "react";
import type { DocumentHost } from "./document-host";

const HostContext = createContext<DocumentHost | null>(null);

export function HostProvider({ host, children }: { host: DocumentHost; children: ReactNode }) {
  return <HostContext.Provider value={host}>{children}</HostContext.Provider>;
}

export function useDocumentHost(): DocumentHost {
  const host = useContext(HostContext);
  if (!host) throw new Error("useDocumentHost must be used inside <HostProvider>");
  return host;
}

/** The setting under which the open document remembers its Sidecar document id. */
export const documentIdSetting = "sidecar.documentId";
