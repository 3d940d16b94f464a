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

/** What a person is told when the disk (or the database on it) is full. */
export const OUT_OF_STORAGE = "The server is out of storage; nothing was saved. Free some disk space on the server, then try again.";

/** A full disk, as the file layer (ENOSPC, EDQUOT), SQLite (SQLITE_FULL) or PostgreSQL (53100 disk_full) reports it, however wrapped. */
export function isOutOfStorage(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === "ENOSPC" || code === "EDQUOT" || code === "SQLITE_FULL" || code === "53100") return true;
  }
  return false;
}
