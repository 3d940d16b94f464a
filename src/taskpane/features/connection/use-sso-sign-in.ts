// SSO (docs/vendors.md Ejento A2.5): the provider's page in a sign-in window (office/sign-in-dialog.ts: an Office
// dialog in Word, a popup in the browser tab), whose return page hands both tokens back; then they
// are kept (completeSsoSignIn) and, when the service says, named by who signed in.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../api/api-context";
import { useDocumentHost } from "../../office/host-context";
import { getMe } from "./api/get-me";
import { completeSsoSignIn, ssoLoginUrl, ssoReturnPage, type SsoResult } from "./api/sign-in-sso";
import { t } from "../../i18n";

/** The sign-in window's code: fetched only when SSO buttons are on screen. */
export const loadSignInDialog = () => import(/* webpackChunkName: "sign-in-dialog" */ "../../office/sign-in-dialog");

/** Reads the return page's message (a JSON object); anything else is words about a failed sign-in. */
export function parseSsoMessage(message: string): SsoResult {
  try {
    const value: unknown = JSON.parse(message);
    if (value && typeof value === "object") {
      const { token, ejento_access_token, error } = value as Record<string, unknown>;
      return {
        token: typeof token === "string" ? token : undefined,
        ejento_access_token: typeof ejento_access_token === "string" ? ejento_access_token : undefined,
        error: typeof error === "string" ? error : undefined,
      };
    }
  } catch {
    /* not JSON */
  }
  return { error: t("connection.ssoUnreadable") };
}

export function useSsoSignIn() {
  const client = useApiClient();
  const host = useDocumentHost();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (provider: string) => {
      const { openSignInDialog } = await loadSignInDialog();
      const message = await openSignInDialog({ page: ssoReturnPage(), target: ssoLoginUrl(client, provider), host: host.info.kind });
      completeSsoSignIn(client, provider, parseSsoMessage(message));
      // Name the sign-in by who it is, when the service says (best effort: the tokens are kept either way).
      const slot = client.slotOf("ejento");
      const credentials = client.session.credentials(slot);
      const me = await getMe(client).catch(() => undefined);
      const who = me?.email || me?.name;
      if (who && credentials && client.session.credentials(slot) === credentials) client.session.replace(slot, { ...credentials, who });
    },
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
