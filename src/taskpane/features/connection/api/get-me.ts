import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { queryKeys } from "../../../api/query-keys";

export interface Me {
  email: string;
  organization: { id: string; name: string };
}

export async function getMe(client: HttpClient): Promise<Me> {
  const body = await client.request("me");
  return requireFields<Me>(body, ["email", "organization"], "me");
}

export const meQueryOptions = (client: HttpClient, email: string) =>
  queryOptions({ queryKey: queryKeys.me(email), queryFn: () => getMe(client), staleTime: 5 * 60_000 });

export function useMe(email: string, enabled: boolean) {
  const client = useApiClient();
  return useQuery({ ...meQueryOptions(client, email), enabled });
}
