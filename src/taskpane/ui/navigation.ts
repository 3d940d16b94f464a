// Requests to show another tab (features never import each other): e.g. a chat citation asks
// the Sources tab to show a section. The pane listens and switches tabs; the target tab reads
// and clears the request.
import { useSyncExternalStore } from "react";
import { Observable } from "../api/local-store";

export interface SourcesRequest {
  documentId: string;
  sectionId?: string;
  title?: string;
}

export interface NavigationRequest {
  tab: "sources";
  sources?: SourcesRequest;
  at: number;
}

export const navigation = new Observable<NavigationRequest | null>(null);

export function requestSources(sources: SourcesRequest): void {
  navigation.set({ tab: "sources", sources, at: Date.now() });
}

export function useNavigationRequest(): NavigationRequest | null {
  return useSyncExternalStore(navigation.subscribe, navigation.get);
}
