// Sign in with a code sent by e-mail (docs/vendors.md Ejento A2.4). The server's words show when a code is
// refused (for example how many tries are left); what was typed stays.
import { Button, Caption1, Field, Input, Link, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef, type FormEvent } from "react";
import { t } from "../../i18n";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { focusFirstField } from "./focus";
import { CODE_LENGTH, useCodeSignIn } from "./use-code-sign-in";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
  field: { width: "100%", minWidth: 0 },
  text: { overflowWrap: "anywhere" },
});

export function CodeSignIn({ lastEmail, label: givenLabel }: { lastEmail?: string; label?: string }) {
  const styles = useStyles();
  const label = givenLabel ?? t("connection.signInWithCode");
  const flow = useCodeSignIn({ lastEmail });
  const form = useRef<HTMLFormElement>(null);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const ok = flow.sent ? flow.submitCode() : flow.sendCode();
    // A field with a problem gets focus, so its words under it are read.
    if (!ok) focusFirstField(form.current);
  };

  // The step's form replaces the other one (and the button that was pressed): focus goes to its
  // field; where the code went is said, because focus lands past the sentence that says it.
  const step = flow.sent ? "code" : "email";
  const sentTo = flow.sent?.to;
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    focusFirstField(form.current);
    if (sentTo) announce(t("connection.codeSent", { length: CODE_LENGTH, email: sentTo }));
  }, [step, sentTo]);

  if (!flow.sent) {
    return (
      <form ref={form} className={styles.form} onSubmit={onSubmit} aria-label={label} noValidate>
        <Field className={styles.field} label={t("connection.email")} required validationMessage={flow.problem}>
          <Input className={styles.field} type="email" autoComplete="username" value={flow.email} onChange={(_, data) => flow.setEmail(data.value)} />
        </Field>
        {flow.request.error && <ErrorMessage error={flow.request.error} title={t("connection.couldNotSendCode")} />}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={flow.request.isPending}>
            {t("connection.sendCode")}
          </Button>
          {flow.request.isPending && <Spinner size="tiny" label={t("connection.sendingCode")} />}
        </div>
      </form>
    );
  }

  return (
    <form ref={form} className={styles.form} onSubmit={onSubmit} aria-label={label} noValidate>
      <Text className={styles.text}>
        {t("connection.codeSent", { length: CODE_LENGTH, email: flow.sent.to })}{" "}
        <Link as="button" type="button" onClick={flow.changeEmail}>
          {t("connection.useDifferentEmail")}
        </Link>
      </Text>
      <Field className={styles.field} label={t("connection.code")} required validationMessage={flow.problem} hint={t("connection.codeHint", { length: CODE_LENGTH })}>
        <Input
          className={styles.field}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={CODE_LENGTH + 2}
          value={flow.code}
          onChange={(_, data) => flow.setCode(data.value)}
        />
      </Field>
      {flow.sent.again && !flow.request.isPending && !flow.request.error && <Caption1 role="status" className={styles.text}>{t("connection.newCodeOnItsWay", { email: flow.sent.to })}</Caption1>}
      {flow.verify.error && <ErrorMessage error={flow.verify.error} title={t("connection.signInFailed")} />}
      {flow.request.error && <ErrorMessage error={flow.request.error} title={t("connection.couldNotSendNewCode")} />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={flow.verify.isPending}>
          {t("connection.verify")}
        </Button>
        <Button type="button" onClick={() => flow.sendCode(true)} disabled={flow.request.isPending}>
          {t("connection.sendNewCode")}
        </Button>
        {(flow.verify.isPending || flow.request.isPending) && <Spinner size="tiny" label={flow.verify.isPending ? t("connection.checkingCode") : t("connection.sendingCode")} />}
      </div>
    </form>
  );
}
