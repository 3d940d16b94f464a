// A service's address (and keys) in its group; Enter or "Save" saves them. Words under a field
// say what is wrong with it.
import { Button, Caption1, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import type { ServiceDraftState } from "./use-service-draft";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
});

export function ServiceSettingsForm({ label, state }: { label: string; state: ServiceDraftState }) {
  const styles = useStyles();
  return (
    <form
      className={styles.form}
      aria-label={`${label} settings`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        state.save();
      }}
    >
      {state.fields.map((field) => {
        const problem = state.problems[field.key];
        return (
          <Field key={field.key} label={field.label} hint={field.hint} validationState={problem ? "error" : "none"} validationMessage={problem}>
            <Input
              type={field.kind === "url" ? "url" : field.kind === "secret" ? "password" : "text"}
              autoComplete="off"
              placeholder={field.kind === "url" ? "https://" : undefined}
              value={state.draft[field.key] ?? ""}
              onChange={(_, data) => state.set(field.key, data.value)}
            />
          </Field>
        );
      })}
      <div className={styles.row}>
        <Button type="submit" disabled={!state.changed}>
          Save
        </Button>
        {state.changed && <Caption1>Not saved yet.</Caption1>}
      </div>
    </form>
  );
}
