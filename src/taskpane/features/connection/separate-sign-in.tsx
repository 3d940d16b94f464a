// The first screen with separate services: each service's group with its own sign-in. The work
// opens as soon as any of them is signed in; a tab that needs another service says so.
import { Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useApiClient } from "../../api/api-context";
import { ServiceGroups } from "./service-group";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function SeparateSignIn() {
  const styles = useStyles();
  const client = useApiClient();
  return (
    <div className={styles.column}>
      <Text>Sign in to the services you use. Sidecar opens as soon as one of them is signed in; a tab that needs another one says so.</Text>
      <ServiceGroups />
      <Link as="button" type="button" onClick={() => client.settings.update({ mode: "sidecar" })}>
        Use one Sidecar server instead
      </Link>
    </div>
  );
}
