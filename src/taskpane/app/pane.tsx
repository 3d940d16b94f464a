// The task pane itself: sign-in when signed out, otherwise the features as tabs. When a session
// expires mid-work, sign-in opens as a dialog above the tabs so nothing on them is lost.
import { Caption1, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect } from "react";
import { usePaneSignIn } from "../api/api-context";
import { SignInForm } from "../features/connection/sign-in-form";
import { LazyPanel, lazyNamed } from "../ui/lazy-panel";
import { useDocumentHost } from "../office/host-context";
import { panels, savedTab } from "./tab-panels";

// The tabs (and each tab's code) load after the first paint; sign-in is in the first chunk.
const workspace = lazyNamed<{ documentKey: string; hasDocument: boolean }>(() => import(/* webpackChunkName: "workspace" */ "./workspace"), "Workspace");
// Only needed when a session expires; fetched soon after signing in so it is there by then.
const expiredDialog = lazyNamed<{ lastEmail?: string }>(() => import(/* webpackChunkName: "session-dialog" */ "../features/connection/expired-session-dialog"), "ExpiredSessionDialog");
const PRELOAD_DELAY_MS = 2000;

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
});

export function Pane({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const host = useDocumentHost();
  const state = usePaneSignIn();
  const signedIn = state.status !== "signed-out";
  if (signedIn) {
    // The tab list's code and the remembered tab's code are fetched side by side, not one after the other.
    workspace.preload();
    panels[savedTab()].preload();
  }
  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(() => expiredDialog.preload(), PRELOAD_DELAY_MS);
    return () => clearTimeout(timer);
  }, [signedIn]);
  return (
    <main className={styles.pane}>
      <header className={styles.header}>
        <Text as="h1" size={500} weight="semibold">
          Sidecar
        </Text>
        {state.status === "signed-in" && <Caption1 aria-label="Signed in as">{state.who}</Caption1>}
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
        <SignInForm lastEmail={state.lastWho} intro="Sign in to your Sidecar server to upload and work with your documents." />
      ) : (
        <>
          <LazyPanel panel={workspace} label="Sidecar" props={{ documentKey, hasDocument }} />
          {state.status === "signed-in" && state.expired.length > 0 && <LazyPanel panel={expiredDialog} label="sign-in" props={{ lastEmail: state.who }} />}
        </>
      )}
    </main>
  );
}
