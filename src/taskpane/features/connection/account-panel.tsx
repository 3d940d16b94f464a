// Account → Connection: one Sidecar server (the default) or separate services, each with its own
// address, keys and sign-in. Switching keeps what was typed on either side (both stay mounted once
// shown) and everything on the other tabs.
import { Field, Radio, RadioGroup, Subtitle1, makeStyles, tokens } from "@fluentui/react-components";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import type { ConnectionMode } from "../../api/connection-settings";
import { ServiceGroups } from "./service-group";
import { SidecarConnection } from "./sidecar-connection";
import { useShownModes } from "./use-shown-modes";
import { t } from "../../i18n";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function AccountPanel() {
  const styles = useStyles();
  const client = useApiClient();
  const { mode } = useConnectionSettings();
  const shown = useShownModes(mode);
  return (
    <div className={styles.column}>
      <Subtitle1 as="h2">{t("connection.heading")}</Subtitle1>
      <Field label={t("connection.connectTo")} hint={t("connection.connectToHint")}>
        <RadioGroup value={mode} onChange={(_, data) => client.settings.update({ mode: data.value as ConnectionMode })}>
          <Radio value="sidecar" label={t("connection.modeSidecar")} />
          <Radio value="separate" label={t("connection.modeSeparate")} />
        </RadioGroup>
      </Field>
      {shown.sidecar && (
        <div hidden={mode !== "sidecar"}>
          <SidecarConnection />
        </div>
      )}
      {shown.separate && (
        <div hidden={mode !== "separate"}>
          <ServiceGroups />
        </div>
      )}
    </div>
  );
}
