import { Divider, Text, makeStyles, tokens } from "@fluentui/react-components";
import { t } from "../../i18n";
import { GenerateForm } from "./generate-form";
import { GenerationCard } from "./generation-card";
import { useRecentGenerations } from "./recent-generations";

const useStyles = makeStyles({ column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 } });

export function GenerateTab({ documentKey, hasDocument = true }: { documentKey: string; hasDocument?: boolean }) {
  const styles = useStyles();
  const generations = useRecentGenerations();
  return (
    <div className={styles.column}>
      <GenerateForm documentKey={documentKey} hasDocument={hasDocument} />
      {generations.length > 0 && (
        <section className={styles.column} aria-labelledby="recent-generations-heading">
          <Divider />
          <Text as="h2" id="recent-generations-heading" weight="semibold" size={400}>
            {t("generate.recentGenerations")}
          </Text>
          {generations.map((g) => (
            <GenerationCard key={g.taskId} generation={g} />
          ))}
        </section>
      )}
    </div>
  );
}
