// "Test connection" for one service, and what it found, line by line in words.
import { Button, Caption1, MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkCircleRegular, ErrorCircleRegular } from "@fluentui/react-icons";
import type { ServiceName } from "../../../shared/contract/endpoints";
import { ErrorMessage } from "../../ui/error-message";
import { useTestConnection } from "./api/test-connection";
import { t } from "../../i18n";
import { announce } from "../../ui/announcer";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  lines: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  line: { display: "flex", alignItems: "flex-start", gap: tokens.spacingHorizontalXS },
  text: { minWidth: 0, overflowWrap: "anywhere" },
  ok: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0, marginTop: "2px" },
  bad: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, marginTop: "2px" },
});

export function TestConnection({ service, unsaved }: { service: ServiceName; unsaved?: boolean }) {
  const styles = useStyles();
  const test = useTestConnection(service);
  return (
    <div className={styles.column}>
      <div className={styles.row}>
        <Button
          onClick={() => test.mutate(undefined, { onSuccess: (check) => announce(check.ok ? t("connection.works") : t("connection.needsAttention")) })}
          disabled={test.isPending}
        >
          {t("connection.testConnection")}
        </Button>
        {test.isPending && <Spinner size="tiny" label={t("connection.testing")} />}
        {unsaved && !test.isPending && <Caption1>{t("connection.testsSaved")}</Caption1>}
      </div>
      {test.data && !test.isPending && (
        <MessageBar intent={test.data.ok ? "success" : "warning"} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{test.data.ok ? t("connection.works") : t("connection.needsAttention")}</MessageBarTitle>
            <ul className={styles.lines} aria-label={t("connection.testLines")}>
              {test.data.lines.map((line, index) => (
                <li key={index} className={styles.line}>
                  {line.ok ? (
                    <CheckmarkCircleRegular className={styles.ok} aria-label={t("connection.lineOk")} />
                  ) : (
                    <ErrorCircleRegular className={styles.bad} aria-label={t("connection.lineProblem")} />
                  )}
                  <span className={styles.text}>{line.text}</span>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {test.error && <ErrorMessage error={test.error} title={t("connection.testDidNotRun")} />}
    </div>
  );
}
