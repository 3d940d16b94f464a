// Follows one batch job: the WebSocket while it works, status polling every 3 s with backoff
// reconnects when it does not (connection-state.ts), a token refresh when the socket refuses the
// token, and everything folded into one job view (job-state.ts). Sockets and timers end when the
// job is over and when the view goes away.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { useApiClient, useServiceSignIn } from "../../api/api-context";
import { isApiError } from "../../api/api-error";
import { batchKeys, queryKeys } from "../../api/query-keys";
import { connectionProblem, isFinalMessage, openBatchSocket, parseSocketMessage } from "./api/batch-socket";
import { batchStatusQueryOptions, useBatchStatus } from "./api/get-batch-status";
import { connectionWords, initialLink, linkReducer, nextRetryIn, statusPolling, type LinkState } from "./connection-state";
import { initialJobView, isSnapshotOver, jobReducer, type JobView } from "./job-state";

export interface BatchJobFollow {
  view: JobView;
  link: LinkState;
  /** The connection in words ("Live", "Connection lost — checking every 3 s, reconnecting…"). */
  connection: string;
  /** Why the last status check failed, while the socket is lost (the pane keeps checking). */
  checkProblem: string | undefined;
  /** The status a control answer reported. */
  applyStatus: (status: string) => void;
  /** One status request now (after a control was refused, the job moved on). */
  checkNow: () => void;
  reconnectNow: () => void;
}

export function useBatchJob(jobId: string, options: { checkFirst: boolean; titles?: string[] }): BatchJobFollow {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const session = useServiceSignIn("batch");
  const [view, dispatch] = useReducer(jobReducer, undefined, () => initialJobView(jobId, options.titles));
  const [link, send] = useReducer(linkReducer, options.checkFirst, initialLink);
  const linkRef = useRef(link);
  linkRef.current = link;

  // Status requests: once for a remembered job, every 3 s while the socket is lost.
  const status = useBatchStatus(jobId, statusPolling(link));
  useEffect(() => {
    if (!status.data) return;
    dispatch({ type: "snapshot", snapshot: status.data });
    send({ type: "checked", final: isSnapshotOver(status.data) });
  }, [status.dataUpdatedAt]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!status.error) return;
    if (isApiError(status.error) && (status.error.kind === "not_found" || status.error.kind === "forbidden")) send({ type: "gone" });
    else send({ type: "check-failed" });
  }, [status.errorUpdatedAt]); // eslint-disable-line react-hooks/exhaustive-deps

  // The socket: a new one whenever link.socket changes; closed when it changes again or on unmount.
  useEffect(() => {
    const socketId = link.socket;
    if (socketId === null) return;
    let opened: ReturnType<typeof openBatchSocket>;
    try {
      opened = openBatchSocket(client, jobId);
    } catch {
      send({ type: "lost", socket: socketId });
      return;
    }
    const { socket, token } = opened;
    // Set once the server said something that ends this socket's story (final, auth, not found).
    let settled = false;
    const onMessage = (event: MessageEvent) => {
      const message = parseSocketMessage(event.data);
      if (!message) return;
      const problem = connectionProblem(message);
      if (problem === "not-found") {
        settled = true;
        send({ type: "gone" });
        return;
      }
      if (problem === "auth") {
        settled = true;
        const firstRefusal = !linkRef.current.afterRefresh;
        send({ type: "auth-rejected", socket: socketId });
        // Only the first refusal refreshes; a fresh token refused too backs off like any failure.
        if (firstRefusal) {
          client.refreshRejectedToken(token, "batch").then(
            () => send({ type: "auth-refreshed" }),
            () => send({ type: "auth-failed", signedOut: client.bearerFor("batch") === undefined }),
          );
        }
        return;
      }
      dispatch({ type: "socket", message });
      if (isFinalMessage(message)) {
        settled = true;
        send({ type: "finished" });
      } else {
        send({ type: "message", socket: socketId });
      }
    };
    // An "error" event is always followed by "close".
    const onClose = () => {
      if (!settled) send({ type: "lost", socket: socketId });
    };
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", onClose);
    return () => {
      socket.removeEventListener("message", onMessage);
      socket.removeEventListener("close", onClose);
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000);
    };
  }, [link.socket, client, jobId]);

  // The next reconnect attempt, after its backoff wait.
  const retryIn = nextRetryIn(link);
  useEffect(() => {
    if (retryIn === undefined) return;
    const timer = setTimeout(() => send({ type: "retry" }), retryIn);
    return () => clearTimeout(timer);
  }, [retryIn, link.retries]);

  // Signed in again after the session ran out: follow live again.
  const signedIn = session.status === "signed-in";
  useEffect(() => {
    if (signedIn && link.phase === "signed-out") send({ type: "reconnect-now" });
  }, [signedIn, link.phase]);

  // The job is over: stop everything; the documents carry new tags now.
  useEffect(() => {
    if (!view.final) return;
    send({ type: "finished" });
    void queryClient.invalidateQueries({ queryKey: queryKeys.documents.all });
    void queryClient.invalidateQueries({ queryKey: batchKeys.active() });
  }, [view.final, queryClient]);

  const applyStatus = useCallback((next: string) => dispatch({ type: "status", status: next }), []);
  const checkNow = useCallback(() => {
    void queryClient.fetchQuery(batchStatusQueryOptions(client, jobId)).catch(() => undefined);
  }, [queryClient, client, jobId]);
  const reconnectNow = useCallback(() => send({ type: "reconnect-now" }), []);

  const checkProblem = link.phase === "lost" && status.isError ? status.error.message : undefined;
  return { view, link, connection: connectionWords(link), checkProblem, applyStatus, checkNow, reconnectNow };
}
