// The shell: in Word, the pane alone; in a browser tab, the picked document beside the pane.
import { makeStyles, tokens } from "@fluentui/react-components";
import { useSyncExternalStore } from "react";
import type { BrowserHost } from "../office/browser-host";
import { isBrowserHost } from "../office/connect-host";
import { useDocumentHost } from "../office/host-context";
import { t } from "../i18n";
import { LiveAnnouncer } from "../ui/announcer";
import { LazyPanel, lazyNamed } from "../ui/lazy-panel";
import { Pane } from "./pane";

// Only the browser tab shows the picked document; Word's pane never loads this code. The pane
// beside it does not wait for it.
const documentPanel = lazyNamed<{ host: BrowserHost }>(() => import(/* webpackChunkName: "browser-panel" */ "./browser-document-panel"), "BrowserDocumentPanel");

const useStyles = makeStyles({
  // The page itself never scrolls: the document area and the pane are each their own scroller,
  // so moving the selection in the document (which scrolls the preview) never moves the pane.
  // Narrower than 720 px they stack, the document above with two fifths of the height.
  browserLayout: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) minmax(320px, 400px)",
    gridTemplateRows: "minmax(0, 1fr)",
    height: "100vh",
    overflow: "hidden",
    "@media (max-width: 720px)": { gridTemplateColumns: "minmax(0, 1fr)", gridTemplateRows: "minmax(0, 2fr) minmax(0, 3fr)" },
  },
  side: {
    overflowY: "auto",
    minHeight: 0,
    borderLeft: `1px solid ${tokens.colorNeutralStroke2}`,
    "@media (max-width: 720px)": { borderLeft: "none", borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
  },
});

export function App() {
  const host = useDocumentHost();
  // The live region is outside the pane's <main>: what it says is for screen readers only.
  return (
    <>
      {isBrowserHost(host) ? <BrowserApp host={host} /> : <Pane documentKey="word" hasDocument />}
      <LiveAnnouncer />
    </>
  );
}

function BrowserApp({ host }: { host: BrowserHost }) {
  const styles = useStyles();
  const snapshot = useSyncExternalStore(host.subscribe, host.getSnapshot);
  const ready = snapshot.status === "ready";
  return (
    <div className={styles.browserLayout}>
      <LazyPanel panel={documentPanel} label={t("app.theDocument")} props={{ host }} />
      <aside className={styles.side} aria-label={t("app.paneLabel")}>
        <Pane documentKey={ready ? `browser:${snapshot.name}:${snapshot.key ?? ""}` : "browser:none"} hasDocument={ready} />
      </aside>
    </div>
  );
}
