// Field schemas the wire schemas of several areas use. Their messages are the words that follow a
// field's name: the server's 422 reads "document_id: is required" (src/server/app.ts puts the
// field first), so a message starts in lower case and never repeats the name.
import { z } from "zod";

/** `whenMissing` when the field is absent or null, else "must be <expected>". */
function missingOr(expected: string, whenMissing = "is required") {
  return (issue: { input?: unknown }) => (issue.input == null ? whenMissing : `must be ${expected}`);
}

const isBlank = (value: string) => value.trim() === "";

/** A string that must be sent and not be blank, kept exactly as sent (ids are compared byte for byte). */
export function requiredText() {
  return z.string({ error: missingOr("a string") }).refine((value) => !isBlank(value), { message: "is required" });
}

/** A string that must be sent and not be blank, trimmed. `whenMissing` replaces "is required". */
export function trimmedText(whenMissing = "is required") {
  return z.string({ error: missingOr("a string", whenMissing) }).trim().min(1, { message: whenMissing });
}

/** A string that may be left out or null. */
export function optionalText() {
  return z.string({ error: "must be a string" }).nullish();
}

/** A whole number from `min` to `max` (a JSON number: "8" is not one). */
export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** A list that must be sent; `expected` says what it is a list of, for the message when it isn't one. */
export function requiredList<T extends z.ZodType>(item: T, expected: string) {
  return z.array(item, { error: missingOr(expected) });
}

/** An object body; `shape` (what to send) is the message when the body is not a JSON object. */
export function objectBody<T extends z.ZodRawShape>(fields: T, shape: string) {
  return z.object(fields, { error: `Send a JSON object ${shape}.` });
}

/** One path parameter, as a string (the service says 404 when it names nothing). */
export function pathParams<const Name extends string>(name: Name) {
  return z.object({ [name]: z.string() } as Record<Name, z.ZodString>);
}

/**
 * A body of which only the fields `Sure` are sure to be there: what a client that tolerates a
 * vendor's gaps relies on (the pane checks those and reads the rest as maybe absent).
 */
export type AtLeast<T, Sure extends keyof T> = Pick<T, Sure> & Partial<Omit<T, Sure>>;
