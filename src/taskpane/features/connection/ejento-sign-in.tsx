// Signing in to Chat (Ejento) with the methods the deployment has turned on (its feature flags,
// docs/vendors.md Ejento A2.4): password, e-mail code, one button per SSO provider, and a pasted token.
import { Link, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { serviceLabel } from "../../api/connection-settings";
import { t } from "../../i18n";
import { useLoginMethods } from "./api/login-methods";
import { useSignIn } from "./api/sign-in";
import { useSignInWithToken } from "./api/sign-in-token";
import { CodeSignIn } from "./code-sign-in";
import { EmailPasswordForm } from "./email-password-form";
import { useFocusAfter } from "./focus";
import { SsoButtons } from "./sso-buttons";
import { TokenSignIn } from "./token-sign-in";

type Method = "password" | "code" | "token";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  switches: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL },
});

/** The words of the link that switches to `method`. */
function switchWords(method: Method): string {
  return method === "password" ? t("connection.usePassword") : method === "code" ? t("connection.useEmailCode") : t("connection.pasteToken");
}

/** The methods offered (password only while the flags are unknown) and the one in use. */
function useEjentoMethods() {
  const flags = useLoginMethods();
  const offered = flags.data ?? { password: true, code: false, sso: [] };
  const available: Method[] = [...(offered.password ? (["password"] as const) : []), ...(offered.code ? (["code"] as const) : []), "token"];
  const [chosen, setChosen] = useState<Method | undefined>();
  const method = chosen && available.includes(chosen) ? chosen : (available[0] as Method);
  return { method, others: available.filter((m) => m !== method), choose: setChosen, sso: offered.sso };
}

export function EjentoSignIn({ lastWho }: { lastWho?: string }) {
  const styles = useStyles();
  const { method, others, choose, sso } = useEjentoMethods();
  const signIn = useSignIn();
  const withToken = useSignInWithToken();
  const lastEmail = lastWho?.includes("@") ? lastWho : undefined;
  const label = serviceLabel("ejento");
  // The link that was pressed goes away with the switch: focus goes to the new method's first field.
  const focus = useFocusAfter(method);
  return (
    <div className={styles.column} ref={focus.container}>
      {method === "password" && (
        <EmailPasswordForm
          label={t("connection.signInTo", { service: label })}
          lastEmail={lastEmail}
          pending={signIn.isPending}
          error={signIn.error}
          onSubmit={(input) => signIn.mutate(input)}
        />
      )}
      {method === "code" && <CodeSignIn lastEmail={lastEmail} label={t("connection.signInToWithCode", { service: label })} />}
      {method === "token" && (
        <TokenSignIn
          label={t("connection.pasteServiceToken", { service: label })}
          fieldLabel={t("connection.accessToken")}
          hint={t("connection.accessTokenHint")}
          pending={withToken.isPending}
          error={withToken.error}
          onSubmit={(token) => withToken.mutate(token)}
        />
      )}
      <SsoButtons providers={sso} />
      <div className={styles.switches}>
        {others.map((m) => (
          <Link
            key={m}
            as="button"
            type="button"
            onClick={() => {
              focus.request();
              choose(m);
            }}
          >
            {switchWords(m)}
          </Link>
        ))}
      </div>
    </div>
  );
}
