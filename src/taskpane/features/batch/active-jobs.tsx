// The person's running and paused jobs (GET /api/batch/active), to follow one of them — for
// example a job started before the pane was reopened on another computer.
import { Button, Caption1, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
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
  muted: { color: tokens.colorNeutralForeground3 },
});

const statusWords: Record<string, string> = { pending: "waiting to start", processing: "tagging", paused: "paused" };

export function ActiveJobs({ jobs, following, onFollow }: { jobs: ActiveBatch[]; following: boolean; onFollow: (job: ActiveBatch) => void }) {
  const styles = useStyles();
  return (
    <section className={styles.column} aria-labelledby="batch-active-heading">
      <Text as="h2" id="batch-active-heading" weight="semibold" size={400}>
        {following ? "Other running jobs" : "Running jobs"}
      </Text>
      <ul className={styles.list} aria-labelledby="batch-active-heading">
        {jobs.map((job) => {
          const label = jobLabel(job.job_id, job.created_at);
          const done = job.processed_count + job.failed_count;
          return (
            <li key={job.job_id} className={styles.job} aria-label={label}>
              <div>
                <Text weight="semibold">{label}</Text>
                <Caption1 className={styles.muted} as="p">
                  {statusWords[job.status] ?? job.status} · {done} of {job.total} documents
                  {job.failed_count > 0 ? ` · ${job.failed_count} failed` : ""}
                </Caption1>
              </div>
              <Button size="small" onClick={() => onFollow(job)} aria-label={`Follow ${label}`}>
                Follow
              </Button>
              <ProgressBar value={job.total > 0 ? done / job.total : job.progress} max={1} aria-label={`Progress of ${label}`} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
