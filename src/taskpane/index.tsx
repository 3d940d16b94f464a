// Entry point of the task pane (and of the browser-tab page). Owned by the lead; the app shell
// lives in app/. Replaced as the shell grows.
import { createRoot } from "react-dom/client";

const root = document.getElementById("root");
if (root) createRoot(root).render(<p>Sidecar is starting…</p>);
