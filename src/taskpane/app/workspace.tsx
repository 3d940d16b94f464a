// The signed-in pane: the features as tabs, each tab its own chunk (tab-panels.ts). The tab in use is remembered;
// another tab can ask for one (a chat citation opens Sources). A tab whose service has no sign-in
// (separate services) says which one to sign in to, with a way to Account, instead of failing calls.
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Tab,
  TabList,
  makeStyles,
  mergeClasses,
} from "@fluentui/react-components";
import {
  BookSearchFilled,
  BookSearchRegular,
  ChatFilled,
  ChatRegular,
  DocumentFilled,
  DocumentRegular,
  PersonFilled,
  PersonRegular,
  SparkleFilled,
  SparkleRegular,
  TagMultipleFilled,
  TagMultipleRegular,
  bundleIcon,
} from "@fluentui/react-icons";
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { ServiceName } from "../../shared/contract/endpoints";
import { useConnectionSettings, useSessions } from "../api/api-context";
import { slotFor, type SignInSlot } from "../api/session-store";
import { slotLabel } from "../features/connection/slot-labels";
import { t } from "../i18n";
import { LazyPanel } from "../ui/lazy-panel";
import { useNavigationRequest } from "../ui/navigation";
import { panels, preloadOtherTabs, saveTab, savedTab, tabLabel, tabs, type TabId } from "./tab-panels";

const icons: Record<TabId, ReturnType<typeof bundleIcon>> = {
  documents: bundleIcon(DocumentFilled, DocumentRegular),
  generate: bundleIcon(SparkleFilled, SparkleRegular),
  sources: bundleIcon(BookSearchFilled, BookSearchRegular),
  chat: bundleIcon(ChatFilled, ChatRegular),
  batch: bundleIcon(TagMultipleFilled, TagMultipleRegular),
  account: bundleIcon(PersonFilled, PersonRegular),
};

const useStyles = makeStyles({
  // One row, always: measured, the labels collapse (useFittingLabels) before anything wraps or scrolls.
  tabs: { flexWrap: "nowrap", overflow: "hidden", minWidth: 0 },
  tab: { flexShrink: 0 },
  hiddenLabel: {
    position: "absolute",
    width: "1px",
    height: "1px",
    margin: "-1px",
    overflow: "hidden",
    clip: "rect(0 0 0 0)",
    whiteSpace: "nowrap",
  },
  panel: { minWidth: 0 },
});

/**
 * How much of the tab names fits on one row: every name (0), only the selected tab's (1), or
 * icons only (2, each name still the tab's accessible name and its tooltip). Measured rather than
 * guessed from the width, because German names are longer than English ones. Starts from every
 * name again when the pane is resized or another tab is selected.
 */
function useFittingLabels(list: React.RefObject<HTMLDivElement | null>, selected: TabId): 0 | 1 | 2 {
  const [level, setLevel] = useState<0 | 1 | 2>(0);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = list.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [list]);
  useLayoutEffect(() => setLevel(0), [width, selected]);
  // After each render at a level: one step narrower while the row still overflows.
  useLayoutEffect(() => {
    const element = list.current;
    if (element && level < 2 && element.scrollWidth > element.clientWidth + 1) setLevel((level + 1) as 1 | 2);
  }, [list, level, width, selected]);
  return level;
}

/** The first sign-in a tab needs that nobody has made (an expired one has its dialog instead). */
function useMissingSignIn(needs: readonly ServiceName[]): SignInSlot | undefined {
  const { mode } = useConnectionSettings();
  const sessions = useSessions();
  return needs.map((service) => slotFor(mode, service)).find((slot) => sessions[slot].status === "signed-out");
}

function NeedsSignIn({ tab, needs, onOpenAccount, children }: { tab: string; needs: readonly ServiceName[]; onOpenAccount: () => void; children: ReactNode }) {
  const missing = useMissingSignIn(needs);
  if (!missing) return <>{children}</>;
  const service = slotLabel(missing);
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t("app.needsSignInTitle", { service })}</MessageBarTitle>
        {t("app.needsSignInBody", { tab, service })}
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onOpenAccount}>
          {t("app.openAccount")}
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
  const list = useRef<HTMLDivElement>(null);
  const fit = useFittingLabels(list, tab);
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
  const current = tabs.find((candidate) => candidate.id === tab) ?? tabs[0];
  const currentLabel = tabLabel(current.id);

  return (
    <>
      <TabList
        ref={list}
        className={styles.tabs}
        size="small"
        selectedValue={tab}
        onTabSelect={(_, data) => selectTab(data.value as TabId)}
        aria-label={t("app.tabListLabel")}
      >
        {tabs.map(({ id }) => {
          const label = tabLabel(id);
          const Icon = icons[id];
          const collapsed = fit === 2 || (fit === 1 && id !== tab);
          // A collapsed tab keeps its name for assistive technology (visually hidden) and shows it
          // on hover as a plain title: a Fluent Tooltip would take the first Esc (which stops an answer).
          return (
            <Tab key={id} className={styles.tab} value={id} icon={<Icon />} ref={id === tab ? selectedTab : undefined} title={collapsed ? label : undefined}>
              <span className={mergeClasses(collapsed && styles.hiddenLabel)}>{label}</span>
            </Tab>
          );
        })}
      </TabList>
      <div role="tabpanel" aria-label={currentLabel} className={styles.panel}>
        <NeedsSignIn tab={currentLabel} needs={current.needs} onOpenAccount={() => selectTab("account")}>
          {tab === "documents" && <LazyPanel panel={panels.documents} label={currentLabel} props={{ documentKey, hasDocument }} />}
          {tab === "generate" && <LazyPanel panel={panels.generate} label={currentLabel} props={{ documentKey, hasDocument }} />}
          {/* Without a document the tab still shows what a chat citation cites. */}
          {tab === "sources" && <LazyPanel key={documentKey} panel={panels.sources} label={currentLabel} props={{ documentKey, hasDocument }} />}
          {tab === "chat" && <LazyPanel panel={panels.chat} label={currentLabel} props={{ documentKey, hasDocument }} />}
          {tab === "batch" && <LazyPanel panel={panels.batch} label={currentLabel} props={{}} />}
          {tab === "account" && <LazyPanel panel={panels.account} label={currentLabel} props={{}} />}
        </NeedsSignIn>
      </div>
    </>
  );
}
