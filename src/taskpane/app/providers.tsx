// The pane's providers: the Fluent theme (derived from the Office theme, theme.ts), one QueryClient, the API
// client and the document host.
import { FluentProvider, webLightTheme, type Theme } from "@fluentui/react-components";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiClientProvider } from "../api/api-context";
import type { HttpClient } from "../api/http-client";
import type { DocumentHost } from "../office/document-host";
import { HostProvider } from "../office/host-context";

export function Providers({
  host,
  client,
  queryClient,
  theme = webLightTheme,
  children,
}: {
  host: DocumentHost;
  client: HttpClient;
  queryClient: QueryClient;
  /** From themeFor(host.info) (theme.ts); light when not given. */
  theme?: Theme;
  children: ReactNode;
}) {
  return (
    <FluentProvider theme={theme} style={{ minHeight: "100vh" }}>
      <QueryClientProvider client={queryClient}>
        <ApiClientProvider client={client}>
          <HostProvider host={host}>{children}</HostProvider>
        </ApiClientProvider>
      </QueryClientProvider>
    </FluentProvider>
  );
}
