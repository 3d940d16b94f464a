// Signs out of one sign-in: on the server where the vendor has a way (Ejento's logout, the tag
// generator's logout), and always locally, so a person is never stuck signed in when the server
// can't be reached.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import type { HttpClient } from "../../../api/http-client";
import { paneSignIn, type SignInSlot } from "../../../api/session-store";

export async function signOut(client: HttpClient, slot: SignInSlot = client.slotOf("ejento")): Promise<void> {
  const credentials = client.session.credentials(slot);
  try {
    if (credentials?.kind === "ejento" && credentials.accessToken) await client.request("logout", { bearer: credentials.accessToken });
    if (credentials?.kind === "batch") await client.request("batchLogout", { bearer: credentials.accessToken, body: { refresh_token: credentials.refreshToken } });
  } finally {
    client.session.signOut(slot);
  }
}

export function useSignOut() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (slot?: SignInSlot) => signOut(client, slot),
    // Signed out of everything: forget what was loaded. Signed out of one of several services: the
    // others' work stays (the tabs of the one signed out say so, and a new sign-in reloads).
    onSettled: () => {
      if (paneSignIn(client.settings.get().mode, client.session.get()).status === "signed-out") queryClient.clear();
    },
  });
}
