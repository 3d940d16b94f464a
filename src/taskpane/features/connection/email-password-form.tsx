// E-mail and password, the way the Sidecar server, Ejento and the tag generator sign in. What the
// person typed stays in the fields when sign-in fails; Enter in any field submits.
import { Button, Field, Input, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent, type ReactNode } from "react";
import { ErrorMessage } from "../../ui/error-message";
import { usePrepareSignIn } from "./prepare-sign-in";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
});

export function EmailPasswordForm({
  label,
  intro,
  lastEmail,
  pending,
  error,
  onSubmit,
  children,
}: {
  /** The form's accessible name ("Sign in", "Sign in to Batch tagging"). */
  label: string;
  intro?: string;
  lastEmail?: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: { email: string; password: string }) => void;
  /** More fields inside the same form (the server address), so Enter submits from them too. */
  children?: ReactNode;
}) {
  const styles = useStyles();
  const [email, setEmail] = useState(lastEmail ?? "");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<"email" | "password" | undefined>();
  const prepare = usePrepareSignIn();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lacking = !email.trim() ? "email" : !password ? "password" : undefined;
    setMissing(lacking);
    if (!lacking && prepare()) onSubmit({ email, password });
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label={label} noValidate>
      {intro && <Text>{intro}</Text>}
      <Field label="E-mail" required validationMessage={missing === "email" ? "Enter your e-mail address." : undefined}>
        <Input type="email" autoComplete="username" value={email} onChange={(_, data) => setEmail(data.value)} />
      </Field>
      <Field label="Password" required validationMessage={missing === "password" ? "Enter your password." : undefined}>
        <Input type="password" autoComplete="current-password" value={password} onChange={(_, data) => setPassword(data.value)} />
      </Field>
      {children}
      {error != null && <ErrorMessage error={error} title="Sign-in failed" />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={pending}>
          Sign in
        </Button>
        {pending && <Spinner size="tiny" label="Signing in…" />}
      </div>
    </form>
  );
}
