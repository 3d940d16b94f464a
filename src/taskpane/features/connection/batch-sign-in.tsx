// Signing in to the tag generator (docs/vendors.md Ejento B1): e-mail and password.
import { serviceLabel } from "../../api/connection-settings";
import { t } from "../../i18n";
import { useSignInToBatch } from "./api/sign-in-batch";
import { EmailPasswordForm } from "./email-password-form";

export function BatchSignIn({ lastWho }: { lastWho?: string }) {
  const signIn = useSignInToBatch();
  return (
    <EmailPasswordForm
      label={t("connection.signInTo", { service: serviceLabel("batch") })}
      lastEmail={lastWho?.includes("@") ? lastWho : undefined}
      pending={signIn.isPending}
      error={signIn.error}
      onSubmit={(input) => signIn.mutate(input)}
    />
  );
}
