// The pane's providers: Fluent theme derived from the Office theme, one QueryClient, the API
// client and the document host.
import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
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
  children,
}: {
  host: DocumentHost;
  client: HttpClient;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <FluentProvider theme={host.info.darkTheme ? webDarkTheme : webLightTheme} style={{ minHeight: "100vh" }}>
      <QueryClientProvider client={queryClient}>
        <ApiClientProvider client={client}>
          <HostProvider host={host}>{children}</HostProvider>
        </ApiClientProvider>
      </QueryClientProvider>
    </FluentProvider>
  );
}
