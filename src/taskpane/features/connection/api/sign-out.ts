import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import type { HttpClient } from "../../../api/http-client";

/**
 * Signs out on the server (both tokens stop working) and forgets the session locally. The local
 * sign-out happens even when the server cannot be reached, so a person is never stuck signed in.
 */
export async function signOut(client: HttpClient): Promise<void> {
  const session = client.session.current();
  try {
    if (session) await client.request("logout", { bearer: session.accessToken });
  } finally {
    client.session.signOut();
  }
}

export function useSignOut() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => signOut(client),
    onSettled: () => queryClient.clear(),
  });
}
