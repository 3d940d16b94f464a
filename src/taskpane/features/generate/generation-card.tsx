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
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircleFilled, CircleRegular, DismissCircleFilled, DismissRegular } from "@fluentui/react-icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import { isApiError } from "../../api/api-error";
import { serviceLabels } from "../../api/connection-settings";
import { downloadByKey } from "../../api/download";
import { documentsQueryOptions, parseServerTime } from "../../api/get-documents";
import { queryKeys } from "../../api/query-keys";
import type { GenerationStatus } from "../../../shared/wire/documents";
import { useDocumentHost } from "../../office/host-context";
import { ErrorMessage } from "../../ui/error-message";
import { useGenerateDocument } from "./api/generate-document";
import { getDocument } from "./api/get-document";
import { isFinished, useGenerationStatus } from "./api/get-generation-status";
import { nextOutputName, recentGenerations, type TrackedGeneration } from "./recent-generations";

const useStyles = makeStyles({
  steps: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", listStyleType: "none", margin: 0, padding: 0 },
  step: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXXS, color: tokens.colorNeutralForeground3 },
  current: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap", alignItems: "center" },
});

const steps: Array<{ status: GenerationStatus; label: string }> = [
  { status: "Pending", label: "Queued" },
  { status: "Ingesting", label: "Reading sources" },
  { status: "Generating", label: "Writing" },
  { status: "Ready", label: "Ready" },
];
const order: Record<GenerationStatus, number> = { Pending: 0, Ingesting: 1, Generating: 2, Ready: 3, Failed: 3 };

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes ? `${minutes} min ${String(seconds % 60).padStart(2, "0")} s` : `${seconds} s`;
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
        recentGenerations().forget(generation.taskId);
        recentGenerations().track({ ...generation, taskId: task_id, outputName: request.output_name, startedAt: Date.now(), request });
      },
    });
  };

  // Where the job runs, as the Account tab names it: the one server, or the documents service.
  const separate = useConnectionSettings().mode === "separate";
  const server = separate ? serviceLabels.documents : "the server";
  const serverSettings = separate ? serviceLabels.documents : "Server settings";
  const reconnecting = status.isError && isApiError(status.error) && ["network", "server", "rate_limited", "unauthorized"].includes(status.error.kind);
  const gone = status.isError && isApiError(status.error) && (status.error.kind === "not_found" || status.error.kind === "forbidden");
  // Running: time so far. Finished: how long it took, fixed (nothing while that is not known).
  const elapsed = !finished ? now - generation.startedAt : (generation.tookMs ?? serverTook ?? listTook);
  const openLabel = host.info.kind === "word" ? "Open in Word" : "Open in preview";

  return (
    <Card aria-label={`Generation ${generation.outputName}`}>
      <CardHeader
        header={<Text weight="semibold">{generation.outputName}.docx</Text>}
        description={
          <Caption1>
            {generation.templateName} · {current ?? "Checking"}
            {elapsed !== undefined && ` · ${finished ? "took " : ""}${formatElapsed(elapsed)}`}
          </Caption1>
        }
        action={
          <Button
            appearance="subtle"
            icon={<DismissRegular />}
            aria-label={`Stop following ${generation.outputName}`}
            title="Remove from this list (the server keeps the document)"
            onClick={() => recentGenerations().forget(generation.taskId)}
          />
        }
      />
      <div className={styles.body}>
        <ol className={styles.steps} aria-label="Stages">
          {steps.map((step) => {
            const index = order[step.status];
            const at = current ? order[current] : -1;
            const done = current === "Ready" ? index <= at : index < at;
            const isCurrent = !finished && index === at;
            const failedHere = current === "Failed" && index === 3;
            return (
              <li
                key={step.status}
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
                <Caption1>{failedHere ? "Failed" : step.label}</Caption1>
              </li>
            );
          })}
        </ol>
        {!finished && (
          <ProgressBar
            value={status.data?.progress != null ? status.data.progress / 100 : undefined}
            max={1}
            aria-label={`Progress of ${generation.outputName}`}
          />
        )}
        {reconnecting && (
          <MessageBar intent="warning" layout="multiline" role="status">
            <MessageBarBody>
              <MessageBarTitle>Reconnecting…</MessageBarTitle>
              {isApiError(status.error) && status.error.kind === "network"
                ? `Sidecar can't reach ${server}; it will pick the job up when ${server} is back. If it stays away, check that it is running and its address in Account → Connection → ${serverSettings}.`
                : `${status.error.message} Sidecar will pick the job up when ${server} answers again.`}
            </MessageBarBody>
          </MessageBar>
        )}
        {gone && <ErrorMessage error={status.error} title="This generation is no longer on the server" />}
        {current === "Failed" && (
          <ErrorMessage
            message={status.data?.error || "The server did not say why."}
            title="Generation failed"
            onRetry={retry.isPending ? undefined : tryAgain}
            retryLabel="Try again with a new name"
          />
        )}
        {retry.error && <ErrorMessage error={retry.error} title="Couldn't start again" />}
        {current === "Ready" && (
          <div className={styles.actions}>
            <Button appearance="primary" disabled={deliver.isPending} onClick={() => deliver.mutate("open")}>
              {openLabel}
            </Button>
            <Button disabled={deliver.isPending} onClick={() => deliver.mutate("insert")}>
              Insert into this document
            </Button>
            {deliver.isPending && <Spinner size="tiny" label="Downloading…" />}
            {deliver.data === "opened-new-window" && <Caption1>Opened in a new Word window.</Caption1>}
            {deliver.data === "opened-in-preview" && <Caption1>Opened in the preview.</Caption1>}
            {deliver.data === "inserted" && <Caption1>Inserted at the cursor.</Caption1>}
          </div>
        )}
        {deliver.error && <ErrorMessage error={deliver.error} title="Couldn't open the result" onRetry={() => deliver.mutate(deliver.variables ?? "open")} />}
      </div>
    </Card>
  );
}
