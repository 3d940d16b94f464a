// The task pane itself: sign-in when signed out, otherwise the features as tabs. When a sign-in
// expires mid-work, that service's sign-in opens as a dialog above the tabs so nothing on them is
// lost; with several expired, one after the other. Changing the connection (Account → Connection)
// never takes the tabs away: they stay, and each says which service it still needs.
import { Caption1, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useConnectionSettings, usePaneSignIn } from "../api/api-context";
import type { ConnectionMode } from "../api/connection-settings";
import type { SignInSlot } from "../api/session-store";
import { SignInScreen } from "../features/connection/sign-in-screen";
import { LazyPanel, lazyNamed } from "../ui/lazy-panel";
import { useDocumentHost } from "../office/host-context";
import { t } from "../i18n";
import { ShortcutsHelp } from "./shortcuts-help";
import { panels, savedTab } from "./tab-panels";

// The tabs (and each tab's code) load after the first paint; sign-in is in the first chunk.
const workspace = lazyNamed<{ documentKey: string; hasDocument: boolean; focusFirst: boolean }>(() => import(/* webpackChunkName: "workspace" */ "./workspace"), "Workspace");
// Only needed when a sign-in expires; fetched soon after signing in so it is there by then.
const expiredDialog = lazyNamed<{ slot: SignInSlot }>(
  () => import(/* webpackChunkName: "session-dialog" */ "../features/connection/expired-session-dialog"),
  "ExpiredSessionDialog",
);
const PRELOAD_DELAY_MS = 2000;

const useStyles = makeStyles({
  pane: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    boxSizing: "border-box",
    minWidth: 0,
  },
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, minWidth: 0 },
  title: { flexGrow: 1 },
  who: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
});

/**
 * Whether the work (tabs) shows: when signed in to something, and also right after the connection
 * mode changed under open work (the tabs stay mounted with what was typed; each names the sign-in
 * it needs). Signing out in the same mode returns to the sign-in screen.
 */
function useShowWork(signedIn: boolean, mode: ConnectionMode): boolean {
  const [workMode, setWorkMode] = useState<ConnectionMode | undefined>(signedIn ? mode : undefined);
  const show = signedIn || (workMode !== undefined && workMode !== mode);
  if (signedIn && workMode !== mode) setWorkMode(mode);
  if (!show && workMode !== undefined) setWorkMode(undefined);
  return show;
}

export function Pane({ documentKey, hasDocument }: { documentKey: string; hasDocument: boolean }) {
  const styles = useStyles();
  const host = useDocumentHost();
  const state = usePaneSignIn();
  const { mode } = useConnectionSettings();
  const signedIn = state.status !== "signed-out";
  const showWork = useShowWork(signedIn, mode);
  if (showWork) {
    // The tab list's code and the remembered tab's code are fetched side by side, not one after the other.
    workspace.preload();
    panels[savedTab()].preload();
  }
  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(() => expiredDialog.preload(), PRELOAD_DELAY_MS);
    return () => clearTimeout(timer);
  }, [signedIn]);
  const expired = state.status === "signed-in" ? state.expired[0] : undefined;
  // After signing in here, focus goes to the work (not to the page body where the form was).
  const signedInHere = useRef(false);
  if (!showWork) signedInHere.current = true;
  return (
    <main className={styles.pane}>
      <header className={styles.header}>
        <Text as="h1" size={500} weight="semibold" className={styles.title}>
          {t("app.title")}
        </Text>
        {state.status === "signed-in" && (
          <Caption1 className={styles.who} aria-label={t("app.signedInAs")} title={state.who}>
            {state.who}
          </Caption1>
        )}
        <ShortcutsHelp />
      </header>
      {!host.info.supported && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t("app.wordTooOld")}</MessageBarTitle>
            {host.info.unsupportedReason}
          </MessageBarBody>
        </MessageBar>
      )}
      {showWork ? (
        <>
          <LazyPanel panel={workspace} label={t("app.title")} props={{ documentKey, hasDocument, focusFirst: signedInHere.current }} />
          {expired && <LazyPanel key={expired} panel={expiredDialog} label={t("app.signInLabel")} props={{ slot: expired }} />}
        </>
      ) : (
        <SignInScreen lastWho={state.status === "signed-out" ? state.lastWho : undefined} />
      )}
    </main>
  );
}
