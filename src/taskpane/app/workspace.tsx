// The signed-in pane: the features as tabs, each tab its own chunk (tab-panels.ts). The tab in use is remembered;
// another tab can ask for one (a chat citation opens Sources). A tab whose service has no sign-in
// (separate services) says which one to sign in to, with a way to Account, instead of failing calls.
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Tab, TabList, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { ServiceName } from "../../shared/contract/endpoints";
import { useConnectionSettings, useSessions } from "../api/api-context";
import { slotFor, type SignInSlot } from "../api/session-store";
import { slotLabel } from "../features/connection/slot-labels";
import { LazyPanel } from "../ui/lazy-panel";
import { useNavigationRequest } from "../ui/navigation";
import { panels, preloadOtherTabs, saveTab, savedTab, tabs, type TabId } from "./tab-panels";

const useStyles = makeStyles({
  // Six tabs do not fit a narrow task pane on one line: let them wrap rather than hide one.
  tabs: { flexWrap: "wrap", rowGap: tokens.spacingVerticalXXS },
});

/** The first sign-in a tab needs that nobody has made (an expired one has its dialog instead). */
function useMissingSignIn(needs: readonly ServiceName[]): SignInSlot | undefined {
  const { mode } = useConnectionSettings();
  const sessions = useSessions();
  return needs.map((service) => slotFor(mode, service)).find((slot) => sessions[slot].status === "signed-out");
}

function NeedsSignIn({ tab, needs, onOpenAccount, children }: { tab: string; needs: readonly ServiceName[]; onOpenAccount: () => void; children: ReactNode }) {
  const missing = useMissingSignIn(needs);
  if (!missing) return <>{children}</>;
  const label = slotLabel(missing);
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Sign in to {label}</MessageBarTitle>
        The {tab} tab works with {label}. Sign in to it in Account, and this tab opens.
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onOpenAccount}>
          Open Account
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/**
 * `focusFirst`: the person has just signed in, and the form they typed in is gone; focus goes to
 * the selected tab, the first control of the work, from which the arrow keys reach every feature
 * and Tab the tab's own first action.
 */
export function Workspace({ documentKey, hasDocument, focusFirst = false }: { documentKey: string; hasDocument: boolean; focusFirst?: boolean }) {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>(savedTab);
  const selectedTab = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusFirst) selectedTab.current?.focus();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
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
  const current = tabs.find((t) => t.id === tab) ?? tabs[0];

  return (
    <>
      <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, data) => selectTab(data.value as TabId)} aria-label="Sidecar features">
        {tabs.map((t) => (
          <Tab key={t.id} value={t.id} ref={t.id === tab ? selectedTab : undefined}>
            {t.label}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={current.label}>
        <NeedsSignIn tab={current.label} needs={current.needs} onOpenAccount={() => selectTab("account")}>
          {tab === "documents" && <LazyPanel panel={panels.documents} label="your documents" props={{ documentKey, hasDocument }} />}
          {tab === "generate" && <LazyPanel panel={panels.generate} label="Generate" props={{ documentKey, hasDocument }} />}
          {/* Without a document the tab still shows what a chat citation cites. */}
          {tab === "sources" && <LazyPanel key={documentKey} panel={panels.sources} label="Sources" props={{ documentKey, hasDocument }} />}
          {tab === "chat" && <LazyPanel panel={panels.chat} label="Chat" props={{ documentKey, hasDocument }} />}
          {tab === "batch" && <LazyPanel panel={panels.batch} label="Batch" props={{}} />}
          {tab === "account" && <LazyPanel panel={panels.account} label="Account" props={{}} />}
        </NeedsSignIn>
      </div>
    </>
  );
}
