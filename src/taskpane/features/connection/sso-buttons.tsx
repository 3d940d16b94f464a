// One button per SSO provider the service has turned on ("Sign in with Microsoft").
import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect } from "react";
import { ErrorMessage } from "../../ui/error-message";
import { usePrepareSignIn } from "./prepare-sign-in";
import { providerName } from "./slot-labels";
import { loadSignInDialog, useSsoSignIn } from "./use-sso-sign-in";
import { t } from "../../i18n";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalS },
  button: { maxWidth: "100%", whiteSpace: "normal", textAlign: "start" },
});

export function SsoButtons({ providers }: { providers: string[] }) {
  const styles = useStyles();
  const sso = useSsoSignIn();
  const prepare = usePrepareSignIn();
  // The window must open right after the click (pop-up blockers), so its code is fetched now.
  useEffect(() => {
    loadSignInDialog().catch(() => undefined);
  }, []);
  if (providers.length === 0) return null;
  return (
    <div className={styles.column}>
      {providers.map((provider) => (
        <Button
          key={provider}
          className={styles.button}
          disabled={sso.isPending}
          onClick={() => {
            if (!prepare()) return;
            sso.mutate(provider);
          }}
        >
          {t("connection.signInWith", { provider: providerName(provider) })}
        </Button>
      ))}
      {sso.isPending && <Spinner size="tiny" label={t("connection.finishInWindow")} />}
      {sso.error && <ErrorMessage title={t("connection.ssoDidNotFinish")} message={sso.error.message} />}
    </div>
  );
}
