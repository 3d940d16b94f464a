// A pasted access token (docs/vendors.md Ejento A2.6 for Ejento, docs/vendors.md Artos §1 for an Artos organization token):
// checked against the service before it is kept.
import { Button, Field, Input, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useRef, useState, type FormEvent } from "react";
import { ErrorMessage } from "../../ui/error-message";
import { usePrepareSignIn } from "./prepare-sign-in";
import { t } from "../../i18n";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
  field: { width: "100%", minWidth: 0 },
});

export function TokenSignIn({
  label,
  fieldLabel,
  hint,
  pending,
  error,
  onSubmit,
}: {
  label: string;
  fieldLabel: string;
  hint?: string;
  pending: boolean;
  error: unknown;
  onSubmit: (token: string) => void;
}) {
  const styles = useStyles();
  const [token, setToken] = useState("");
  const [missing, setMissing] = useState(false);
  const prepare = usePrepareSignIn();
  const tokenInput = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMissing(!token.trim());
    if (!token.trim()) tokenInput.current?.focus();
    else if (prepare()) onSubmit(token);
  };
  return (
    <form className={styles.form} onSubmit={submit} aria-label={label} noValidate>
      <Field className={styles.field} label={fieldLabel} required hint={hint} validationMessage={missing ? t("connection.tokenMissing") : undefined}>
        <Input ref={tokenInput} className={styles.field} type="password" autoComplete="off" value={token} onChange={(_, data) => setToken(data.value)} />
      </Field>
      {error != null && <ErrorMessage error={error} title={t("connection.tokenFailed")} />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={pending}>
          {t("connection.useThisToken")}
        </Button>
        {pending && <Spinner size="tiny" label={t("connection.checkingToken")} />}
      </div>
    </form>
  );
}
