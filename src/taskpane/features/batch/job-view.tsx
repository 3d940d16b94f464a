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
import { useEffect, useId, useRef, useState } from "react";
import { isApiError } from "../../api/api-error";
import { formatNumber, t } from "../../i18n";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { useControlBatch, type BatchControl } from "./api/control-batch";
import { jobLabel, type FollowedJob } from "./followed-job";
import { allowedControls, doneCount, finalStatuses, type JobRow, type JobView as JobViewModel } from "./job-state";
import { useBatchJob } from "./use-batch-job";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  // Focused after Start / Follow: a ring only when the keyboard brought it there.
  focusTarget: {
    ":focus": { outlineStyle: "none" },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, borderRadius: tokens.borderRadiusMedium },
  },
  header: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
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
  documentHead: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", justifyContent: "space-between", minWidth: 0 },
  // A long document name is cut with "…"; the full name is in its title and the row's name.
  documentName: { minWidth: 0 },
  wrap: { overflowWrap: "anywhere" },
  state: { display: "inline-flex", gap: tokens.spacingHorizontalXXS, alignItems: "center", flexShrink: 0, color: tokens.colorNeutralForeground3 },
  tagged: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  tags: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS, minWidth: 0 },
  tag: { maxWidth: "100%", minWidth: 0 },
  badge: { maxWidth: "100%" },
  badgeText: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
});

/** What a screen reader hears when the followed job ends: not the words on screen, a sentence of its own. */
function finishAnnouncement(view: JobViewModel): string {
  const counts = { tagged: view.taggedCount, failed: view.failedCount };
  if (view.status === "completed") return view.failedCount === 0 ? t("batch.announceComplete", counts) : t("batch.announceFailures", counts);
  if (view.status === "cancelled") return t("batch.announceCancelled", counts);
  return t("batch.announceFailed", counts);
}

export function JobView({
  job,
  checkFirst,
  focusOnMount = false,
  onDismiss,
  onGone,
}: {
  job: FollowedJob;
  /** A remembered or picked job: look at its status before opening the socket. */
  checkFirst: boolean;
  /** Just started or picked by the person: bring the view into sight and focus it. */
  focusOnMount?: boolean;
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
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!focusOnMount) return;
    const element = section.current;
    element?.scrollIntoView?.({ block: "nearest" });
    element?.focus({ preventScroll: true });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (link.phase === "gone") onGone();
  }, [link.phase]); // eslint-disable-line react-hooks/exhaustive-deps

  // Say once when the job ends while the pane watches it — not for a job that was over already
  // when the pane (re)opened it. A job started here was running from the first moment.
  const watched = useRef(!checkFirst);
  const announced = useRef(false);
  useEffect(() => {
    if (!view.final && view.status !== "unknown") watched.current = true;
  }, [view.status, view.final]);
  useEffect(() => {
    if (!view.final || announced.current) return;
    announced.current = true;
    if (watched.current) announce(finishAnnouncement(view));
  }, [view.final]); // eslint-disable-line react-hooks/exhaustive-deps

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
    <section ref={section} tabIndex={-1} className={mergeClasses(styles.column, styles.focusTarget)} aria-labelledby={headingId}>
      <div className={styles.header}>
        <Text as="h2" id={headingId} weight="semibold" size={400}>
          {t("batch.jobHeading", { status: view.status })}
        </Text>
        <Caption1 className={styles.muted}>{jobLabel(job.jobId)}</Caption1>
        {!view.final && connection && (
          <div className={styles.row}>
            <Caption1 role="status" className={connectionClass}>
              {connection}
            </Caption1>
            {checkProblem && <Caption1 className={mergeClasses(styles.muted, styles.wrap)}>{t("batch.lastCheck", { problem: checkProblem })}</Caption1>}
            {link.phase === "lost" && link.socket === null && (
              <Button size="small" appearance="subtle" icon={<ArrowSyncRegular />} onClick={reconnectNow}>
                {t("batch.reconnectNow")}
              </Button>
            )}
          </div>
        )}
      </div>

      <div className={styles.header}>
        <ProgressBar value={total > 0 ? done / total : undefined} max={1} aria-label={t("batch.progressLabel")} thickness="large" />
        <Text aria-live="polite">{t("batch.progressCounts", { done, total, tagged: view.taggedCount, failed: view.failedCount })}</Text>
      </div>

      {!view.final && (
        <div className={styles.row} role="group" aria-label={t("batch.jobControls")}>
          <Button icon={<PauseRegular />} disabled={!allowed.pause || pause.isPending} onClick={() => control("pause", pause)}>
            {t("batch.pause")}
          </Button>
          <Button icon={<PlayRegular />} disabled={!allowed.resume || resume.isPending} onClick={() => control("resume", resume)}>
            {t("batch.resume")}
          </Button>
          <Button icon={<DismissCircleRegular />} aria-haspopup="dialog" disabled={!allowed.cancel || cancel.isPending} onClick={() => setConfirmCancel(true)}>
            {t("batch.cancel")}
          </Button>
          {(pause.isPending || resume.isPending || cancel.isPending) && <Spinner size="tiny" label={t("batch.sending")} />}
          <Button appearance="subtle" onClick={onDismiss} title={t("batch.stopFollowingHint")}>
            {t("batch.stopFollowing")}
          </Button>
        </div>
      )}
      {controlError && <ErrorMessage error={controlError.error} title={t("batch.controlError", { control: controlError.control })} />}

      {/* Mounted only while asked: each question is a fresh dialog (a reused one could come back hidden from assistive tech). */}
      {confirmCancel && (
        <Dialog open onOpenChange={(_, data) => setConfirmCancel(data.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{t("batch.cancelTitle")}</DialogTitle>
              <DialogContent>{t("batch.cancelBody")}</DialogContent>
              <DialogActions>
                <Button
                  appearance="primary"
                  onClick={() => {
                    setConfirmCancel(false);
                    control("cancel", cancel);
                  }}
                >
                  {t("batch.cancelConfirm")}
                </Button>
                <Button onClick={() => setConfirmCancel(false)}>{t("batch.keepTagging")}</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}

      {view.final && <Summary view={view} total={total} onDismiss={onDismiss} />}

      {view.rows.length > 0 && (
        <ul className={styles.documents} aria-label={t("batch.documentsInJob")}>
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
        <Text id={titleId} className={styles.documentName} weight="semibold" truncate wrap={false} title={row.title}>
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
          <Caption1>{t("batch.rowStatus", { status: row.status === "pending" && jobOver ? "notStarted" : row.status })}</Caption1>
        </span>
      </div>
      {row.status === "success" && row.tags.length > 0 && (
        <ul className={styles.tags} aria-label={t("batch.tagsOf", { title: row.title })}>
          {row.tags.map((tag) => (
            <li key={tag} className={styles.tag}>
              <Badge appearance="tint" shape="rounded" color="brand" className={styles.badge} title={tag}>
                <span className={styles.badgeText}>{tag}</span>
              </Badge>
            </li>
          ))}
        </ul>
      )}
      {row.status === "success" && row.tags.length === 0 && <Caption1 className={styles.muted}>{t("batch.noTags")}</Caption1>}
      {row.status === "failed" && <Caption1 className={mergeClasses(styles.failed, styles.wrap)}>{row.error}</Caption1>}
    </li>
  );
}

function Summary({ view, total, onDismiss }: { view: JobViewModel; total: number; onDismiss: () => void }) {
  const styles = useStyles();
  const seconds = view.processingTime != null ? formatNumber(Math.max(1, Math.round(view.processingTime))) : "none";
  const counts = { total, tagged: view.taggedCount, failed: view.failedCount, seconds };
  let intent: "success" | "warning" | "info" | "error";
  let title: string;
  let words: string;
  if (view.status === "completed") {
    intent = view.failedCount === 0 ? "success" : "warning";
    title = view.failedCount === 0 ? t("batch.summaryComplete") : t("batch.summaryFailures");
    words = view.failedCount === 0 ? t("batch.summaryCompleteBody", counts) : t("batch.summaryFailuresBody", counts);
  } else if (view.status === "cancelled") {
    intent = "info";
    title = t("batch.summaryCancelled");
    words = t("batch.summaryCancelledBody", counts);
  } else {
    intent = "error";
    title = t("batch.summaryFailed");
    words = t("batch.summaryFailedBody", { ...counts, error: view.error ?? t("batch.jobStopped") });
  }
  return (
    <div className={styles.column}>
      <MessageBar intent={intent} layout="multiline" role="status">
        <MessageBarBody>
          <MessageBarTitle>{title}</MessageBarTitle>
          {words} {view.taggedCount > 0 && t("batch.newTagsWhere")}
        </MessageBarBody>
      </MessageBar>
      <div className={styles.row}>
        <Button appearance="primary" onClick={onDismiss}>
          {t("batch.tagMore")}
        </Button>
      </div>
    </div>
  );
}
