// One Sidecar server: who is signed in, the server's address and API key, and "Test connection".
// Saving a different address keeps the work on screen and asks to sign in there (the old sign-in
// belongs to the old server).
import { Button, Caption1, Card, CardHeader, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useRef, useState } from "react";
import { useApiClient, useConnectionSettings, useSessions } from "../../api/api-context";
import { normalizeServerUrl, validateServerUrl } from "../../api/connection-settings";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { useMe } from "./api/get-me";
import { useSignOut } from "./api/sign-out";
import { ServerSettingsFields } from "./server-settings-fields";
import { TestConnection } from "./test-connection-result";
import { t } from "../../i18n";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  wrap: { overflowWrap: "anywhere" },
});

/** The server address and key as typed, and saving them. */
function useServerSettingsDraft() {
  const client = useApiClient();
  const settings = useConnectionSettings();
  const [draft, setDraft] = useState({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  const changed = draft.serverUrl !== settings.serverUrl || draft.apiKey !== settings.apiKey;
  const address = useRef<HTMLInputElement>(null);
  const save = () => {
    // Not a web address: focus goes to the field, whose words say so.
    if (validateServerUrl(draft.serverUrl)) {
      address.current?.focus();
      return;
    }
    const before = client.serverLabel();
    const serverUrl = normalizeServerUrl(draft.serverUrl);
    client.settings.update({ serverUrl, apiKey: draft.apiKey.trim() });
    setDraft({ serverUrl, apiKey: draft.apiKey.trim() });
    const after = client.serverLabel();
    // Tokens belong to the server that issued them: sign in there, with the work kept on screen.
    if (after !== before && client.session.credentials("sidecar")) {
      client.session.expire("sidecar", t("connection.serverChanged", { after, before }));
    }
    if (changed) announce(t("connection.saved"));
  };
  return { draft, setDraft, changed, save, address, addressChanged: draft.serverUrl !== settings.serverUrl };
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
          header={
            <Text weight="semibold" className={styles.wrap}>
              {who || t("connection.notSignedIn")}
            </Text>
          }
          description={
            <Caption1 className={styles.wrap}>
              {me.data
                ? t("connection.cardOrganization", { organization: me.data.organization?.name ?? "—", server: client.serverLabel() })
                : me.isLoading
                  ? t("connection.cardLoading", { server: client.serverLabel() })
                  : t("connection.server", { server: client.serverLabel() })}
            </Caption1>
          }
        />
        {me.error && <ErrorMessage error={me.error} onRetry={() => me.refetch()} />}
        {state.status === "signed-in" && (
          <div className={styles.row}>
            <Button onClick={() => signOut.mutate("sidecar")} disabled={signOut.isPending}>
              {t("connection.signOut")}
            </Button>
            {signOut.isPending && <Spinner size="tiny" label={t("connection.signingOut")} />}
          </div>
        )}
      </Card>
      <form
        className={styles.column}
        aria-label={t("connection.serverSettings")}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          server.save();
        }}
      >
        <Text weight="semibold">{t("connection.serverSettings")}</Text>
        <ServerSettingsFields draft={server.draft} onChange={server.setDraft} defaultOrigin={origin} addressRef={server.address} />
        <div className={styles.row}>
          <Button type="submit" disabled={!server.changed}>
            {t("connection.saveServerSettings")}
          </Button>
          {server.addressChanged && state.status === "signed-in" && <Caption1>{t("connection.savingAsksSignIn")}</Caption1>}
        </div>
      </form>
      <TestConnection service="ejento" unsaved={server.changed} />
    </div>
  );
}
