// The signed-in pane: the features as tabs, each tab its own chunk. The tab in use is remembered;
// another tab can ask for one (a chat citation opens Sources).
import { Caption1, Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { readJson, writeJson } from "../api/local-store";
import { LazyPanel, lazyNamed } from "../ui/lazy-panel";
import { useNavigationRequest } from "../ui/navigation";

// Each tab is its own chunk, fetched when the browser is idle (prefetch) or at once when opened.
type DocumentProps = { documentKey: string; hasDocument: boolean };
const documentsPanel = lazyNamed<DocumentProps>(() => import(/* webpackChunkName: "tab-documents", webpackPrefetch: true */ "../features/documents/documents-tab"), "DocumentsTab");
const generatePanel = lazyNamed<{ documentKey: string }>(() => import(/* webpackChunkName: "tab-generate", webpackPrefetch: true */ "../features/generate/generate-tab"), "GenerateTab");
const sourcesPanel = lazyNamed<{ documentKey: string }>(() => import(/* webpackChunkName: "tab-sources", webpackPrefetch: true */ "../features/sources/sources-tab"), "SourcesTab");
const chatPanel = lazyNamed<DocumentProps>(() => import(/* webpackChunkName: "tab-chat", webpackPrefetch: true */ "../features/chat/chat-tab"), "ChatTab");
const batchPanel = lazyNamed<object>(() => import(/* webpackChunkName: "tab-batch", webpackPrefetch: true */ "../features/batch/batch-tab"), "BatchTab");
const accountPanel = lazyNamed<object>(() => import(/* webpackChunkName: "tab-account", webpackPrefetch: true */ "../features/connection/account-panel"), "AccountPanel");

const useStyles = makeStyles({
  // Six tabs do not fit a narrow task pane on one line: let them wrap rather than hide one.
  tabs: { flexWrap: "wrap", rowGap: tokens.spacingVerticalXXS },
});

const tabs = [
  { id: "documents", label: "Documents" },
  { id: "generate", label: "Generate" },
  { id: "sources", label: "Sources" },
  { id: "chat", label: "Chat" },
  { id: "batch", label: "Batch" },
  { id: "account", label: "Account" },
] as const;
type TabId = (typeof tabs)[number]["id"];
const tabKey = "sidecar.tab";

export function Workspace({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>(() => {
    const saved = readJson<string>(tabKey);
    return tabs.some((t) => t.id === saved) ? (saved as TabId) : "documents";
  });
  const selectTab = (id: TabId) => {
    setTab(id);
    writeJson(tabKey, id);
  };
  // Another tab asked for the Sources tab (a chat citation).
  const navigationRequest = useNavigationRequest();
  useEffect(() => {
    if (navigationRequest?.tab === "sources") selectTab("sources");
  }, [navigationRequest]);

  return (
    <>
      <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, data) => selectTab(data.value as TabId)} aria-label="Sidecar features">
        {tabs.map((t) => (
          <Tab key={t.id} value={t.id}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label}>
        {tab === "documents" && <LazyPanel panel={documentsPanel} label="your documents" props={{ documentKey, hasDocument }} />}
        {tab === "generate" && <LazyPanel panel={generatePanel} label="Generate" props={{ documentKey }} />}
        {tab === "sources" &&
          (hasDocument ? <LazyPanel key={documentKey} panel={sourcesPanel} label="Sources" props={{ documentKey }} /> : <Caption1>Open a document to see its sources.</Caption1>)}
        {tab === "chat" && <LazyPanel panel={chatPanel} label="Chat" props={{ documentKey, hasDocument }} />}
        {tab === "batch" && <LazyPanel panel={batchPanel} label="Batch" props={{}} />}
        {tab === "account" && <LazyPanel panel={accountPanel} label="Account" props={{}} />}
      </div>
    </>
  );
}
