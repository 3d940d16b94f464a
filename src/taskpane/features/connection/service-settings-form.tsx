// A service's address (and keys) in its group; Enter or "Save" saves them. Words under a field
// say what is wrong with it.
import { Button, Caption1, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import type { ServiceDraftState } from "./use-service-draft";
import { t } from "../../i18n";
import { announce } from "../../ui/announcer";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  field: { width: "100%", minWidth: 0 },
});

export function ServiceSettingsForm({ label, state }: { label: string; state: ServiceDraftState }) {
  const styles = useStyles();
  return (
    <form
      className={styles.form}
      aria-label={t("connection.serviceSettings", { service: label })}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const changed = state.changed;
        if (state.save()) {
          if (changed) announce(t("connection.saved"));
          return;
        }
        // The first field with words under it gets focus, so they are read.
        const first = state.fields.findIndex((field) => state.problems[field.key]);
        event.currentTarget.querySelectorAll("input")[first]?.focus();
      }}
    >
      {state.fields.map((field) => {
        const problem = state.problems[field.key];
        return (
          <Field key={field.key} className={styles.field} label={field.label} hint={field.hint} validationState={problem ? "error" : "none"} validationMessage={problem}>
            <Input
              className={styles.field}
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
          {t("connection.save")}
        </Button>
        {state.changed && <Caption1>{t("connection.notSaved")}</Caption1>}
      </div>
    </form>
  );
}
