// WebSocket /api/batch/ws/{job_id}?token=… — a read-only observer of one job (docs/vendors.md (tag generator, Part B)
// "WebSocket"). Every message is one JSON text frame with a `type`; closing never affects the job.
import type { HttpClient } from "../../../api/http-client";

export type SocketMessage = Record<string, unknown> & { type?: string };

/** The server's words when it refuses the token: refresh it and connect again. */
export const authenticationRequired = "Authentication required";
/** The server's words for a job that is not (or no longer, or not the caller's) there. */
export const jobNotFound = "Job not found";

export function openBatchSocket(client: HttpClient, jobId: string): { socket: WebSocket; token: string | undefined } {
  const { url, token } = client.socketUrl("batchSocket", { params: { job_id: jobId } });
  return { socket: new WebSocket(url), token };
}

/** One frame as a message, or undefined for anything that is not a JSON object. */
export function parseSocketMessage(data: unknown): SocketMessage | undefined {
  if (typeof data !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as SocketMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** completed / cancelled / error: the job is over and the server closes the socket. */
export function isFinalMessage(message: SocketMessage): boolean {
  return message.type === "completed" || message.type === "cancelled" || message.type === "error";
}

/** The socket's `error` messages that are about the connection, not a crashed job. */
export function connectionProblem(message: SocketMessage): "auth" | "not-found" | undefined {
  if (message.type !== "error" && message.type !== undefined) return undefined;
  const error = typeof message.error === "string" ? message.error.trim() : "";
  if (error === authenticationRequired) return "auth";
  if (error === jobNotFound) return "not-found";
  return undefined;
}
