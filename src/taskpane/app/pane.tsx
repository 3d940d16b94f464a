// The task pane itself: sign-in when signed out, otherwise the features as tabs. When a session
// expires mid-work, sign-in opens as a dialog above the tabs so nothing on them is lost.
import {
  Caption1,
  Dialog,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useSessionState } from "../api/api-context";
import { readJson, writeJson } from "../api/local-store";
import { AccountPanel } from "../features/connection/account-panel";
import { SignInForm } from "../features/connection/sign-in-form";
import { DocumentsTab } from "../features/documents/documents-tab";
import { GenerateTab } from "../features/generate/generate-tab";
import { SourcesTab } from "../features/sources/sources-tab";
import { ChatTab } from "../features/chat/chat-tab";
import { useNavigationRequest } from "../ui/navigation";
import { useDocumentHost } from "../office/host-context";

const useStyles = makeStyles({
  pane: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    boxSizing: "border-box",
    minWidth: "280px",
  },
  header: { display: "flex", alignItems: "baseline", justifyContent: "space-between", gap: tokens.spacingHorizontalS },
  // Five tabs do not fit a narrow task pane on one line: let them wrap rather than hide one.
  tabs: { flexWrap: "wrap", rowGap: tokens.spacingVerticalXXS },
});

const tabs = [
  { id: "documents", label: "Documents" },
  { id: "generate", label: "Generate" },
  { id: "sources", label: "Sources" },
  { id: "chat", label: "Chat" },
  { id: "account", label: "Account" },
] as const;
type TabId = (typeof tabs)[number]["id"];
const tabKey = "sidecar.tab";

export function Pane({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const host = useDocumentHost();
  const state = useSessionState();
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
    <main className={styles.pane}>
      <header className={styles.header}>
        <Text as="h1" size={500} weight="semibold">
          Sidecar
        </Text>
        {state.status === "signed-in" && <Caption1 aria-label="Signed in as">{state.session.email}</Caption1>}
      </header>
      {!host.info.supported && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This Word is too old for some features</MessageBarTitle>
            {host.info.unsupportedReason}
          </MessageBarBody>
        </MessageBar>
      )}
      {state.status === "signed-out" ? (
        <SignInForm lastEmail={state.lastEmail} intro="Sign in to your Sidecar server to upload and work with your documents." />
      ) : (
        <>
          <TabList className={styles.tabs} size="small" selectedValue={tab} onTabSelect={(_, data) => selectTab(data.value as TabId)} aria-label="Sidecar features">
            {tabs.map((t) => (
              <Tab key={t.id} value={t.id}>
                {t.label}
              </Tab>
            ))}
          </TabList>
          <div role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label}>
            {tab === "documents" && <DocumentsTab documentKey={documentKey} hasDocument={hasDocument} />}
            {tab === "generate" && <GenerateTab documentKey={documentKey} />}
            {tab === "sources" && (hasDocument ? <SourcesTab key={documentKey} documentKey={documentKey} /> : <Caption1>Open a document to see its sources.</Caption1>)}
            {tab === "chat" && <ChatTab documentKey={documentKey} hasDocument={hasDocument} />}
            {tab === "account" && <AccountPanel />}
          </div>
          <Dialog open={state.status === "expired"} modalType="alert">
            <DialogSurface aria-describedby={undefined}>
              <DialogBody>
                <DialogTitle>Sign in again</DialogTitle>
                <DialogContent>
                  {state.status === "expired" && (
                    <SignInForm
                      lastEmail={state.lastEmail}
                      intro="Your session has expired. Sign in again; what you were doing stays as it was, and you can try it again."
                    />
                  )}
                </DialogContent>
              </DialogBody>
            </DialogSurface>
          </Dialog>
        </>
      )}
    </main>
  );
}
