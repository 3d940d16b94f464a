// "Test connection" for one service: what works (reachable, key accepted, signed in as whom) and
// what does not, in words. Each check is a real call to that service with its own credentials.
import { useMutation } from "@tanstack/react-query";
import type { ServiceName } from "../../../../shared/contract/endpoints";
import { useApiClient } from "../../../api/api-context";
import { ApiError } from "../../../api/api-error";
import type { HttpClient } from "../../../api/http-client";
import { getMe } from "./get-me";
import { serviceLabel } from "../../../api/connection-settings";
import { t } from "../../../i18n";

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
  const where = { mode: client.settings.get().mode, service: serviceLabel(service), address: client.connection(service).baseUrl };
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
    say(false, t("connection.cannotReach", where));
    return { lines, ok: false };
  }
  say(true, t("connection.reached", where));
  if (keyRefused(reach.error)) {
    say(false, t("connection.keyRefused", { detail: reach.error?.detail ?? reach.error?.message }));
    return { lines, ok: false };
  }
  const connection = client.connection(service);
  if (Object.keys(connection.headers).length > 0) say(true, t("connection.keyAccepted"));

  // 2. Signed in, and as whom.
  if (!signedIn) {
    say(false, t("connection.notSignedInService"));
    return { lines, ok: false };
  }
  try {
    if (service === "ejento" || service === "indexing") {
      const me = await getMe(client);
      say(true, t("connection.signedInAsSentence", { who: me.email || me.name }));
    } else if (service === "documents") {
      const body = (await client.request("listDocuments")) as { documents?: unknown[] };
      say(true, t("connection.documentsVisible", { count: Array.isArray(body?.documents) ? body.documents.length : 0 }));
    } else {
      const user = (await client.request("batchMe")) as { email?: string };
      say(true, t("connection.signedInAsSentence", { who: user?.email ?? t("connection.unnamedUser") }));
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
