// "Upload this document": reads the open document through the host and sends it, with progress
// for both steps and a way to stop. The document remembers its Sidecar id in its settings.
// Starting an upload brings its progress into view and moves focus there (the button just pressed
// is disabled while it runs); the outcome replaces the progress in the same place and is announced.
import { Button, Caption1, Card, CardHeader, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUploadRegular } from "@fluentui/react-icons";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useOpenDocumentId } from "../../api/open-document";
import { formatNumber, t } from "../../i18n";
import { useDocumentHost } from "../../office/host-context";
import { announce } from "../../ui/announcer";
import { ErrorMessage } from "../../ui/error-message";
import { useUploadOpenDocument, type UploadProgress } from "../../api/upload-document";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, minWidth: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  // CardHeader is a grid: its text column shrinks (and the name truncates) only when allowed to.
  headerSlot: { minWidth: 0, overflow: "hidden" },
  truncate: { display: "block", overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap", minWidth: 0 },
  outcome: { outlineOffset: "2px", overflowWrap: "anywhere" },
});

export function progressLabel(progress: UploadProgress): string {
  return progress.fraction === undefined
    ? t("documents.progress", { phase: progress.phase })
    : t("documents.progressPercent", { phase: progress.phase, percent: formatNumber(progress.fraction, { style: "percent" }) });
}

function isAborted(error: unknown): boolean {
  return error instanceof Error && (error as { kind?: string }).kind === "aborted";
}

export function UploadCard({ documentKey }: { documentKey: string }) {
  const styles = useStyles();
  const host = useDocumentHost();
  const upload = useUploadOpenDocument();
  const controller = useRef<AbortController | null>(null);
  // The progress (and then the outcome) of the upload started here; focus goes to it on each start.
  const progress = useRef<HTMLDivElement>(null);
  const [attempt, setAttempt] = useState(0);
  // The id this document already carries, if it was uploaded (or generated) before.
  const remembered = useOpenDocumentId(documentKey);
  const name = useQuery({ queryKey: ["document-name", documentKey], queryFn: () => host.getDocumentName() });

  useEffect(() => () => controller.current?.abort(), []);

  useEffect(() => {
    const element = progress.current;
    if (attempt === 0 || !element) return;
    element.scrollIntoView?.({ block: "nearest" });
    element.focus({ preventScroll: true });
  }, [attempt]);

  const start = () => {
    controller.current = new AbortController();
    setAttempt((n) => n + 1);
    // Said once, when this upload ends while the card is on screen (mutate's own callbacks).
    upload.mutate(
      { signal: controller.current.signal },
      {
        onSuccess: (uploaded) =>
          announce(t(uploaded.remembered ? "documents.announceUploaded" : "documents.announceUploadedNotRemembered", { name: uploaded.document_name })),
        onError: (error) => announce(t(isAborted(error) ? "documents.announceUploadStopped" : "documents.announceUploadFailed")),
      },
    );
  };
  const stop = () => {
    controller.current?.abort();
    // The Stop button goes away with the upload: keep focus on the card's progress, where the outcome shows.
    progress.current?.focus({ preventScroll: true });
  };
  const alreadyUploaded = Boolean(remembered.data);

  return (
    <Card>
      <CardHeader
        image={<ArrowUploadRegular fontSize={24} aria-hidden />}
        header={<Text weight="semibold">{t("documents.thisDocument")}</Text>}
        description={{
          className: styles.headerSlot,
          children: (
            <Caption1 className={styles.truncate} title={name.data}>
              {name.data ?? "…"}
            </Caption1>
          ),
        }}
      />
      <div className={styles.column}>
        {alreadyUploaded && !upload.isPending && !upload.data && <Caption1>{t("documents.alreadyUploaded")}</Caption1>}
        <div className={styles.row}>
          <Button appearance="primary" onClick={start} disabled={upload.isPending}>
            {alreadyUploaded ? t("documents.uploadAgain") : t("documents.upload")}
          </Button>
          {upload.isPending && <Button onClick={stop}>{t("documents.stop")}</Button>}
        </div>
        {attempt > 0 && (
          <div ref={progress} tabIndex={-1} role="group" aria-label={t("documents.uploadProgress")} className={`${styles.column} ${styles.outcome}`}>
            {upload.isPending && upload.progress && (
              <div role="status" aria-live="polite" className={styles.column}>
                <ProgressBar value={upload.progress.fraction} max={1} thickness="large" aria-label={t("documents.uploadProgress")} />
                <Caption1>{progressLabel(upload.progress)}</Caption1>
              </div>
            )}
            {upload.data && !upload.isPending && (
              <MessageBar intent={upload.data.remembered ? "success" : "warning"} layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>{t("documents.uploaded")}</MessageBarTitle>
                  {t(upload.data.remembered ? "documents.uploadedBody" : "documents.uploadedNotRemembered", { name: upload.data.document_name })}
                </MessageBarBody>
              </MessageBar>
            )}
            {upload.error && !upload.isPending && (
              <ErrorMessage
                error={upload.error}
                title={isAborted(upload.error) ? t("documents.uploadStopped") : t("documents.uploadFailed")}
                onRetry={start}
              />
            )}
          </div>
        )}
      </div>
    </Card>
  );
}
