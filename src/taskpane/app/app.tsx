// The shell: in Word, the pane alone; in a browser tab, the picked document beside the pane.
import { makeStyles, tokens } from "@fluentui/react-components";
import { useSyncExternalStore } from "react";
import { isBrowserHost, type BrowserHost } from "../office/browser-host";
import { useDocumentHost } from "../office/host-context";
import { BrowserDocumentPanel } from "./browser-document-panel";
import { Pane } from "./pane";

const useStyles = makeStyles({
  browserLayout: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) minmax(320px, 400px)",
    height: "100vh",
    "@media (max-width: 720px)": { gridTemplateColumns: "1fr", height: "auto" },
  },
  side: { overflowY: "auto", borderLeft: `1px solid ${tokens.colorNeutralStroke2}` },
});

export function App() {
  const host = useDocumentHost();
  return isBrowserHost(host) ? <BrowserApp host={host} /> : <Pane documentKey="word" hasDocument />;
}

function BrowserApp({ host }: { host: BrowserHost }) {
  const styles = useStyles();
  const snapshot = useSyncExternalStore(host.subscribe, host.getSnapshot);
  const ready = snapshot.status === "ready";
  return (
    <div className={styles.browserLayout}>
      <BrowserDocumentPanel host={host} />
      <aside className={styles.side} aria-label="Sidecar pane">
        <Pane documentKey={ready ? `browser:${snapshot.name}:${snapshot.key ?? ""}` : "browser:none"} hasDocument={ready} />
      </aside>
    </div>
  );
}
