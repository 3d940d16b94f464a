// The Sidecar server's sign-in methods beyond the password, when its flags turn them on
// (docs/vendors.md Ejento A2.4): an e-mail code and one button per SSO provider. Loaded after the sign-in form's
// first paint; the form stays usable with the password alone.
import { Link, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect } from "react";
import { useLoginMethods } from "./api/login-methods";
import { CodeSignIn } from "./code-sign-in";
import { usePrepareSignIn } from "./prepare-sign-in";
import { SsoButtons } from "./sso-buttons";
import { t } from "../../i18n";

export type FormMethod = "password" | "code";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  switch: { alignSelf: "flex-start", textAlign: "start" },
});

export function OtherSignInMethods({ method, onMethod, lastEmail }: { method: FormMethod; onMethod: (method: FormMethod) => void; lastEmail?: string }) {
  const styles = useStyles();
  const flags = useLoginMethods().data;
  const prepare = usePrepareSignIn();
  const codeOffered = Boolean(flags?.code);
  // The server stopped offering codes (or its address changed): back to the password.
  useEffect(() => {
    if (flags && !codeOffered && method === "code") onMethod("password");
  }, [flags, codeOffered, method, onMethod]);
  if (!flags || (!codeOffered && flags.sso.length === 0)) return null;
  return (
    <div className={styles.column}>
      {method === "code" && codeOffered && <CodeSignIn lastEmail={lastEmail} />}
      <SsoButtons providers={flags.sso} />
      {codeOffered && (
        <Link
          className={styles.switch}
          as="button"
          type="button"
          onClick={() => {
            if (method === "password" && !prepare()) return;
            onMethod(method === "password" ? "code" : "password");
          }}
        >
          {method === "password" ? t("connection.useCodeInstead") : t("connection.usePasswordInstead")}
        </Link>
      )}
    </div>
  );
}
