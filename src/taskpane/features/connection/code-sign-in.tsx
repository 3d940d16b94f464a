// Sign in with a code sent by e-mail (docs/vendors.md Ejento A2.4). The server's words show when a code is
// refused (for example how many tries are left); what was typed stays.
import { Button, Caption1, Field, Input, Link, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { FormEvent } from "react";
import { ErrorMessage } from "../../ui/error-message";
import { CODE_LENGTH, useCodeSignIn } from "./use-code-sign-in";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalM },
});

export function CodeSignIn({ lastEmail, label = "Sign in with an e-mail code" }: { lastEmail?: string; label?: string }) {
  const styles = useStyles();
  const flow = useCodeSignIn({ lastEmail });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (flow.sent) flow.submitCode();
    else flow.sendCode();
  };

  if (!flow.sent) {
    return (
      <form className={styles.form} onSubmit={onSubmit} aria-label={label} noValidate>
        <Field label="E-mail" required validationMessage={flow.problem}>
          <Input type="email" autoComplete="username" value={flow.email} onChange={(_, data) => flow.setEmail(data.value)} />
        </Field>
        {flow.request.error && <ErrorMessage error={flow.request.error} title="Couldn't send a code" />}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={flow.request.isPending}>
            Send code
          </Button>
          {flow.request.isPending && <Spinner size="tiny" label="Sending a code…" />}
        </div>
      </form>
    );
  }

  return (
    <form className={styles.form} onSubmit={onSubmit} aria-label={label} noValidate>
      <Text>
        We sent a {CODE_LENGTH}-digit code to {flow.sent.to}.{" "}
        <Link as="button" type="button" onClick={flow.changeEmail}>
          Use a different e-mail
        </Link>
      </Text>
      <Field label="Code" required validationMessage={flow.problem} hint={`The ${CODE_LENGTH} digits from the e-mail`}>
        <Input
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={CODE_LENGTH + 2}
          value={flow.code}
          onChange={(_, data) => flow.setCode(data.value)}
        />
      </Field>
      {flow.sent.again && !flow.request.isPending && !flow.request.error && <Caption1 role="status">A new code is on its way to {flow.sent.to}.</Caption1>}
      {flow.verify.error && <ErrorMessage error={flow.verify.error} title="Sign-in failed" />}
      {flow.request.error && <ErrorMessage error={flow.request.error} title="Couldn't send a new code" />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={flow.verify.isPending}>
          Verify
        </Button>
        <Button type="button" onClick={() => flow.sendCode(true)} disabled={flow.request.isPending}>
          Send a new code
        </Button>
        {(flow.verify.isPending || flow.request.isPending) && <Spinner size="tiny" label={flow.verify.isPending ? "Checking the code…" : "Sending a code…"} />}
      </div>
    </form>
  );
}
