// Signing in to Chat (Ejento) with the methods the deployment has turned on (its feature flags,
// docs/vendors.md Ejento A2.4): password, e-mail code, one button per SSO provider, and a pasted token.
import { Link, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { serviceLabels } from "../../api/connection-settings";
import { useLoginMethods } from "./api/login-methods";
import { useSignIn } from "./api/sign-in";
import { useSignInWithToken } from "./api/sign-in-token";
import { CodeSignIn } from "./code-sign-in";
import { EmailPasswordForm } from "./email-password-form";
import { SsoButtons } from "./sso-buttons";
import { TokenSignIn } from "./token-sign-in";

type Method = "password" | "code" | "token";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  switches: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalL },
});

const switchWords: Record<Method, string> = { password: "Use a password", code: "Use an e-mail code", token: "Paste a token" };

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
  const label = serviceLabels.ejento;
  return (
    <div className={styles.column}>
      {method === "password" && (
        <EmailPasswordForm
          label={`Sign in to ${label}`}
          lastEmail={lastEmail}
          pending={signIn.isPending}
          error={signIn.error}
          onSubmit={(input) => signIn.mutate(input)}
        />
      )}
      {method === "code" && <CodeSignIn lastEmail={lastEmail} label={`Sign in to ${label} with an e-mail code`} />}
      {method === "token" && (
        <TokenSignIn
          label={`Paste a ${label} token`}
          fieldLabel="Access token"
          hint="An Ejento access token, from the Ejento Developer Portal."
          pending={withToken.isPending}
          error={withToken.error}
          onSubmit={(token) => withToken.mutate(token)}
        />
      )}
      <SsoButtons providers={sso} />
      <div className={styles.switches}>
        {others.map((m) => (
          <Link key={m} as="button" type="button" onClick={() => choose(m)}>
            {switchWords[m]}
          </Link>
        ))}
      </div>
    </div>
  );
}
