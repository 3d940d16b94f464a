// Every path the pane calls, in one table (CONTRACT.md: "keep every path in one table of
// endpoints in the client, never spread as string literals"). The local server imports the
// same table so the two cannot drift apart.

export type Service = "auth" | "documents" | "chat" | "batch";

export interface Endpoint {
  service: Service;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Sent without a bearer token (login). */
  anonymous?: boolean;
}

export const endpoints = {
  login: { service: "auth", method: "POST", path: "/auth-service/api/v2/login/access-token", anonymous: true },
  refresh: { service: "auth", method: "POST", path: "/auth-service/api/v2/users/refresh-access-token" },
  logout: { service: "auth", method: "POST", path: "/auth-service/api/v2/users/logout" },
  me: { service: "auth", method: "GET", path: "/auth-service/api/v2/users/me" },

  uploadLocalDocument: { service: "documents", method: "POST", path: "/api/v1/documents/local" },
  listDocuments: { service: "documents", method: "GET", path: "/api/v1/documents/" },
  getDocument: { service: "documents", method: "GET", path: "/api/v1/documents/{document_id}" },
  generateDocument: { service: "documents", method: "POST", path: "/api/v1/documents/generate" },
  documentStatus: { service: "documents", method: "GET", path: "/api/v1/documents/status/{document_id}" },
  presignedUrl: { service: "documents", method: "POST", path: "/generate-presigned-url" },
  /** Where a presigned URL points (`?expires=…&signature=…`); the pane only follows URLs it is given. */
  signedFile: { service: "documents", method: "GET", path: "/files/{key}", anonymous: true },
  getSectionsForDocument: { service: "documents", method: "POST", path: "/get-sections-for-document" },
  getSourcesForSelectedText: { service: "documents", method: "POST", path: "/get-sources-for-selected-text" },
  getSectionFromText: { service: "documents", method: "POST", path: "/get-section-from-text" },
  /** Our extension: a source passage with the paragraphs around it in its document. */
  getSourceContext: { service: "documents", method: "POST", path: "/get-source-context" },
  listTemplates: { service: "documents", method: "GET", path: "/api/v1/templates/" },
  uploadTemplate: { service: "documents", method: "POST", path: "/api/v1/templates/upload" },
  listDocumentSets: { service: "documents", method: "GET", path: "/api/v1/document-sets/" },
  createDocumentSet: { service: "documents", method: "POST", path: "/api/v1/document-sets/" },

  listAgents: { service: "chat", method: "GET", path: "/api/v2/agents" },
  getAgent: { service: "chat", method: "GET", path: "/api/v2/agents/{agent_id}" },
  streamAgentResponse: { service: "chat", method: "POST", path: "/response-service/api/v2/agents/{agent_id}/responses/stream" },
  createAgentResponse: { service: "chat", method: "POST", path: "/response-service/api/v2/agents/{agent_id}/responses" },
  listChatThreads: { service: "chat", method: "GET", path: "/api/v2/agents/{agent_id}/chat-threads" },
  listThreadResponses: { service: "chat", method: "GET", path: "/api/v2/chat-threads/{thread_id}/agent-responses" },
  sendFeedback: { service: "chat", method: "POST", path: "/api/v2/agent-responses/{agent_response_id}/feedbacks" },

  // Batch tagging (ejento.md Part B). Status also carries `results` (our extension) so that
  // polling, the WebSocket's fallback, shows per-document tags and errors too.
  startBatch: { service: "batch", method: "POST", path: "/api/batch/start" },
  batchStatus: { service: "batch", method: "GET", path: "/api/batch/jobs/{job_id}/status" },
  pauseBatch: { service: "batch", method: "POST", path: "/api/batch/jobs/{job_id}/pause" },
  resumeBatch: { service: "batch", method: "POST", path: "/api/batch/jobs/{job_id}/resume" },
  cancelBatch: { service: "batch", method: "POST", path: "/api/batch/jobs/{job_id}/cancel" },
  activeBatches: { service: "batch", method: "GET", path: "/api/batch/active" },
  /** WebSocket (ws: / wss: of the batch base URL); the token travels as `?token=` (CONTRACT.md Auth). */
  batchSocket: { service: "batch", method: "GET", path: "/api/batch/ws/{job_id}" },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;

/** Fills `{name}` placeholders in a path, encoding each value. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}
