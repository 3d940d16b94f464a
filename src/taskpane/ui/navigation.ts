// Requests to show another tab (features never import each other): e.g. a chat citation asks
// the Sources tab to show a section. The pane listens and switches tabs; the target tab reads
// and clears the request.
import { useSyncExternalStore } from "react";
import { Observable } from "../api/local-store";

/** The passage a chat citation cites (when the answer says which). */
export interface CitedPassage {
  number: number;
  documentName?: string;
  sectionTitle?: string;
  passageId?: string;
  text: string;
  s3Key?: string;
}

export interface SourcesRequest {
  documentId: string;
  sectionId?: string;
  title?: string;
  cited?: CitedPassage;
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
