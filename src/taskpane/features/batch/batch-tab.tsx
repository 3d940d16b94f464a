// The Batch tab: tag many documents in one job and follow it live (pause, resume, cancel). The
// followed job is remembered, so a reopened pane attaches to it again; the person's other running
// jobs are listed to follow instead. Loaded lazily by the shell: `React.lazy(() => import(...))`.
import { Button, Divider, MessageBar, MessageBarActions, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import { useState } from "react";
import { t } from "../../i18n";
import { ErrorMessage } from "../../ui/error-message";
import { usePersistentState } from "../../ui/use-persistent-state";
import { useActiveBatches } from "./api/get-active-batches";
import { ActiveJobs } from "./active-jobs";
import { DocumentPicker } from "./document-picker";
import { followedJobKey, jobLabel, type FollowedJob } from "./followed-job";
import { JobView } from "./job-view";

const useStyles = makeStyles({ column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 } });

export function BatchTab() {
  const styles = useStyles();
  const [followed, setFollowed] = usePersistentState<FollowedJob | null>(followedJobKey, null);
  // The job this pane has just started: its socket opens at once, with no status look first.
  const [startedHere, setStartedHere] = useState<string>();
  const [note, setNote] = useState<string>();
  // What the person just did moves focus to what it showed (the job after Start or Follow, the
  // picker after leaving a job); a remembered job shown on opening the pane takes no focus.
  const [moveFocus, setMoveFocus] = useState(false);
  const active = useActiveBatches();
  const others = (active.data ?? []).filter((job) => job.job_id !== followed?.jobId);

  const follow = (job: FollowedJob, fresh = false) => {
    setNote(undefined);
    setStartedHere(fresh ? job.jobId : undefined);
    setMoveFocus(true);
    setFollowed(job);
  };
  const leave = () => {
    setMoveFocus(true);
    setFollowed(null);
  };

  return (
    <div className={styles.column}>
      {note && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{note}</MessageBarBody>
          <MessageBarActions
            containerAction={<Button appearance="transparent" icon={<DismissRegular />} aria-label={t("batch.dismissNote")} onClick={() => setNote(undefined)} />}
          />
        </MessageBar>
      )}
      {active.error && <ErrorMessage error={active.error} title={t("batch.activeJobsError")} onRetry={() => void active.refetch()} />}
      {others.length > 0 && (
        <ActiveJobs jobs={others} following={!!followed} onFollow={(job) => follow({ jobId: job.job_id, titles: [], since: Date.now() })} />
      )}
      {others.length > 0 && <Divider />}
      {followed ? (
        <JobView
          key={followed.jobId}
          job={followed}
          checkFirst={startedHere !== followed.jobId}
          focusOnMount={moveFocus}
          onDismiss={leave}
          onGone={() => {
            setNote(t("batch.jobGone", { job: jobLabel(followed.jobId) }));
            setMoveFocus(false);
            setFollowed(null);
          }}
        />
      ) : (
        <DocumentPicker focusOnMount={moveFocus} onStarted={({ jobId, titles }) => follow({ jobId, titles, since: Date.now() }, true)} />
      )}
    </div>
  );
}

export default BatchTab;
