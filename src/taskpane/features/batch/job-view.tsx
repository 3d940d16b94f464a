// One followed batch job: status and connection in words, a progress bar with "N of M documents",
// Pause / Resume / Cancel when the job's status allows them (Cancel asks first), every document
// with its state, tags and error, and when it is over a summary and "Tag more documents".
import {
  Badge,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowSyncRegular, CheckmarkCircleFilled, CircleRegular, DismissCircleRegular, ErrorCircleFilled, PauseRegular, PlayRegular } from "@fluentui/react-icons";
import { useEffect, useId, useState } from "react";
import { isApiError } from "../../api/api-error";
import { ErrorMessage } from "../../ui/error-message";
import { useControlBatch, type BatchControl } from "./api/control-batch";
import { jobLabel, type FollowedJob } from "./followed-job";
import { allowedControls, doneCount, finalStatuses, type JobRow, type JobView as JobViewModel } from "./job-state";
import { useBatchJob } from "./use-batch-job";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  header: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  muted: { color: tokens.colorNeutralForeground3 },
  live: { color: tokens.colorPaletteGreenForeground1 },
  lost: { color: tokens.colorPaletteMarigoldForeground1 },
  documents: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  document: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  documentHead: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", justifyContent: "space-between" },
  state: { display: "inline-flex", gap: tokens.spacingHorizontalXXS, alignItems: "center", flexShrink: 0, color: tokens.colorNeutralForeground3 },
  tagged: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  tags: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
});

const statusWords: Record<JobViewModel["status"], string> = {
  unknown: "Checking…",
  pending: "Waiting to start",
  processing: "In progress",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
  failed: "Failed",
};

const rowWords: Record<JobRow["status"], string> = { pending: "waiting", processing: "tagging…", success: "tagged", failed: "failed" };

const controlWords: Record<BatchControl, string> = { pause: "pause", resume: "resume", cancel: "cancel" };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function JobView({
  job,
  checkFirst,
  onDismiss,
  onGone,
}: {
  job: FollowedJob;
  /** A remembered or picked job: look at its status before opening the socket. */
  checkFirst: boolean;
  /** "Tag more documents" / "Stop following". */
  onDismiss: () => void;
  /** The server does not know the job. */
  onGone: () => void;
}) {
  const styles = useStyles();
  const { view, link, connection, checkProblem, applyStatus, checkNow, reconnectNow } = useBatchJob(job.jobId, { checkFirst, titles: job.titles });
  const pause = useControlBatch(job.jobId, "pause");
  const resume = useControlBatch(job.jobId, "resume");
  const cancel = useControlBatch(job.jobId, "cancel");
  const [controlError, setControlError] = useState<{ control: BatchControl; error: unknown }>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const headingId = useId();

  useEffect(() => {
    if (link.phase === "gone") onGone();
  }, [link.phase]); // eslint-disable-line react-hooks/exhaustive-deps

  const control = (which: BatchControl, mutation: typeof pause) => {
    setControlError(undefined);
    mutation.mutate(undefined, {
      onSuccess: (answer) => applyStatus(answer.status ?? { pause: "paused", resume: "processing", cancel: "cancelled" }[which]),
      onError: (error) => {
        setControlError({ control: which, error });
        // Refused: the job has moved on since the pane last heard; look again.
        if (isApiError(error) && error.kind === "conflict") checkNow();
      },
    });
  };

  const allowed = allowedControls(view.status);
  const done = doneCount(view);
  const total = Math.max(view.total, view.rows.length);
  const connectionClass = link.phase === "live" ? styles.live : link.phase === "lost" || link.phase === "signed-out" ? styles.lost : styles.muted;

  return (
    <section className={styles.column} aria-labelledby={headingId}>
      <div className={styles.header}>
        <Text as="h2" id={headingId} weight="semibold" size={400}>
          Tagging job · {statusWords[view.status]}
        </Text>
        <Caption1 className={styles.muted}>{jobLabel(job.jobId)}</Caption1>
        {!view.final && connection && (
          <div className={styles.row}>
            <Caption1 role="status" className={connectionClass}>
              {connection}
            </Caption1>
            {checkProblem && <Caption1 className={styles.muted}>Last check: {checkProblem}</Caption1>}
            {link.phase === "lost" && link.socket === null && (
              <Button size="small" appearance="subtle" icon={<ArrowSyncRegular />} onClick={reconnectNow}>
                Reconnect now
              </Button>
            )}
          </div>
        )}
      </div>

      <div className={styles.header}>
        <ProgressBar value={total > 0 ? done / total : undefined} max={1} aria-label="Tagging progress" thickness="large" />
        <Text aria-live="polite">
          {done} of {plural(total, "document", "documents")} · {view.taggedCount} tagged · {view.failedCount} failed
        </Text>
      </div>

      {!view.final && (
        <div className={styles.row} role="group" aria-label="Job controls">
          <Button icon={<PauseRegular />} disabled={!allowed.pause || pause.isPending} onClick={() => control("pause", pause)}>
            Pause
          </Button>
          <Button icon={<PlayRegular />} disabled={!allowed.resume || resume.isPending} onClick={() => control("resume", resume)}>
            Resume
          </Button>
          <Button icon={<DismissCircleRegular />} aria-haspopup="dialog" disabled={!allowed.cancel || cancel.isPending} onClick={() => setConfirmCancel(true)}>
            Cancel
          </Button>
          {(pause.isPending || resume.isPending || cancel.isPending) && <Spinner size="tiny" label="Sending…" />}
          <Button appearance="subtle" onClick={onDismiss} title="The job goes on on the server; it stays under Running jobs.">
            Stop following
          </Button>
        </div>
      )}
      {controlError && <ErrorMessage error={controlError.error} title={`Couldn't ${controlWords[controlError.control]} the job`} />}

      {/* Mounted only while asked: each question is a fresh dialog (a reused one could come back hidden from assistive tech). */}
      {confirmCancel && (
        <Dialog open onOpenChange={(_, data) => setConfirmCancel(data.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>Cancel this tagging job?</DialogTitle>
              <DialogContent>
                Documents already tagged keep their new tags and the document being tagged now finishes; no other document is started. A
                cancelled job can't be resumed.
              </DialogContent>
              <DialogActions>
                <Button
                  appearance="primary"
                  onClick={() => {
                    setConfirmCancel(false);
                    control("cancel", cancel);
                  }}
                >
                  Cancel the job
                </Button>
                <Button onClick={() => setConfirmCancel(false)}>Keep tagging</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}

      {view.final && <Summary view={view} total={total} onDismiss={onDismiss} />}

      {view.rows.length > 0 && (
        <ul className={styles.documents} aria-label="Documents in this job">
          {view.rows.map((row) => (
            <DocumentRow key={row.rowId} row={row} jobId={job.jobId} jobOver={finalStatuses.has(view.status)} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** `jobOver`: the job was cancelled, failed or completed, so a document still pending will never start. */
function DocumentRow({ row, jobId, jobOver }: { row: JobRow; jobId: string; jobOver: boolean }) {
  const styles = useStyles();
  const titleId = `batch-${jobId}-row-${row.rowId}`;
  return (
    <li className={styles.document} aria-labelledby={titleId}>
      <div className={styles.documentHead}>
        <Text id={titleId} weight="semibold" truncate wrap={false} title={row.title}>
          {row.title}
        </Text>
        <span className={mergeClasses(styles.state, row.status === "success" && styles.tagged, row.status === "failed" && styles.failed)}>
          {row.status === "success" ? (
            <CheckmarkCircleFilled aria-hidden />
          ) : row.status === "failed" ? (
            <ErrorCircleFilled aria-hidden />
          ) : row.status === "processing" ? (
            <Spinner size="extra-tiny" aria-hidden />
          ) : (
            <CircleRegular aria-hidden />
          )}
          <Caption1>{row.status === "pending" && jobOver ? "not started" : rowWords[row.status]}</Caption1>
        </span>
      </div>
      {row.status === "success" && row.tags.length > 0 && (
        <ul className={styles.tags} aria-label={`Tags of ${row.title}`}>
          {row.tags.map((tag) => (
            <li key={tag}>
              <Badge appearance="tint" shape="rounded" color="brand">
                {tag}
              </Badge>
            </li>
          ))}
        </ul>
      )}
      {row.status === "success" && row.tags.length === 0 && <Caption1 className={styles.muted}>No tags: the document has too little text.</Caption1>}
      {row.status === "failed" && <Caption1 className={styles.failed}>{row.error}</Caption1>}
    </li>
  );
}

function Summary({ view, total, onDismiss }: { view: JobViewModel; total: number; onDismiss: () => void }) {
  const styles = useStyles();
  const took = view.processingTime != null ? ` It took ${Math.max(1, Math.round(view.processingTime))} s.` : "";
  const tagged = plural(view.taggedCount, "document was", "documents were");
  let intent: "success" | "warning" | "info" | "error";
  let title: string;
  let words: string;
  if (view.status === "completed") {
    intent = view.failedCount === 0 ? "success" : "warning";
    title = view.failedCount === 0 ? "Tagging complete" : "Tagging finished with failures";
    words =
      view.failedCount === 0
        ? `All ${plural(total, "document was", "documents were")} tagged.${took}`
        : `${view.taggedCount} of ${plural(total, "document was", "documents were")} tagged; ${view.failedCount} failed — the reasons are under each document.${took}`;
  } else if (view.status === "cancelled") {
    intent = "info";
    title = "Tagging cancelled";
    words = `${tagged} tagged and ${view.failedCount} failed before the job was cancelled; the others were not started.`;
  } else {
    intent = "error";
    title = "The tagging job failed";
    words = `${view.error ?? "The job stopped on the server."} ${tagged} tagged before it stopped.`;
  }
  return (
    <div className={styles.column}>
      <MessageBar intent={intent} layout="multiline" role="status">
        <MessageBarBody>
          <MessageBarTitle>{title}</MessageBarTitle>
          {words} {view.taggedCount > 0 && "The new tags show under My documents on the Documents tab."}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.row}>
        <Button appearance="primary" onClick={onDismiss}>
          Tag more documents
        </Button>
      </div>
    </div>
  );
}
