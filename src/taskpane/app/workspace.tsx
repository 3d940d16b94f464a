// The signed-in pane: the features as tabs, each tab its own chunk (tab-panels.ts). The tab in use is remembered;
// another tab can ask for one (a chat citation opens Sources).
import { Caption1, Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { LazyPanel } from "../ui/lazy-panel";
import { useNavigationRequest } from "../ui/navigation";
import { panels, preloadOtherTabs, saveTab, savedTab, tabs, type TabId } from "./tab-panels";

const useStyles = makeStyles({
  // Six tabs do not fit a narrow task pane on one line: let them wrap rather than hide one.
  tabs: { flexWrap: "wrap", rowGap: tokens.spacingVerticalXXS },
});

export function Workspace({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>(savedTab);
  const selectTab = (id: TabId) => {
    setTab(id);
    saveTab(id);
  };
  // Once the first tab is up, the others' code is fetched in the background.
  const [firstTab] = useState(tab);
  useEffect(() => preloadOtherTabs(firstTab), [firstTab]);
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
        {tab === "documents" && <LazyPanel panel={panels.documents} label="your documents" props={{ documentKey, hasDocument }} />}
        {tab === "generate" && <LazyPanel panel={panels.generate} label="Generate" props={{ documentKey }} />}
        {tab === "sources" &&
          (hasDocument ? <LazyPanel key={documentKey} panel={panels.sources} label="Sources" props={{ documentKey }} /> : <Caption1>Open a document to see its sources.</Caption1>)}
        {tab === "chat" && <LazyPanel panel={panels.chat} label="Chat" props={{ documentKey, hasDocument }} />}
        {tab === "batch" && <LazyPanel panel={panels.batch} label="Batch" props={{}} />}
        {tab === "account" && <LazyPanel panel={panels.account} label="Account" props={{}} />}
      </div>
    </>
  );
}
