// The person's running and paused jobs (GET /api/batch/active), to follow one of them — for
// example a job started before the pane was reopened on another computer.
import { Button, Caption1, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import { t } from "../../i18n";
import type { ActiveBatch } from "./api/get-active-batches";
import { jobLabel } from "./followed-job";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  job: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 1fr) auto",
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXXS,
    alignItems: "center",
    padding: tokens.spacingVerticalS,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  // The grid's first cell may shrink below its words' width: long words wrap, never widen the pane.
  text: { minWidth: 0, overflowWrap: "anywhere" },
  muted: { color: tokens.colorNeutralForeground3 },
  progress: { gridColumn: "1 / -1" },
});

export function ActiveJobs({ jobs, following, onFollow }: { jobs: ActiveBatch[]; following: boolean; onFollow: (job: ActiveBatch) => void }) {
  const styles = useStyles();
  return (
    <section className={styles.column} aria-labelledby="batch-active-heading">
      <Text as="h2" id="batch-active-heading" weight="semibold" size={400}>
        {following ? t("batch.otherRunningJobs") : t("batch.runningJobs")}
      </Text>
      <ul className={styles.list} aria-labelledby="batch-active-heading">
        {jobs.map((job) => {
          const label = jobLabel(job.job_id, job.created_at);
          const done = job.processed_count + job.failed_count;
          return (
            <li key={job.job_id} className={styles.job} aria-label={label}>
              <div className={styles.text}>
                <Text weight="semibold">{label}</Text>
                <Caption1 className={styles.muted} as="p">
                  {t("batch.activeJobSummary", { status: job.status, done, total: job.total, failed: job.failed_count })}
                </Caption1>
              </div>
              <Button size="small" onClick={() => onFollow(job)} aria-label={t("batch.followJob", { job: label })}>
                {t("batch.follow")}
              </Button>
              <ProgressBar
                className={styles.progress}
                value={job.total > 0 ? done / job.total : job.progress}
                max={1}
                aria-label={t("batch.progressOf", { job: label })}
              />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
