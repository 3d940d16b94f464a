// Account → Connection: one Sidecar server (the default) or separate services, each with its own
// address, keys and sign-in. Switching keeps what was typed on either side (both stay mounted once
// shown) and everything on the other tabs.
import { Field, Radio, RadioGroup, Subtitle1, makeStyles, tokens } from "@fluentui/react-components";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import type { ConnectionMode } from "../../api/connection-settings";
import { ServiceGroups } from "./service-group";
import { SidecarConnection } from "./sidecar-connection";
import { useShownModes } from "./use-shown-modes";

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
      <Subtitle1 as="h2">Connection</Subtitle1>
      <Field
        label="Connect to"
        hint="A Sidecar server answers everything at one address with one sign-in. Separate services: Chat (Ejento), Documents (Artos) and Batch tagging, each with its own address and sign-in."
      >
        <RadioGroup value={mode} onChange={(_, data) => client.settings.update({ mode: data.value as ConnectionMode })}>
          <Radio value="sidecar" label="Sidecar server" />
          <Radio value="separate" label="Separate services" />
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
