// One Sidecar server: who is signed in, the server's address and API key, and "Test connection".
// Saving a different address keeps the work on screen and asks to sign in there (the old sign-in
// belongs to the old server).
import { Button, Caption1, Card, CardHeader, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useApiClient, useConnectionSettings, useSessions } from "../../api/api-context";
import { normalizeServerUrl, validateServerUrl } from "../../api/connection-settings";
import { ErrorMessage } from "../../ui/error-message";
import { useMe } from "./api/get-me";
import { useSignOut } from "./api/sign-out";
import { ServerSettingsFields } from "./server-settings-fields";
import { TestConnection } from "./test-connection-result";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

/** The server address and key as typed, and saving them. */
function useServerSettingsDraft() {
  const client = useApiClient();
  const settings = useConnectionSettings();
  const [draft, setDraft] = useState({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  const changed = draft.serverUrl !== settings.serverUrl || draft.apiKey !== settings.apiKey;
  const save = () => {
    if (validateServerUrl(draft.serverUrl)) return;
    const before = client.serverLabel();
    const serverUrl = normalizeServerUrl(draft.serverUrl);
    client.settings.update({ serverUrl, apiKey: draft.apiKey.trim() });
    setDraft({ serverUrl, apiKey: draft.apiKey.trim() });
    const after = client.serverLabel();
    // Tokens belong to the server that issued them: sign in there, with the work kept on screen.
    if (after !== before && client.session.credentials("sidecar")) {
      client.session.expire("sidecar", `The server address changed to ${after}. Sign in there; the sign-in at ${before} is no longer used.`);
    }
  };
  return { draft, setDraft, changed, save, addressChanged: draft.serverUrl !== settings.serverUrl };
}

export function SidecarConnection() {
  const styles = useStyles();
  const client = useApiClient();
  const settings = useConnectionSettings();
  const state = useSessions().sidecar;
  const who = state.status === "signed-in" ? state.credentials.who : "";
  const me = useMe(who, state.status === "signed-in" && settings.mode === "sidecar");
  const signOut = useSignOut();
  const server = useServerSettingsDraft();
  const origin = globalThis.location?.origin ?? "";

  return (
    <div className={styles.column}>
      <Card>
        <CardHeader
          header={<Text weight="semibold">{who || "Not signed in"}</Text>}
          description={
            <Caption1>
              {me.data ? `Organization: ${me.data.organization?.name ?? "—"} · ` : me.isLoading ? "Loading… · " : ""}Server: {client.serverLabel()}
            </Caption1>
          }
        />
        {me.error && <ErrorMessage error={me.error} onRetry={() => me.refetch()} />}
        {state.status === "signed-in" && (
          <div className={styles.row}>
            <Button onClick={() => signOut.mutate("sidecar")} disabled={signOut.isPending}>
              Sign out
            </Button>
            {signOut.isPending && <Spinner size="tiny" label="Signing out…" />}
          </div>
        )}
      </Card>
      <form
        className={styles.column}
        aria-label="Server settings"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          server.save();
        }}
      >
        <Text weight="semibold">Server settings</Text>
        <ServerSettingsFields draft={server.draft} onChange={server.setDraft} defaultOrigin={origin} />
        <div className={styles.row}>
          <Button type="submit" disabled={!server.changed}>
            Save server settings
          </Button>
          {server.addressChanged && state.status === "signed-in" && <Caption1>Saving a different server asks you to sign in there.</Caption1>}
        </div>
      </form>
      <TestConnection service="ejento" unsaved={server.changed} />
    </div>
  );
}
