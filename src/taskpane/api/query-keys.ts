// Query keys from one small factory, so a mutation in one feature can invalidate what another
// feature shows (features never import each other).
export const queryKeys = {
  me: (email: string) => ["me", email] as const,
  documents: {
    all: ["documents"] as const,
    list: () => [...queryKeys.documents.all, "list"] as const,
    /** The list loaded a page at a time (My documents, the pickers). */
    pages: () => [...queryKeys.documents.all, "pages"] as const,
  },
};

export const generateKeys = {
  templates: ["templates"] as const,
  documentSets: ["document-sets"] as const,
  status: (taskId: string) => ["generation-status", taskId] as const,
  document: (documentId: string) => ["document", documentId] as const,
};

export const batchKeys = {
  all: ["batch"] as const,
  active: () => [...batchKeys.all, "active"] as const,
  status: (jobId: string) => [...batchKeys.all, "status", jobId] as const,
};
