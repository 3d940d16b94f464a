// POST /auth-service/api/v2/login/access-token: e-mail + password, form-encoded as the auth service
// expects. With one Sidecar server this is its one sign-in (slot "sidecar"); with separate services
// it is the Ejento sign-in.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { parseEjentoTokens, type HttpClient } from "../../../api/http-client";

export interface SignInInput {
  email: string;
  password: string;
}

/** The slot the Ejento-style sign-ins fill under the current settings. */
export function ejentoSlot(client: HttpClient) {
  return client.slotOf("ejento");
}

export async function signIn(client: HttpClient, { email, password }: SignInInput): Promise<void> {
  const body = await client.request("login", { body: new URLSearchParams({ username: email.trim(), password }) });
  client.session.signIn(ejentoSlot(client), { kind: "ejento", ...parseEjentoTokens(body, "login"), who: email.trim(), method: "password" });
}

export function useSignIn() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInInput) => signIn(client, input),
    // Whatever failed while signed out can now load.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
