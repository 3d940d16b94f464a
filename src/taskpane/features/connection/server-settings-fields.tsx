// Server address and API key fields, used in the sign-in form and in the account panel.
import { Field, Input } from "@fluentui/react-components";
import { validateServerUrl } from "../../api/connection-settings";

export interface ServerSettingsDraft {
  serverUrl: string;
  apiKey: string;
}

export function ServerSettingsFields({
  draft,
  onChange,
  defaultOrigin,
}: {
  draft: ServerSettingsDraft;
  onChange: (draft: ServerSettingsDraft) => void;
  defaultOrigin: string;
}) {
  const urlProblem = validateServerUrl(draft.serverUrl);
  return (
    <>
      <Field
        label="Server address"
        hint={`Leave empty to use ${defaultOrigin}`}
        validationState={urlProblem ? "error" : "none"}
        validationMessage={urlProblem}
      >
        <Input
          type="url"
          value={draft.serverUrl}
          placeholder={defaultOrigin}
          onChange={(_, data) => onChange({ ...draft, serverUrl: data.value })}
        />
      </Field>
      <Field label="API key" hint="Only when your server asks for one (Ocp-Apim-Subscription-Key).">
        <Input
          type="password"
          value={draft.apiKey}
          autoComplete="off"
          onChange={(_, data) => onChange({ ...draft, apiKey: data.value })}
        />
      </Field>
    </>
  );
}
