// "Upload this document": reads the open document through the host and sends it, with progress
// for both steps and a way to stop. The document remembers its Sidecar id in its settings.
import { Button, Caption1, Card, CardHeader, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowUploadRegular } from "@fluentui/react-icons";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useOpenDocumentId } from "../../api/open-document";
import { useDocumentHost } from "../../office/host-context";
import { ErrorMessage } from "../../ui/error-message";
import { useUploadOpenDocument, type UploadProgress } from "../../api/upload-document";

const useStyles = makeStyles({
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

const phaseWords: Record<UploadProgress["phase"], string> = {
  reading: "Reading the document",
  sending: "Sending to the server",
  saving: "Remembering it in the document",
};

export function progressLabel(progress: UploadProgress): string {
  const percent = progress.fraction === undefined ? "" : ` ${Math.round(progress.fraction * 100)}%`;
  return `${phaseWords[progress.phase]}…${percent}`;
}

export function UploadCard({ documentKey }: { documentKey: string }) {
  const styles = useStyles();
  const host = useDocumentHost();
  const upload = useUploadOpenDocument();
  const controller = useRef<AbortController | null>(null);
  // The id this document already carries, if it was uploaded (or generated) before.
  const remembered = useOpenDocumentId(documentKey);
  const name = useQuery({ queryKey: ["document-name", documentKey], queryFn: () => host.getDocumentName() });

  useEffect(() => () => controller.current?.abort(), []);

  const start = () => {
    controller.current = new AbortController();
    upload.mutate({ signal: controller.current.signal });
  };
  const alreadyUploaded = Boolean(remembered.data);

  return (
    <Card>
      <CardHeader
        image={<ArrowUploadRegular fontSize={24} aria-hidden />}
        header={<Text weight="semibold">This document</Text>}
        description={<Caption1>{name.data ?? "…"}</Caption1>}
      />
      <div className={styles.column}>
        {alreadyUploaded && !upload.isPending && !upload.data && (
          <Caption1>This document is already in Sidecar. Upload it again to send your latest changes.</Caption1>
        )}
        <div className={styles.row}>
          <Button appearance="primary" onClick={start} disabled={upload.isPending}>
            {alreadyUploaded ? "Upload again" : "Upload this document"}
          </Button>
          {upload.isPending && <Button onClick={() => controller.current?.abort()}>Stop</Button>}
        </div>
        {upload.isPending && upload.progress && (
          <div role="status" aria-live="polite" className={styles.column}>
            <ProgressBar value={upload.progress.fraction} max={1} thickness="large" />
            <Caption1>{progressLabel(upload.progress)}</Caption1>
          </div>
        )}
        {upload.data && !upload.isPending && (
          <MessageBar intent={upload.data.remembered ? "success" : "warning"} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Uploaded</MessageBarTitle>
              {upload.data.document_name} is in Sidecar.
              {!upload.data.remembered && " Word did not let Sidecar note this in the document, so it may ask again next time."}
            </MessageBarBody>
          </MessageBar>
        )}
        {upload.error && !upload.isPending && (
          <ErrorMessage error={upload.error} title={describeUploadFailure(upload.error)} onRetry={start} />
        )}
      </div>
    </Card>
  );
}

function describeUploadFailure(error: unknown): string | undefined {
  return error instanceof Error && (error as { kind?: string }).kind === "aborted" ? "Upload stopped" : "Upload failed";
}
