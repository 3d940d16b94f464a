// E-mail and password, the way the Sidecar server, Ejento and the tag generator sign in. What the
// person typed stays in the fields when sign-in fails; Enter in any field submits.
import { Button, Field, Input, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { ErrorMessage } from "../../ui/error-message";
import { usePrepareSignIn } from "./prepare-sign-in";
import { t } from "../../i18n";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
  field: { width: "100%", minWidth: 0 },
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
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lacking = !email.trim() ? "email" : !password ? "password" : undefined;
    setMissing(lacking);
    // The empty field gets focus, so the words under it are read.
    if (lacking) (lacking === "email" ? emailInput : passwordInput).current?.focus();
    else if (prepare()) onSubmit({ email, password });
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label={label} noValidate>
      {intro && <Text>{intro}</Text>}
      <Field className={styles.field} label={t("connection.email")} required validationMessage={missing === "email" ? t("connection.emailMissing") : undefined}>
        <Input ref={emailInput} className={styles.field} type="email" autoComplete="username" value={email} onChange={(_, data) => setEmail(data.value)} />
      </Field>
      <Field className={styles.field} label={t("connection.password")} required validationMessage={missing === "password" ? t("connection.passwordMissing") : undefined}>
        <Input ref={passwordInput} className={styles.field} type="password" autoComplete="current-password" value={password} onChange={(_, data) => setPassword(data.value)} />
      </Field>
      {children}
      {error != null && <ErrorMessage error={error} title={t("connection.signInFailed")} />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={pending}>
          {t("connection.signIn")}
        </Button>
        {pending && <Spinner size="tiny" label={t("connection.signingIn")} />}
      </div>
    </form>
  );
}
