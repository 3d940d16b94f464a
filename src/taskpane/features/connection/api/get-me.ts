// GET /api/v2/users/me (docs/vendors.md Ejento A5.1): `{success, message, data: {id, email, first_name,
// last_name, name, …}}`. The local server adds `organization` (our extension).
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, unwrapEnvelope, type HttpClient } from "../../../api/http-client";
import { queryKeys } from "../../../api/query-keys";

export interface Me {
  id: string;
  email: string;
  name: string;
  organization?: { id: string; name: string };
}

/** Who the Ejento (or Sidecar) token belongs to; `bearer` checks a token before it is kept. */
export async function getMe(client: HttpClient, bearer?: string): Promise<Me> {
  const data = requireFields<{ id: unknown; email?: string; name?: string; first_name?: string; last_name?: string; organization?: Me["organization"] }>(
    unwrapEnvelope(await client.request("me", bearer ? { bearer } : {})),
    ["id"],
    "me",
  );
  const name = data.name || [data.first_name, data.last_name].filter(Boolean).join(" ");
  return { id: String(data.id), email: data.email ?? "", name: name || data.email || "", organization: data.organization };
}

export const meQueryOptions = (client: HttpClient, who: string) =>
  queryOptions({ queryKey: queryKeys.me(who), queryFn: () => getMe(client), staleTime: 5 * 60_000 });

export function useMe(who: string, enabled: boolean) {
  const client = useApiClient();
  return useQuery({ ...meQueryOptions(client, who), enabled });
}
