// "Test connection" for one service: what works (reachable, key accepted, signed in as whom) and
// what does not, in words. Each check is a real call to that service with its own credentials.
import { useMutation } from "@tanstack/react-query";
import type { ServiceName } from "../../../../shared/contract/endpoints";
import { useApiClient } from "../../../api/api-context";
import { ApiError } from "../../../api/api-error";
import type { HttpClient } from "../../../api/http-client";
import { getMe } from "./get-me";

export interface ConnectionCheck {
  /** One line each, in order: what was tried and how it went. */
  lines: Array<{ ok: boolean; text: string }>;
  ok: boolean;
}

/** Runs a call and says whether the service answered at all (any HTTP status counts as reachable). */
async function attempt(call: () => Promise<unknown>): Promise<{ reached: boolean; error?: ApiError }> {
  try {
    await call();
    return { reached: true };
  } catch (error) {
    if (error instanceof ApiError) return { reached: error.kind !== "network", error };
    throw error;
  }
}

function keyRefused(error: ApiError | undefined): boolean {
  return Boolean(error && error.status === 401 && /api key|subscription/i.test(error.detail ?? error.message));
}

export async function testConnection(client: HttpClient, service: ServiceName): Promise<ConnectionCheck> {
  const lines: ConnectionCheck["lines"] = [];
  const where = client.describe(service);
  const signedIn = Boolean(client.bearerFor(service));
  const say = (ok: boolean, text: string) => lines.push({ ok, text });

  // 1. Reachable (and, where the service has a key, the key accepted), without signing in.
  const probe = {
    ejento: () => client.request("loginFeatureFlags"),
    indexing: () => client.request("loginFeatureFlags"),
    documents: () => client.request("artosAccessToken", { body: {} }),
    batch: () => client.request("batchMe", { bearer: "-" }),
  }[service];
  const reach = await attempt(probe);
  if (!reach.reached) {
    say(false, `Can't reach ${where}. Check the address and that the service is running.`);
    return { lines, ok: false };
  }
  say(true, `Reached ${where}.`);
  if (keyRefused(reach.error)) {
    say(false, `The key was refused: ${reach.error?.detail ?? reach.error?.message}`);
    return { lines, ok: false };
  }
  const connection = client.connection(service);
  if (Object.keys(connection.headers).length > 0) say(true, "The key was accepted.");

  // 2. Signed in, and as whom.
  if (!signedIn) {
    say(false, "Not signed in to this service yet.");
    return { lines, ok: false };
  }
  try {
    if (service === "ejento" || service === "indexing") {
      const me = await getMe(client);
      say(true, `Signed in as ${me.email || me.name}.`);
    } else if (service === "documents") {
      const body = (await client.request("listDocuments")) as { documents?: unknown[] };
      say(true, `Signed in; ${Array.isArray(body?.documents) ? body.documents.length : 0} documents visible.`);
    } else {
      const user = (await client.request("batchMe")) as { email?: string };
      say(true, `Signed in as ${user?.email ?? "an unnamed user"}.`);
    }
  } catch (error) {
    say(false, error instanceof Error ? error.message : String(error));
    return { lines, ok: false };
  }
  return { lines, ok: lines.every((line) => line.ok) };
}

export function useTestConnection(service: ServiceName) {
  const client = useApiClient();
  return useMutation({ mutationFn: () => testConnection(client, service) });
}
