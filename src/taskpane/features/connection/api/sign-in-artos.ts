// Artos sign-in (docs/vendors.md Artos §1): POST /get-access-token {user_id} → {access_token}, obtained again
// from the same user id on a 401 (no refresh token); or a pasted organization token, which can't
// be renewed. A pasted token is checked with a documents list before it is kept.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { requireFields, type HttpClient } from "../../../api/http-client";
import { t } from "../../../i18n";

export type ArtosSignInInput = { userId: string } | { token: string };

export async function signInToArtos(client: HttpClient, input: ArtosSignInInput): Promise<void> {
  const slot = client.slotOf("documents");
  if ("userId" in input) {
    const userId = input.userId.trim();
    const body = await client.request("artosAccessToken", { body: { user_id: userId } });
    const { access_token } = requireFields<{ access_token: string }>(body, ["access_token"], "artosAccessToken");
    client.session.signIn(slot, { kind: "artos", token: access_token, userId, who: t("connection.whoArtosUser", { userId }) });
    return;
  }
  const token = input.token.trim().replace(/^Bearer\s+/i, "");
  await client.request("listDocuments", { bearer: token });
  client.session.signIn(slot, { kind: "artos", token, who: t("connection.whoOrganizationToken") });
}

export function useSignInToArtos() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (input: ArtosSignInInput) => signInToArtos(client, input), onSuccess: () => queryClient.invalidateQueries() });
}
