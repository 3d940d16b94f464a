// Signing in to Documents (Artos) (docs/vendors.md Artos §1): with a user id (Sidecar obtains the token, and
// obtains it again when it runs out), or with a pasted organization token.
import { Button, Field, Input, Link, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { serviceLabels } from "../../api/connection-settings";
import { ErrorMessage } from "../../ui/error-message";
import { useSignInToArtos } from "./api/sign-in-artos";
import { usePrepareSignIn } from "./prepare-sign-in";
import { TokenSignIn } from "./token-sign-in";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
});

export function ArtosSignIn({ lastWho }: { lastWho?: string }) {
  const styles = useStyles();
  const signIn = useSignInToArtos();
  const [method, setMethod] = useState<"user" | "token">("user");
  const [userId, setUserId] = useState(lastWho?.startsWith("user ") ? lastWho.slice("user ".length) : "");
  const [missing, setMissing] = useState(false);
  const prepare = usePrepareSignIn();
  const label = serviceLabels.documents;
  const choose = (next: "user" | "token") => {
    signIn.reset();
    setMethod(next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!userId.trim());
    if (userId.trim() && prepare()) signIn.mutate({ userId });
  };

  return (
    <div className={styles.form}>
      {method === "user" ? (
        <form className={styles.form} onSubmit={submit} aria-label={`Sign in to ${label}`} noValidate>
          <Field
            label="User id"
            required
            hint="Your Artos user id; Sidecar obtains the access token with it."
            validationMessage={missing ? "Enter your user id." : undefined}
          >
            <Input autoComplete="username" value={userId} onChange={(_, data) => setUserId(data.value)} />
          </Field>
          {signIn.error && <ErrorMessage error={signIn.error} title="Sign-in failed" />}
          <div className={styles.actions}>
            <Button appearance="primary" type="submit" disabled={signIn.isPending}>
              Sign in
            </Button>
            {signIn.isPending && <Spinner size="tiny" label="Signing in…" />}
          </div>
        </form>
      ) : (
        <TokenSignIn
          label={`Paste a ${label} token`}
          fieldLabel="Organization token"
          hint="It can't be renewed: when it runs out, paste a new one."
          pending={signIn.isPending}
          error={signIn.error}
          onSubmit={(token) => signIn.mutate({ token })}
        />
      )}
      <Link as="button" type="button" onClick={() => choose(method === "user" ? "token" : "user")}>
        {method === "user" ? "Paste an organization token" : "Use a user id"}
      </Link>
    </div>
  );
}
