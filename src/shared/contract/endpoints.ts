// Every path of the contract, in one table that both the pane and the local server import
// (docs/api.md). Each endpoint names the service it belongs to: the pane sends a call to that
// service's address with that service's credentials only, and the local server registers a route
// only when it serves that face (SIDECAR_SERVICES). Never spell a path as a string literal elsewhere.

/** The four services of a real deployment; the embedded local server is all four on one origin. */
export const SERVICES = ["ejento", "indexing", "documents", "batch"] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface Endpoint {
  service: ServiceName;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** Sent without a bearer token (sign-in calls, signed file URLs). */
  anonymous?: boolean;
}

export const endpoints = {
  // Ejento auth-service (docs/vendors.md Ejento A2). On the local server the Ejento sign-ins are its
  // own one sign-in: their tokens are accepted by every face the server serves.
  login: { service: "ejento", method: "POST", path: "/auth-service/api/v2/login/access-token", anonymous: true },
  refresh: { service: "ejento", method: "POST", path: "/auth-service/api/v2/users/refresh-access-token" },
  logout: { service: "ejento", method: "POST", path: "/auth-service/api/v2/users/logout" },
  loginFeatureFlags: { service: "ejento", method: "GET", path: "/auth-service/api/v2/feature-flags/logins", anonymous: true },
  passwordlessAuth: { service: "ejento", method: "POST", path: "/auth-service/api/v2/users/passwordless-auth", anonymous: true },
  verifyOtp: { service: "ejento", method: "POST", path: "/auth-service/api/v2/users/verify-otp", anonymous: true },
  /** A browser navigation (an Office dialog or a popup), never an XHR: ends at `next?token=…&ejento_access_token=…`. */
  ssoLogin: { service: "ejento", method: "GET", path: "/auth-service/api/v2/sso/{provider}/login", anonymous: true },
  /** Local server only: the development SSO page posts the chosen account here. */
  ssoDevCallback: { service: "ejento", method: "POST", path: "/auth-service/api/v2/sso/{provider}/callback", anonymous: true },
  me: { service: "ejento", method: "GET", path: "/api/v2/users/me" },

  // Artos Documents API (docs/vendors.md Artos).
  artosAccessToken: { service: "documents", method: "POST", path: "/get-access-token", anonymous: true },
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

  // Ejento core API and response service (docs/vendors.md Ejento A3–A5).
  listAgents: { service: "ejento", method: "GET", path: "/api/v2/agents" },
  getAgent: { service: "ejento", method: "GET", path: "/api/v2/agents/{agent_id}" },
  streamAgentResponse: { service: "ejento", method: "POST", path: "/response-service/api/v2/agents/{agent_id}/responses/stream" },
  createAgentResponse: { service: "ejento", method: "POST", path: "/response-service/api/v2/agents/{agent_id}/responses" },
  listChatThreads: { service: "ejento", method: "GET", path: "/api/v2/agents/{agent_id}/chat-threads" },
  createChatThread: { service: "ejento", method: "POST", path: "/api/v2/agents/{agent_id}/chat-threads" },
  renameChatThread: { service: "ejento", method: "PUT", path: "/api/v2/chat-threads/{thread_id}" },
  deleteChatThread: { service: "ejento", method: "DELETE", path: "/api/v2/chat-threads/{thread_id}" },
  listThreadResponses: { service: "ejento", method: "GET", path: "/api/v2/chat-threads/{thread_id}/agent-responses" },
  sendFeedback: { service: "ejento", method: "POST", path: "/api/v2/agent-responses/{agent_response_id}/feedbacks" },
  /** Regenerating an answer removes the old one (docs/vendors.md Ejento A5.7). */
  deleteAgentResponse: { service: "ejento", method: "DELETE", path: "/api/v2/agent-responses/{agent_response_id}" },
  /** A cited file by its storage name (a reference whose `url` is not an http(s) link); binary answer. */
  citationContent: { service: "ejento", method: "GET", path: "/api/v2/citation/{name}" },
  /**
   * What the answering server can do (local server extension; Ejento has no such route and the pane
   * then assumes a model): whether answers are written by a model or extracts of the documents.
   */
  capabilities: { service: "ejento", method: "GET", path: "/api/v2/sidecar/capabilities" },

  // Grounding through a corpus (docs/vendors.md Ejento A6, A4.3): a corpus, a document uploaded
  // into it by the indexing service, its indexing step, and the corpus linked to a thread.
  createCorpus: { service: "ejento", method: "POST", path: "/api/v2/corpora" },
  uploadCorpusDocument: { service: "indexing", method: "POST", path: "/api/v2/corpora/{corpus_id}/documents" },
  listCorpusDocuments: { service: "ejento", method: "GET", path: "/api/v2/corpora/{corpus_id}/documents" },
  getCorpusDocument: { service: "ejento", method: "GET", path: "/api/v2/documents/{document_id}" },
  linkThreadCorpus: { service: "ejento", method: "POST", path: "/api/v2/chat-threads/{thread_id}/corpora/{corpus_id}" },
  listThreadCorpora: { service: "ejento", method: "GET", path: "/api/v2/chat-threads/{thread_id}/corpora" },

  // Tag generator (docs/vendors.md (tag generator, Part B)): its own sign-in (B1) and the batch routes. Status also
  // carries `results` (our extension) so that polling, the WebSocket's fallback, shows
  // per-document tags and errors too.
  batchLogin: { service: "batch", method: "POST", path: "/api/auth/login", anonymous: true },
  batchRefresh: { service: "batch", method: "POST", path: "/api/auth/refresh", anonymous: true },
  batchLogout: { service: "batch", method: "POST", path: "/api/auth/logout" },
  batchMe: { service: "batch", method: "GET", path: "/api/auth/me" },
  startBatch: { service: "batch", method: "POST", path: "/api/batch/start" },
  batchStatus: { service: "batch", method: "GET", path: "/api/batch/jobs/{job_id}/status" },
  pauseBatch: { service: "batch", method: "POST", path: "/api/batch/jobs/{job_id}/pause" },
  resumeBatch: { service: "batch", method: "POST", path: "/api/batch/jobs/{job_id}/resume" },
  cancelBatch: { service: "batch", method: "POST", path: "/api/batch/jobs/{job_id}/cancel" },
  activeBatches: { service: "batch", method: "GET", path: "/api/batch/active" },
  /** WebSocket (ws: / wss: of the batch address); the token travels as `?token=` (the vendor requires it). */
  batchSocket: { service: "batch", method: "GET", path: "/api/batch/ws/{job_id}" },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;

/** The multipart field of uploadCorpusDocument that carries the file (docs/vendors.md, Ejento A6). */
export const CORPUS_UPLOAD_FILE_FIELD = "source";

/** The local server's liveness probe (not part of any vendor's API). */
export const HEALTH_PATH = "/healthz";

/** Fills `{name}` placeholders in a path, encoding each value. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
}

/**
 * The path prefixes a proxy must forward for the local server: the first segment of every
 * endpoint (`/api/`, `/auth-service/`, …, or a whole root-level path such as
 * `/get-sections-for-document`), plus the health probe. The webpack dev server derives its proxy
 * list from this, so a new endpoint needs no second edit.
 */
export function serverPathPrefixes(): string[] {
  const prefixes = new Set<string>([HEALTH_PATH]);
  for (const endpoint of Object.values(endpoints) as Endpoint[]) {
    const [, first, ...rest] = endpoint.path.split("/");
    prefixes.add(rest.length > 0 ? `/${first}/` : `/${first}`);
  }
  return [...prefixes].sort();
}
