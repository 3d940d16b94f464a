// Entry point of the task pane and of the browser-tab page: find the host (Word or a plain
// browser tab) and the language to speak, build the client, render.
import { createRoot } from "react-dom/client";
import { HttpClient } from "./api/http-client";
import { ConnectionSettingsStore } from "./api/connection-settings";
import { createQueryClient } from "./api/query-client";
import { SessionStore } from "./api/session-store";
import { App } from "./app/app";
import { Providers } from "./app/providers";
import { themeFor } from "./app/theme";
import { setLocale } from "./i18n";
import { localeSources, pickLocale } from "./i18n/locale";
import { connectToHost, isBrowserHost } from "./office/connect-host";

async function main() {
  const rootElement = document.getElementById("root");
  if (!rootElement) return;
  const host = await connectToHost();
  // Word's display language inside Word, the browser's in a tab (i18n/locale.ts); before anything renders.
  setLocale(pickLocale(localeSources(host.info.kind === "word")));
  if (isBrowserHost(host)) void host.restore();
  const theme = await themeFor(host.info);
  const client = new HttpClient({ settings: new ConnectionSettingsStore(), session: new SessionStore() });
  createRoot(rootElement).render(
    <Providers host={host} client={client} queryClient={createQueryClient()} theme={theme}>
      <App />
    </Providers>,
  );
}

void main();
