// Every panel shows failures the same way: a Fluent MessageBar with what happened and what to
// do — never a stack trace or "Something went wrong".
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { isApiError, type ApiErrorKind } from "../api/api-error";
import { t, type MessageId } from "../i18n";
import { OfficeError, type OfficeErrorKind } from "../office/document-host";

export interface ErrorWords {
  title: string;
  message: string;
}

/** The title for each kind of server failure (message ids: the words are looked up when shown). */
const apiTitles: Record<ApiErrorKind, MessageId> = {
  unauthorized: "ui.errorTitleUnauthorized",
  forbidden: "ui.errorTitleForbidden",
  not_found: "ui.errorTitleNotFound",
  invalid: "ui.errorTitleInvalid",
  too_large: "ui.errorTitleTooLarge",
  conflict: "ui.errorTitleConflict",
  rate_limited: "ui.errorTitleRateLimited",
  server: "ui.errorTitleServer",
  network: "ui.errorTitleNetwork",
  aborted: "ui.errorTitleStopped",
};

/** The title for each kind of Word (or browser-tab document) failure. */
const officeTitles: Record<OfficeErrorKind, MessageId> = {
  unsupported: "ui.errorTitleUnsupported",
  no_document: "ui.errorTitleNoDocument",
  read_failed: "ui.errorTitleReadFailed",
  write_failed: "ui.errorTitleWriteFailed",
  aborted: "ui.errorTitleStopped",
  already_written: "ui.errorTitleAlreadyWritten",
};

function apiTitle(kind: ApiErrorKind): string {
  return t((apiTitles[kind] as MessageId | undefined) ?? "ui.errorTitleRequestFailed");
}

function officeTitle(kind: OfficeErrorKind): string {
  return t((officeTitles[kind] as MessageId | undefined) ?? "ui.errorTitleWordProblem");
}

export function describeError(error: unknown): ErrorWords {
  if (isApiError(error)) return { title: apiTitle(error.kind), message: error.message };
  if (error instanceof OfficeError) return { title: officeTitle(error.kind), message: error.message };
  const message = error instanceof Error && error.message ? error.message : String(error);
  return { title: t("ui.errorTitleUnexpected"), message: t("ui.unexpectedMessage", { message }) };
}

export function ErrorMessage({
  error,
  title,
  message,
  onRetry,
  retryLabel,
}: {
  error?: unknown;
  title?: string;
  /** Words to show instead of the error's own (for example the server's reason for a failed job). */
  message?: string;
  onRetry?: () => void;
  /** Defaults to "Try again". */
  retryLabel?: string;
}) {
  const words = message !== undefined ? { title: title ?? t("ui.errorTitleFailed"), message } : describeError(error);
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ?? words.title}</MessageBarTitle>
        {words.message}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button size="small" onClick={onRetry}>
            {retryLabel ?? t("ui.tryAgain")}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
