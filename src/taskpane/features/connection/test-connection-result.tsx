// "Test connection" for one service, and what it found, line by line in words.
import { Button, Caption1, MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkCircleRegular, ErrorCircleRegular } from "@fluentui/react-icons";
import type { ServiceName } from "../../../shared/contract/endpoints";
import { ErrorMessage } from "../../ui/error-message";
import { useTestConnection } from "./api/test-connection";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  lines: { margin: 0, paddingLeft: 0, listStyleType: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  line: { display: "flex", alignItems: "flex-start", gap: tokens.spacingHorizontalXS },
  ok: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0, marginTop: "2px" },
  bad: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, marginTop: "2px" },
});

export function TestConnection({ service, unsaved }: { service: ServiceName; unsaved?: boolean }) {
  const styles = useStyles();
  const test = useTestConnection(service);
  return (
    <div className={styles.column}>
      <div className={styles.row}>
        <Button onClick={() => test.mutate()} disabled={test.isPending}>
          Test connection
        </Button>
        {test.isPending && <Spinner size="tiny" label="Testing…" />}
        {unsaved && !test.isPending && <Caption1>Tests the saved settings.</Caption1>}
      </div>
      {test.data && !test.isPending && (
        <MessageBar intent={test.data.ok ? "success" : "warning"} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{test.data.ok ? "The connection works" : "The connection needs attention"}</MessageBarTitle>
            <ul className={styles.lines} aria-label="Connection test">
              {test.data.lines.map((line, index) => (
                <li key={index} className={styles.line}>
                  {line.ok ? (
                    <CheckmarkCircleRegular className={styles.ok} aria-label="works" />
                  ) : (
                    <ErrorCircleRegular className={styles.bad} aria-label="problem" />
                  )}
                  <span>{line.text}</span>
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {test.error && <ErrorMessage error={test.error} title="The test didn't run" />}
    </div>
  );
}
