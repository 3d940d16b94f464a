// GET /auth-service/api/v2/feature-flags/logins (docs/vendors.md Ejento A2.4): which sign-in methods the Ejento
// deployment offers, `data.items[] = {name, is_active}` — `otp` and `<provider>_sso`. Password
// sign-in is offered unless the flags say `password` is off (the local server lists it; Ejento's
// own list doesn't name it).
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { unwrapEnvelope, type HttpClient } from "../../../api/http-client";

export interface LoginMethods {
  password: boolean;
  code: boolean;
  /** Provider slugs (`microsoft` for `microsoft_sso`), in the order the server lists them. */
  sso: string[];
}

export function readLoginMethods(body: unknown): LoginMethods {
  const data = unwrapEnvelope(body) as { items?: unknown } | undefined;
  const items = Array.isArray(data?.items) ? (data.items as Array<{ name?: unknown; is_active?: unknown }>) : [];
  const active = (name: string) => items.some((item) => item.name === name && item.is_active === true);
  const listed = (name: string) => items.some((item) => item.name === name);
  return {
    password: !listed("password") || active("password"),
    code: active("otp"),
    sso: items
      .filter((item) => typeof item.name === "string" && item.name.endsWith("_sso") && item.is_active === true)
      .map((item) => (item.name as string).slice(0, -"_sso".length)),
  };
}

export async function getLoginMethods(client: HttpClient): Promise<LoginMethods> {
  return readLoginMethods(await client.request("loginFeatureFlags"));
}

export const loginMethodsQueryOptions = (client: HttpClient, address: string) =>
  queryOptions({ queryKey: ["login-methods", address] as const, queryFn: () => getLoginMethods(client), staleTime: 60_000, retry: false });

/** The methods of the Ejento address in use; while unknown (or unreachable), password only. */
export function useLoginMethods() {
  const client = useApiClient();
  return useQuery(loginMethodsQueryOptions(client, client.serverLabel("ejento")));
}
