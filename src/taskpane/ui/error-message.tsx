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
function apiTitle(kind: ApiErrorKind): string {
  const titles: Record<ApiErrorKind, MessageId> = {
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
  const id = titles[kind] as MessageId | undefined;
  return t(id ?? "ui.errorTitleRequestFailed");
}

/** The title for each kind of Word (or browser-tab document) failure. */
function officeTitle(kind: OfficeErrorKind): string {
  const titles: Record<OfficeErrorKind, MessageId> = {
    unsupported: "ui.errorTitleUnsupported",
    no_document: "ui.errorTitleNoDocument",
    read_failed: "ui.errorTitleReadFailed",
    write_failed: "ui.errorTitleWriteFailed",
    aborted: "ui.errorTitleStopped",
    already_written: "ui.errorTitleAlreadyWritten",
  };
  const id = titles[kind] as MessageId | undefined;
  return t(id ?? "ui.errorTitleWordProblem");
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
