// Sign in to the Sidecar server: e-mail and password, with the server's address at hand (plus an
// e-mail code and SSO buttons when the server's flags turn them on). What the person typed stays
// in the fields when sign-in fails. This form is in the pane's first chunk; the other methods load
// after its first paint.
import { Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import { normalizeServerUrl, validateServerUrl } from "../../api/connection-settings";
import { lazyNamed } from "../../ui/lazy-panel";
import { useSignIn } from "./api/sign-in";
import { EmailPasswordForm } from "./email-password-form";
import { OptionalLazy } from "./optional-lazy";
import type { FormMethod } from "./other-sign-in-methods";
import { PrepareSignIn } from "./prepare-sign-in";
import { ServerSettingsFields, type ServerSettingsDraft } from "./server-settings-fields";
import { t } from "../../i18n";

const otherMethods = lazyNamed<{ method: FormMethod; onMethod: (method: FormMethod) => void; lastEmail?: string }>(
  () => import(/* webpackChunkName: "sign-in-methods" */ "./other-sign-in-methods"),
  "OtherSignInMethods",
);

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  server: { overflowWrap: "anywhere" },
  switch: { alignSelf: "flex-start", textAlign: "start" },
});

/** The server address and key as typed here, saved just before any sign-in. */
function useServerDraft() {
  const client = useApiClient();
  const settings = useConnectionSettings();
  const [showServer, setShowServer] = useState(Boolean(settings.serverUrl || settings.apiKey));
  const [draft, setDraft] = useState<ServerSettingsDraft>({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  // The address field takes focus when it opens ("Change server") or has words under it.
  const address = useRef<HTMLInputElement>(null);
  const [focusAddress, setFocusAddress] = useState(0);
  useEffect(() => {
    if (focusAddress) address.current?.focus();
  }, [focusAddress]);
  const openServer = () => {
    setShowServer(true);
    setFocusAddress((n) => n + 1);
  };
  /** Saves the typed address (false, with the fields open, when it is not a web address). */
  const apply = (): boolean => {
    if (validateServerUrl(draft.serverUrl)) {
      openServer();
      return false;
    }
    const serverUrl = normalizeServerUrl(draft.serverUrl);
    const apiKey = draft.apiKey.trim();
    if (serverUrl !== settings.serverUrl || apiKey !== settings.apiKey) client.settings.update({ serverUrl, apiKey });
    return true;
  };
  return { showServer, openServer, address, draft, setDraft, apply, label: client.serverLabel() };
}

export function SignInForm({ lastEmail, intro, onUseSeparate }: { lastEmail?: string; intro?: string; onUseSeparate?: () => void }) {
  const styles = useStyles();
  const signIn = useSignIn();
  const server = useServerDraft();
  const [method, setMethod] = useState<FormMethod>("password");
  const origin = globalThis.location?.origin ?? "";

  return (
    <PrepareSignIn.Provider value={server.apply}>
      <div className={styles.column}>
        {method === "password" ? (
          <EmailPasswordForm
            label={t("connection.signIn")}
            intro={intro}
            lastEmail={lastEmail}
            pending={signIn.isPending}
            error={signIn.error}
            onSubmit={(input) => signIn.mutate(input)}
          >
            {server.showServer ? (
              <ServerSettingsFields draft={server.draft} onChange={server.setDraft} defaultOrigin={origin} addressRef={server.address} />
            ) : (
              <Text size={200} className={styles.server}>
                {t("connection.server", { server: server.label })}{" "}
                <Link as="button" type="button" onClick={server.openServer}>
                  {t("connection.changeServer")}
                </Link>
              </Text>
            )}
          </EmailPasswordForm>
        ) : (
          intro && <Text>{intro}</Text>
        )}
        <OptionalLazy panel={otherMethods} props={{ method, onMethod: setMethod, lastEmail }} />
        {onUseSeparate && (
          <Link className={styles.switch} as="button" type="button" onClick={onUseSeparate}>
            {t("connection.useSeparate")}
          </Link>
        )}
      </div>
    </PrepareSignIn.Provider>
  );
}
