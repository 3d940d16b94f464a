// Tag generator sign-in (docs/vendors.md Ejento B1): POST /api/auth/login {email, password} →
// {user, tokens: {access_token, refresh_token, …}}; renewed with /api/auth/refresh.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { parseBatchTokens, type HttpClient } from "../../../api/http-client";

export async function signInToBatch(client: HttpClient, input: { email: string; password: string }): Promise<void> {
  const body = await client.request("batchLogin", { body: { email: input.email.trim(), password: input.password } });
  const user = body && typeof body === "object" ? (body as { user?: { email?: unknown } }).user : undefined;
  const who = typeof user?.email === "string" ? user.email : input.email.trim();
  client.session.signIn(client.slotOf("batch"), { kind: "batch", ...parseBatchTokens(body, "batchLogin"), who });
}

export function useSignInToBatch() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => signInToBatch(client, input),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
