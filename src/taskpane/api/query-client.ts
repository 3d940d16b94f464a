// Query defaults in one place.
import { QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api-error";

/** Retry only what may pass on a second try: a dropped connection, a busy or failing server. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (!isApiError(error)) return false;
  return ["network", "server", "rate_limited"].includes(error.kind) && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
