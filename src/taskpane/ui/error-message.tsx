// Every panel shows failures the same way: a Fluent MessageBar with what happened and what to
// do — never a stack trace or "Something went wrong".
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { isApiError } from "../api/api-error";
import { OfficeError } from "../office/document-host";

export interface ErrorWords {
  title: string;
  message: string;
}

const apiTitles: Record<string, string> = {
  unauthorized: "Signed out",
  forbidden: "No access",
  not_found: "Not found",
  invalid: "Not accepted",
  too_large: "Too large",
  conflict: "Conflict",
  rate_limited: "Server busy",
  server: "Server problem",
  network: "Can't reach the server",
  aborted: "Stopped",
};

const officeTitles: Record<string, string> = {
  unsupported: "Not available in this version of Word",
  no_document: "No document",
  read_failed: "Couldn't read the document",
  write_failed: "Couldn't change the document",
  aborted: "Stopped",
  already_written: "Already in the document",
};

export function describeError(error: unknown): ErrorWords {
  if (isApiError(error)) return { title: apiTitles[error.kind] ?? "Request failed", message: error.message };
  if (error instanceof OfficeError) return { title: officeTitles[error.kind] ?? "Word problem", message: error.message };
  const message = error instanceof Error && error.message ? error.message : String(error);
  return { title: "Unexpected problem", message: `${message}. Try again; if it keeps happening, reload the pane.` };
}

export function ErrorMessage({
  error,
  title,
  message,
  onRetry,
  retryLabel = "Try again",
}: {
  error?: unknown;
  title?: string;
  /** Words to show instead of the error's own (for example the server's reason for a failed job). */
  message?: string;
  onRetry?: () => void;
  retryLabel?: string;
}) {
  const words = message !== undefined ? { title: title ?? "Failed", message } : describeError(error);
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title ?? words.title}</MessageBarTitle>
        {words.message}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button size="small" onClick={onRetry}>
            {retryLabel}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
