// One error type for every server call, with a kind the UI can switch on and a message a
// person can act on (docs/api.md "Transport rules"), in the pane's language.
import { t } from "../i18n";

export type ApiErrorKind =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "invalid"
  | "too_large"
  | "conflict"
  | "rate_limited"
  | "server"
  | "network"
  | "aborted";

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | undefined;
  /** Endpoint name from the endpoint table, for logs and messages. */
  readonly endpoint: string;
  /** What the server said, when it said something readable. */
  readonly detail: string | undefined;

  constructor(init: { kind: ApiErrorKind; message: string; endpoint: string; status?: number; detail?: string; cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.name = "ApiError";
    this.kind = init.kind;
    this.status = init.status;
    this.endpoint = init.endpoint;
    this.detail = init.detail;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function kindForStatus(status: number): ApiErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403 || status === 410) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "too_large";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "invalid";
}

/**
 * Reads the message out of an error body in either vendor shape:
 * FastAPI `{detail: string | [{loc, msg}]}` or Ejento `{success: false, message}`.
 */
export function messageFromBody(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const detail = record.detail;
  if (typeof detail === "string" && detail.trim()) return detail.trim();
  if (Array.isArray(detail)) {
    const parts = detail
      .map((item) => {
        if (!item || typeof item !== "object") return typeof item === "string" ? item : "";
        const { msg, loc } = item as { msg?: unknown; loc?: unknown };
        const field = Array.isArray(loc) ? loc.filter((p) => p !== "body").join(".") : "";
        if (typeof msg !== "string") return "";
        // Sidecar's server already starts msg with the field; FastAPI's doesn't.
        return field && !msg.startsWith(field) ? `${field}: ${msg}` : msg;
      })
      .filter(Boolean);
    if (parts.length) return parts.join("; ");
  }
  for (const key of ["message", "error_description", "error"]) {
    const value = record[key];
    if (typeof value === "string" && value.trim()) return value.trim();
  }
  return undefined;
}

/** Words for a failure the server did not explain, in the pane's language. */
export function fallbackMessage(kind: ApiErrorKind): string {
  switch (kind) {
    case "unauthorized":
      return t("api.errorUnauthorized");
    case "forbidden":
      return t("api.errorForbidden");
    case "not_found":
      return t("api.errorNotFound");
    case "invalid":
      return t("api.errorInvalid");
    case "too_large":
      return t("api.errorTooLarge");
    case "conflict":
      return t("api.errorConflict");
    case "rate_limited":
      return t("api.errorRateLimited");
    case "server":
      return t("api.errorServer");
    case "network":
      return t("api.errorNetwork");
    case "aborted":
      return t("api.errorAborted");
  }
}
