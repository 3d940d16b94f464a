// The pane's tabs and where each one's code lives (each tab is its own chunk). The shell starts
// fetching the remembered tab's chunk together with the tab list's; the others are fetched once
// the pane has settled (preloadOtherTabs), so they never compete with what is on screen.
import type { ServiceName } from "../../shared/contract/endpoints";
import { readJson, writeJson } from "../api/local-store";
import { t } from "../i18n";
import { lazyNamed, type LazyLoaded } from "../ui/lazy-panel";

/** Each tab, and the services whose sign-in it needs (with separate services, a tab says which is missing). */
export const tabs = [
  { id: "documents", needs: ["documents"] },
  { id: "generate", needs: ["documents"] },
  { id: "sources", needs: ["documents"] },
  { id: "chat", needs: ["ejento"] },
  { id: "batch", needs: ["batch", "documents"] },
  { id: "account", needs: [] },
] as const satisfies ReadonlyArray<{ id: string; needs: readonly ServiceName[] }>;
export type TabId = (typeof tabs)[number]["id"];

/** The tab's name in the pane's language. */
export function tabLabel(id: TabId): string {
  switch (id) {
    case "documents":
      return t("app.tabDocuments");
    case "generate":
      return t("app.tabGenerate");
    case "sources":
      return t("app.tabSources");
    case "chat":
      return t("app.tabChat");
    case "batch":
      return t("app.tabBatch");
    case "account":
      return t("app.tabAccount");
  }
}

export type DocumentProps = { documentKey: string; hasDocument: boolean };

export const panels = {
  documents: lazyNamed<DocumentProps>(() => import(/* webpackChunkName: "tab-documents" */ "../features/documents/documents-tab"), "DocumentsTab"),
  generate: lazyNamed<DocumentProps>(() => import(/* webpackChunkName: "tab-generate" */ "../features/generate/generate-tab"), "GenerateTab"),
  sources: lazyNamed<DocumentProps>(() => import(/* webpackChunkName: "tab-sources" */ "../features/sources/sources-tab"), "SourcesTab"),
  chat: lazyNamed<DocumentProps>(() => import(/* webpackChunkName: "tab-chat" */ "../features/chat/chat-tab"), "ChatTab"),
  batch: lazyNamed<object>(() => import(/* webpackChunkName: "tab-batch" */ "../features/batch/batch-tab"), "BatchTab"),
  account: lazyNamed<object>(() => import(/* webpackChunkName: "tab-account" */ "../features/connection/account-panel"), "AccountPanel"),
} satisfies Record<TabId, Pick<LazyLoaded<object>, "preload">>;

const tabKey = "sidecar.tab";

/** The tab the person had open last time (Documents the first time). */
export function savedTab(): TabId {
  const saved = readJson<string>(tabKey);
  return tabs.some((t) => t.id === saved) ? (saved as TabId) : "documents";
}

export function saveTab(id: TabId): void {
  writeJson(tabKey, id);
}

/** After the pane has settled: fetch the other tabs' code so switching tabs doesn't wait. */
export function preloadOtherTabs(current: TabId): () => void {
  const start = () => {
    for (const id of Object.keys(panels) as TabId[]) if (id !== current) panels[id].preload();
  };
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  const timer = setTimeout(() => (idle ? idle(start, { timeout: 2000 }) : start()), 1000);
  return () => clearTimeout(timer);
}
