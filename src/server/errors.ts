// One error type for "answer the caller with this status and this message". Routes and services
// throw it; the error handler in app.ts turns it into `{detail}` (FastAPI style, docs/api.md).

export type ErrorDetail = string | Array<{ loc: (string | number)[]; msg: string; type: string }>;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: ErrorDetail,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === "string" ? detail : detail.map((d) => d.msg).join("; "));
    this.name = "HttpError";
  }
}

export const UNEXPECTED_ERROR =
  "The server hit an unexpected error. Try again; if it keeps happening, check the server log.";
