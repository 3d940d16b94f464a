// Server address and API key fields, used in the sign-in form and in the account panel.
import { Field, Input, makeStyles } from "@fluentui/react-components";
import type { Ref } from "react";
import { validateServerUrl } from "../../api/connection-settings";
import { t } from "../../i18n";

const useStyles = makeStyles({
  field: { width: "100%", minWidth: 0 },
});

export interface ServerSettingsDraft {
  serverUrl: string;
  apiKey: string;
}

export function ServerSettingsFields({
  draft,
  onChange,
  defaultOrigin,
  addressRef,
}: {
  draft: ServerSettingsDraft;
  onChange: (draft: ServerSettingsDraft) => void;
  defaultOrigin: string;
  /** The address field, for a form that moves focus to it. */
  addressRef?: Ref<HTMLInputElement>;
}) {
  const styles = useStyles();
  const urlProblem = validateServerUrl(draft.serverUrl);
  return (
    <>
      <Field
        className={styles.field}
        label={t("connection.serverAddress")}
        hint={t("connection.serverAddressHint", { origin: defaultOrigin })}
        validationState={urlProblem ? "error" : "none"}
        validationMessage={urlProblem}
      >
        <Input
          ref={addressRef}
          className={styles.field}
          type="url"
          value={draft.serverUrl}
          placeholder={defaultOrigin}
          onChange={(_, data) => onChange({ ...draft, serverUrl: data.value })}
        />
      </Field>
      <Field className={styles.field} label={t("connection.apiKey")} hint={t("connection.apiKeyHint")}>
        <Input
          className={styles.field}
          type="password"
          value={draft.apiKey}
          autoComplete="off"
          onChange={(_, data) => onChange({ ...draft, apiKey: data.value })}
        />
      </Field>
    </>
  );
}
