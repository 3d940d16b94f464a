// One followed generation: a stepper for Pending → Ingesting → Generating → Ready, elapsed time
// and progress (a finished job: how long it took, fixed); "reconnecting" while the server can't be
// reached; Open / Insert on Ready; the server's error and Try again on Failed.
import {
  Button,
  Caption1,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Spinner,
  Text,
  createFocusOutlineStyle,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleFilled, CircleRegular, DismissCircleFilled, DismissRegular } from "@fluentui/react-icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import { isApiError } from "../../api/api-error";
import { serviceLabels } from "../../api/connection-settings";
import { downloadByKey } from "../../api/download";
import { documentsQueryOptions, parseServerTime } from "../../api/get-documents";
import { queryKeys } from "../../api/query-keys";
import type { GenerationStatus } from "../../../shared/wire/documents";
import { formatNumber, t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { useGenerateDocument } from "./api/generate-document";
import { getDocument } from "./api/get-document";
import { isFinished, useGenerationStatus } from "./api/get-generation-status";
import {
  firstAnnouncement,
  focusWhenShown,
  nextOutputName,
  noteStartedHere,
  recentGenerations,
  takeFocusRequest,
  wasStartedHere,
  type TrackedGeneration,
} from "./recent-generations";

const useStyles = makeStyles({
  card: createFocusOutlineStyle(),
  // The name keeps to one line (ellipsis, the whole name in its title); the line under it wraps.
  header: { minWidth: 0, overflow: "hidden" },
  name: { minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  description: { minWidth: 0 },
  caption: { overflowWrap: "anywhere" },
  steps: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", listStyleType: "none", margin: 0, padding: 0 },
  step: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXXS, color: tokens.colorNeutralForeground3 },
  current: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
});

const steps: readonly GenerationStatus[] = ["Pending", "Ingesting", "Generating", "Ready"];
const order: Record<GenerationStatus, number> = { Pending: 0, Ingesting: 1, Generating: 2, Ready: 3, Failed: 3 };

/** The stepper's word for a stage. */
function stepLabel(status: GenerationStatus): string {
  switch (status) {
    case "Pending":
      return t("generate.stepQueued");
    case "Ingesting":
      return t("generate.stepReading");
    case "Generating":
      return t("generate.stepWriting");
    case "Ready":
      return t("generate.stepReady");
    case "Failed":
      return t("generate.stepFailed");
  }
}

/** The card's word for the job's status (undefined: not known yet). */
function statusWord(status: GenerationStatus | undefined): string {
  switch (status) {
    case undefined:
      return t("generate.statusChecking");
    case "Pending":
      return t("generate.statusPending");
    case "Ingesting":
      return t("generate.statusIngesting");
    case "Generating":
      return t("generate.statusGenerating");
    case "Ready":
      return t("generate.statusReady");
    case "Failed":
      return t("generate.statusFailed");
  }
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes
    ? t("generate.elapsedMinutes", { minutes: formatNumber(minutes), seconds: formatNumber(seconds % 60, { minimumIntegerDigits: 2 }) })
    : t("generate.elapsedSeconds", { seconds: formatNumber(seconds) });
}

/** Milliseconds from `start` to `end` (server times, ISO or Artos's zone-less form); undefined when either is unreadable or they run backwards. */
export function durationBetween(start: string | null | undefined, end: string | null | undefined): number | undefined {
  const from = start ? parseServerTime(start) : undefined;
  const to = end ? parseServerTime(end) : undefined;
  if (!from || !to) return undefined;
  const ms = to.getTime() - from.getTime();
  return ms >= 0 ? ms : undefined;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function GenerationCard({ generation }: { generation: TrackedGeneration }) {
  const styles = useStyles();
  const client = useApiClient();
  const host = useDocumentHost();
  const queryClient = useQueryClient();
  const status = useGenerationStatus(generation.taskId);
  const retry = useGenerateDocument();
  const current = status.data?.status;
  const finished = isFinished(current);
  const now = useNow(!finished);
  // Seen running in this visit: when it then finishes, now is (about) when it finished.
  const seenRunning = useRef(false);
  if (current !== undefined && !finished) seenRunning.current = true;
  const cardRef = useRef<HTMLDivElement>(null);
  const captionId = useId();

  // How long a finished job took, in this order: the server's own times (the local server's
  // status says when it was asked for and when it ended); what this pane saw (it ran, then ended);
  // for a job that ended while the pane was closed, against a service whose status has no times
  // (Artos), the document's created and updated times in the list (docs/vendors.md, Artos §3.1),
  // read after the pane saw the job finished. The first figure found is kept for every later visit.
  const serverTook = finished ? durationBetween(status.data?.queued_at, status.data?.finished_at) : undefined;
  const needList = finished && generation.tookMs === undefined && serverTook === undefined && !seenRunning.current;
  const documents = useQuery({ ...documentsQueryOptions(client), enabled: needList, staleTime: 0 });
  const listed = needList && documents.dataUpdatedAt >= status.dataUpdatedAt ? documents.data?.find((d) => d.document_id === generation.taskId) : undefined;
  const listTook = listed ? durationBetween(listed.created_at, listed.updated_at) : undefined;

  useEffect(() => {
    if (!finished) return;
    if (current === "Ready") void queryClient.invalidateQueries({ queryKey: queryKeys.documents.all });
  }, [finished]); // eslint-disable-line react-hooks/exhaustive-deps

  // A job this pane started (Generate, Try again) comes into view and takes focus when its card appears.
  useEffect(() => {
    if (!takeFocusRequest(generation.taskId)) return;
    cardRef.current?.scrollIntoView?.({ block: "nearest" });
    cardRef.current?.focus();
  }, [generation.taskId, generation.startedAt]);

  // Ready or Failed is said to screen readers once, when the pane sees it happen: the job was seen
  // running (or was started here) and now it has ended. A job found already ended is not news.
  const previous = useRef<GenerationStatus | undefined>(undefined);
  useEffect(() => {
    const before = previous.current;
    previous.current = current;
    if (!isFinished(current)) return;
    const live = (before !== undefined && !isFinished(before)) || wasStartedHere(generation);
    if (!live || !firstAnnouncement(generation)) return;
    announce(
      current === "Ready"
        ? t("generate.announceReady", { name: generation.outputName })
        : t("generate.announceFailed", { name: generation.outputName, reason: status.data?.error || t("generate.noReason") }),
    );
  }, [current]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!finished || generation.tookMs !== undefined) return;
    const took = serverTook ?? (seenRunning.current ? Date.now() - generation.startedAt : listTook);
    if (took !== undefined) recentGenerations().recordDuration(generation.taskId, took);
  }, [finished, serverTook, listTook, generation.tookMs, generation.taskId, generation.startedAt]);

  const deliver = useMutation({
    mutationFn: async (how: "open" | "insert") => {
      const detail = await getDocument(client, generation.taskId);
      const bytes = await downloadByKey(client, detail.s3_key);
      if (how === "open") return host.openGeneratedDocument(bytes, detail.document_name || `${generation.outputName}.docx`);
      await host.insertDocument(bytes, "cursor");
      return "inserted" as const;
    },
  });

  const tryAgain = () => {
    const request = { ...generation.request, output_name: nextOutputName(generation.request.output_name) };
    retry.mutate(request, {
      onSuccess: ({ task_id }) => {
        const again = { ...generation, taskId: task_id, outputName: request.output_name, startedAt: Date.now(), tookMs: undefined, request };
        noteStartedHere(again);
        // This card goes (and its button with the focus): the new one takes the focus.
        focusWhenShown(task_id);
        recentGenerations().forget(generation.taskId);
        recentGenerations().track(again);
      },
    });
  };

  // Where the job runs, as the Account tab names it: the one server, or the documents service.
  const separate = useConnectionSettings().mode === "separate";
  const service = serviceLabels.documents;
  const reconnecting = status.isError && isApiError(status.error) && ["network", "server", "rate_limited", "unauthorized"].includes(status.error.kind);
  const gone = status.isError && isApiError(status.error) && (status.error.kind === "not_found" || status.error.kind === "forbidden");
  // Running: time so far. Finished: how long it took, fixed (nothing while that is not known).
  const elapsed = !finished ? now - generation.startedAt : (generation.tookMs ?? serverTook ?? listTook);
  const openLabel = host.info.kind === "word" ? t("generate.openInWord") : t("generate.openInPreview");
  const caption =
    elapsed === undefined
      ? t("generate.caption", { template: generation.templateName, status: statusWord(current) })
      : t(finished ? "generate.captionTook" : "generate.captionElapsed", { template: generation.templateName, status: statusWord(current), elapsed: formatElapsed(elapsed) });
  const fileName = `${generation.outputName}.docx`;

  return (
    // Named by the document; the line under the name (template, status, time) describes it. It
    // takes the focus (tabIndex -1) when the pane starts the job, so it is seen and heard at once.
    <Card ref={cardRef} tabIndex={-1} className={styles.card} aria-label={t("generate.cardLabel", { name: generation.outputName })} aria-describedby={captionId}>
      <CardHeader
        header={{
          className: styles.header,
          children: (
            <Text weight="semibold" className={styles.name} title={fileName}>
              {fileName}
            </Text>
          ),
        }}
        description={{
          className: styles.description,
          children: (
            <Caption1 id={captionId} className={styles.caption}>
              {caption}
            </Caption1>
          ),
        }}
        action={
          <Button
            appearance="subtle"
            icon={<DismissRegular />}
            aria-label={t("generate.stopFollowing", { name: generation.outputName })}
            title={t("generate.removeFromList")}
            onClick={() => recentGenerations().forget(generation.taskId)}
          />
        }
      />
      <div className={styles.body}>
        <ol className={styles.steps} aria-label={t("generate.stages")}>
          {steps.map((step) => {
            const index = order[step];
            const at = current ? order[current] : -1;
            const done = current === "Ready" ? index <= at : index < at;
            const isCurrent = !finished && index === at;
            const failedHere = current === "Failed" && index === 3;
            return (
              <li
                key={step}
                className={mergeClasses(styles.step, isCurrent && styles.current, done && styles.done, failedHere && styles.failed)}
                aria-current={isCurrent ? "step" : undefined}
              >
                {failedHere ? (
                  <DismissCircleFilled aria-hidden />
                ) : done ? (
                  <CheckmarkCircleFilled aria-hidden />
                ) : isCurrent ? (
                  <Spinner size="extra-tiny" aria-hidden />
                ) : (
                  <CircleRegular aria-hidden />
                )}
                <Caption1>{stepLabel(failedHere ? "Failed" : step)}</Caption1>
              </li>
            );
          })}
        </ol>
        {!finished && (
          <ProgressBar
            value={status.data?.progress != null ? status.data.progress / 100 : undefined}
            max={1}
            aria-label={t("generate.progressOf", { name: generation.outputName })}
          />
        )}
        {reconnecting && (
          <MessageBar intent="warning" layout="multiline" role="status">
            <MessageBarBody>
              <MessageBarTitle>{t("generate.reconnecting")}</MessageBarTitle>
              {isApiError(status.error) && status.error.kind === "network"
                ? separate
                  ? t("generate.cantReachService", { service })
                  : t("generate.cantReachServer")
                : separate
                  ? t("generate.pickUpWhenServiceAnswers", { message: status.error.message, service })
                  : t("generate.pickUpWhenServerAnswers", { message: status.error.message })}
            </MessageBarBody>
          </MessageBar>
        )}
        {gone && <ErrorMessage error={status.error} title={t("generate.gone")} />}
        {current === "Failed" && (
          <ErrorMessage
            message={status.data?.error || t("generate.noReason")}
            title={t("generate.failedTitle")}
            onRetry={retry.isPending ? undefined : tryAgain}
            retryLabel={t("generate.tryAgainNewName")}
          />
        )}
        {retry.error && <ErrorMessage error={retry.error} title={t("generate.retryFailed")} />}
        {current === "Ready" && (
          <div className={styles.actions}>
            <Button appearance="primary" disabled={deliver.isPending} onClick={() => deliver.mutate("open")}>
              {openLabel}
            </Button>
            <Button disabled={deliver.isPending} onClick={() => deliver.mutate("insert")}>
              {t("generate.insert")}
            </Button>
            {deliver.isPending && <Spinner size="tiny" label={t("generate.downloading")} />}
            {deliver.data === "opened-new-window" && <Caption1>{t("generate.openedNewWindow")}</Caption1>}
            {deliver.data === "opened-in-preview" && <Caption1>{t("generate.openedInPreview")}</Caption1>}
            {deliver.data === "inserted" && <Caption1>{t("generate.inserted")}</Caption1>}
          </div>
        )}
        {deliver.error && <ErrorMessage error={deliver.error} title={t("generate.openFailed")} onRetry={() => deliver.mutate(deliver.variables ?? "open")} />}
      </div>
    </Card>
  );
}
