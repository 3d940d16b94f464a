import { render } from "@testing-library/react";
import { ConnectionSettingsStore } from "../../src/taskpane/api/connection-settings";
import { HttpClient } from "../../src/taskpane/api/http-client";
import { createQueryClient } from "../../src/taskpane/api/query-client";
import { SessionStore } from "../../src/taskpane/api/session-store";
import { Providers } from "../../src/taskpane/app/providers";
import { Pane } from "../../src/taskpane/app/pane";
import type { DocumentHost } from "../../src/taskpane/office/document-host";
import { FakeHost } from "./fake-host";

export const server = "http://sidecar.test";

/**
 * Renders the pane as Word would show it, with a fresh client and query cache. `hasDocument:
 * false` is the browser tab before a document is picked.
 */
export function renderPane(host: DocumentHost = new FakeHost(), { hasDocument = true }: { hasDocument?: boolean } = {}) {
  const settings = new ConnectionSettingsStore();
  const session = new SessionStore();
  const client = new HttpClient({ settings, session, origin: server });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const view = render(
    <Providers host={host} client={client} queryClient={queryClient}>
      <Pane documentKey={hasDocument ? "test" : "none"} hasDocument={hasDocument} />
    </Providers>,
  );
  return { ...view, host, client, session, settings, queryClient };
}
