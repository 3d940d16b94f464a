import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { parseTokens, type HttpClient } from "../../../api/http-client";

export interface SignInInput {
  email: string;
  password: string;
}

/** Signs in with e-mail and password (form-encoded, as the auth service expects). */
export async function signIn(client: HttpClient, { email, password }: SignInInput): Promise<void> {
  const body = await client.request("login", { body: new URLSearchParams({ username: email.trim(), password }) });
  client.session.signIn({ ...parseTokens(body, "login"), email: email.trim() });
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
