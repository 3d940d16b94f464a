// Ejento's envelope (docs/api.md "Transport rules"): success `{success: true, message, data}`,
// errors `{success: false, message, data: null}` with the HTTP status. A plugin of Ejento routes
// (chat, corpora, indexing) calls useEjentoErrors so that its errors — a body, query or path that
// does not match its schema (422 naming the field), and every 4xx it throws — are answered in the
// envelope; 401 stays as the auth guard answers it, anything unexpected as the app answers it.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import type { EjentoError } from "../../shared/wire/chat";
import { HttpError, isOutOfStorage, OUT_OF_STORAGE } from "../errors";

export function ok<T>(data: T, message = "") {
  return { success: true as const, message, data };
}

export function failure(message: string): EjentoError {
  return { success: false, message, data: null };
}

/** A schema failure in words, each problem led by its field ("user_query: is required"). */
export function schemaProblems(validation: ReadonlyArray<{ instancePath: string; message?: string }>): string {
  return validation
    .map((issue) => {
      const field = issue.instancePath.split("/").filter(Boolean).join(".");
      const message = issue.message ?? "is not valid";
      return field ? `${field}: ${message}` : message;
    })
    .join("; ");
}

/** Answers this plugin's errors in Ejento's envelope (see above). */
export function useEjentoErrors(app: FastifyInstance, map: (error: unknown) => unknown = (error) => error): void {
  app.setErrorHandler((raw: FastifyError | HttpError, _request: FastifyRequest, reply: FastifyReply) => {
    const error = map(raw) as FastifyError | HttpError;
    if (hasZodFastifySchemaValidationErrors(error)) return reply.code(422).send(failure(schemaProblems(error.validation)));
    if (isOutOfStorage(error)) return reply.code(507).send(failure(OUT_OF_STORAGE));
    const status = error instanceof HttpError ? error.statusCode : (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500 && status !== 401 && (error instanceof HttpError || (error as FastifyError).code)) {
      return reply.code(status).headers(error instanceof HttpError ? error.headers : {}).send(failure(error.message));
    }
    throw error;
  });
}
