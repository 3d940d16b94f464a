// Who is signed in, to which server, and the way out.
import { Button, Caption1, Card, CardHeader, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useApiClient, useConnectionSettings, usePaneSignIn } from "../../api/api-context";
import { normalizeServerUrl, validateServerUrl } from "../../api/connection-settings";
import { ErrorMessage } from "../../ui/error-message";
import { useMe } from "./api/get-me";
import { useSignOut } from "./api/sign-out";
import { ServerSettingsFields } from "./server-settings-fields";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

export function AccountPanel() {
  const styles = useStyles();
  const client = useApiClient();
  const state = usePaneSignIn();
  const settings = useConnectionSettings();
  const email = state.status === "signed-in" ? state.who : "";
  const me = useMe(email, state.status === "signed-in");
  const signOut = useSignOut();
  const [draft, setDraft] = useState({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  const changed = draft.serverUrl !== settings.serverUrl || draft.apiKey !== settings.apiKey;
  const origin = globalThis.location?.origin ?? "";

  return (
    <div className={styles.column}>
      <Card>
        <CardHeader
          header={<Text weight="semibold">{email || "Not signed in"}</Text>}
          description={
            <Caption1>
              {me.data ? `Organization: ${me.data.organization?.name ?? "—"}` : me.isLoading ? "Loading…" : ""} · Server: {client.serverLabel()}
            </Caption1>
          }
        />
        {me.error && <ErrorMessage error={me.error} onRetry={() => me.refetch()} />}
        <div className={styles.row}>
          <Button onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </Button>
          {signOut.isPending && <Spinner size="tiny" label="Signing out…" />}
        </div>
      </Card>
      <form
        className={styles.column}
        aria-label="Server settings"
        onSubmit={(event) => {
          event.preventDefault();
          if (validateServerUrl(draft.serverUrl)) return;
          const serverUrl = normalizeServerUrl(draft.serverUrl);
          client.settings.update({ serverUrl, apiKey: draft.apiKey.trim() });
          // Tokens belong to the server that issued them: a new server needs a new sign-in.
          if (serverUrl !== settings.serverUrl) client.session.signOut("sidecar");
        }}
      >
        <Text weight="semibold">Server settings</Text>
        <ServerSettingsFields draft={draft} onChange={setDraft} defaultOrigin={origin} />
        <div className={styles.row}>
          <Button type="submit" disabled={!changed}>
            Save server settings
          </Button>
          {draft.serverUrl !== settings.serverUrl && <Caption1>Saving a different server signs you out here.</Caption1>}
        </div>
      </form>
    </div>
  );
}
