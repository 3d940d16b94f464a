// The first screen with separate services: each service's group with its own sign-in. The work
// opens as soon as any of them is signed in; a tab that needs another service says so.
import { Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApiClient } from "../../api/api-context";
import { ServiceGroups } from "./service-group";
import { t } from "../../i18n";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  switch: { alignSelf: "flex-start", textAlign: "start" },
});

export function SeparateSignIn() {
  const styles = useStyles();
  const client = useApiClient();
  return (
    <div className={styles.column}>
      <Text>{t("connection.separateIntro")}</Text>
      <ServiceGroups />
      <Link className={styles.switch} as="button" type="button" onClick={() => client.settings.update({ mode: "sidecar" })}>
        {t("connection.useOneServer")}
      </Link>
    </div>
  );
}
