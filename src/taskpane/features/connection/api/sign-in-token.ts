// A pasted Ejento access token (docs/vendors.md Ejento A2.6): checked against /api/v2/users/me before it is kept.
// It can't be renewed: when it expires the person pastes a new one or signs in another way.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import type { HttpClient } from "../../../api/http-client";
import { getMe } from "./get-me";
import { ejentoSlot } from "./sign-in";
import { t } from "../../../i18n";

export async function signInWithToken(client: HttpClient, token: string): Promise<void> {
  const trimmed = token.trim().replace(/^Bearer\s+/i, "");
  const me = await getMe(client, trimmed);
  client.session.signIn(ejentoSlot(client), { kind: "ejento", ejentoToken: trimmed, who: me.email || me.name || t("connection.whoPastedToken"), method: "token" });
}

export function useSignInWithToken() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (token: string) => signInWithToken(client, token), onSuccess: () => queryClient.invalidateQueries() });
}
