// Signing in to Documents (Artos) (docs/vendors.md Artos §1): with a user id (Sidecar obtains the token, and
// obtains it again when it runs out), or with a pasted organization token.
import { Button, Field, Input, Link, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useRef, useState, type FormEvent } from "react";
import { serviceLabel } from "../../api/connection-settings";
import { t } from "../../i18n";
import { ErrorMessage } from "../../ui/error-message";
import { useSignInToArtos } from "./api/sign-in-artos";
import { usePrepareSignIn } from "./prepare-sign-in";
import { TokenSignIn } from "./token-sign-in";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
  field: { width: "100%", minWidth: 0 },
  switch: { alignSelf: "flex-start", textAlign: "start" },
});

/** The user id of an earlier user-id sign-in ("user u-7", in the words it was saved with). */
function userIdOf(lastWho: string | undefined): string {
  if (!lastWho) return "";
  for (const prefix of [t("connection.whoArtosUser", { userId: "" }), "user "]) {
    if (prefix && lastWho.startsWith(prefix)) return lastWho.slice(prefix.length);
  }
  return "";
}

export function ArtosSignIn({ lastWho }: { lastWho?: string }) {
  const styles = useStyles();
  const signIn = useSignInToArtos();
  const [method, setMethod] = useState<"user" | "token">("user");
  const [userId, setUserId] = useState(() => userIdOf(lastWho));
  const [missing, setMissing] = useState(false);
  const prepare = usePrepareSignIn();
  const label = serviceLabel("documents");
  const choose = (next: "user" | "token") => {
    signIn.reset();
    setMethod(next);
  };

  const userIdInput = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!userId.trim());
    if (!userId.trim()) userIdInput.current?.focus();
    else if (prepare()) signIn.mutate({ userId });
  };

  return (
    <div className={styles.form}>
      {method === "user" ? (
        <form className={styles.form} onSubmit={submit} aria-label={t("connection.signInTo", { service: label })} noValidate>
          <Field
            className={styles.field}
            label={t("connection.userId")}
            required
            hint={t("connection.userIdHint")}
            validationMessage={missing ? t("connection.userIdMissing") : undefined}
          >
            <Input ref={userIdInput} className={styles.field} autoComplete="username" value={userId} onChange={(_, data) => setUserId(data.value)} />
          </Field>
          {signIn.error && <ErrorMessage error={signIn.error} title={t("connection.signInFailed")} />}
          <div className={styles.actions}>
            <Button appearance="primary" type="submit" disabled={signIn.isPending}>
              {t("connection.signIn")}
            </Button>
            {signIn.isPending && <Spinner size="tiny" label={t("connection.signingIn")} />}
          </div>
        </form>
      ) : (
        <TokenSignIn
          label={t("connection.pasteServiceToken", { service: label })}
          fieldLabel={t("connection.organizationToken")}
          hint={t("connection.organizationTokenHint")}
          pending={signIn.isPending}
          error={signIn.error}
          onSubmit={(token) => signIn.mutate({ token })}
        />
      )}
      <Link className={styles.switch} as="button" type="button" onClick={() => choose(method === "user" ? "token" : "user")}>
        {method === "user" ? t("connection.pasteOrganizationToken") : t("connection.useUserId")}
      </Link>
    </div>
  );
}
