// Sign in with e-mail and password. What the person typed stays in the fields when sign-in fails.
import { Button, Field, Input, Link, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import { normalizeServerUrl, validateServerUrl } from "../../api/connection-settings";
import { ErrorMessage } from "../../ui/error-message";
import { useSignIn } from "./api/sign-in";
import { ServerSettingsFields, type ServerSettingsDraft } from "./server-settings-fields";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
});

export function SignInForm({ lastEmail, intro }: { lastEmail?: string; intro?: string }) {
  const styles = useStyles();
  const client = useApiClient();
  const settings = useConnectionSettings();
  const signIn = useSignIn();
  const [email, setEmail] = useState(lastEmail ?? "");
  const [password, setPassword] = useState("");
  const [showServer, setShowServer] = useState(Boolean(settings.serverUrl || settings.apiKey));
  const [draft, setDraft] = useState<ServerSettingsDraft>({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  const [missing, setMissing] = useState<string | undefined>();
  const origin = globalThis.location?.origin ?? "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) {
      setMissing(!email.trim() ? "Enter your e-mail address." : "Enter your password.");
      return;
    }
    if (validateServerUrl(draft.serverUrl)) {
      setShowServer(true);
      return;
    }
    setMissing(undefined);
    client.settings.update({ serverUrl: normalizeServerUrl(draft.serverUrl), apiKey: draft.apiKey.trim() });
    signIn.mutate({ email, password });
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="Sign in" noValidate>
      {intro && <Text>{intro}</Text>}
      <Field label="E-mail" required validationMessage={missing?.includes("e-mail") ? missing : undefined}>
        <Input type="email" autoComplete="username" value={email} onChange={(_, data) => setEmail(data.value)} />
      </Field>
      <Field label="Password" required validationMessage={missing?.includes("password") ? missing : undefined}>
        <Input type="password" autoComplete="current-password" value={password} onChange={(_, data) => setPassword(data.value)} />
      </Field>
      {showServer ? (
        <ServerSettingsFields draft={draft} onChange={setDraft} defaultOrigin={origin} />
      ) : (
        <Text size={200}>
          Server: {client.serverLabel()}{" "}
          <Link as="button" type="button" onClick={() => setShowServer(true)}>
            Change server
          </Link>
        </Text>
      )}
      {signIn.error && <ErrorMessage error={signIn.error} title="Sign-in failed" />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={signIn.isPending}>
          Sign in
        </Button>
        {signIn.isPending && <Spinner size="tiny" label="Signing in…" />}
      </div>
    </form>
  );
}
