// Passwordless sign-in (docs/vendors.md Ejento A2.4): ask for a code by e-mail, then trade the code for tokens.
// POST /auth-service/api/v2/users/passwordless-auth → data.otp_session_id;
// POST /auth-service/api/v2/users/verify-otp {otp_session_id, code} → data.{access_token, ejento_access_token}.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useApiClient } from "../../../api/api-context";
import { parseEjentoTokens, requireFields, unwrapEnvelope, type HttpClient } from "../../../api/http-client";
import { ejentoSlot } from "./sign-in";

/** Where an e-mailed magic link would land; the code is what the pane uses. */
function confirmationPage(client: HttpClient): string {
  return new URL("auth-dialog.html", globalThis.location?.href ?? client.origin + "/").toString();
}

/** Sends a code to `email` (again, with the same session, when `otpSessionId` is given); resolves with the session id. */
export async function requestSignInCode(client: HttpClient, email: string, otpSessionId?: string): Promise<string> {
  const body = await client.request("passwordlessAuth", {
    body: { email: email.trim(), next: confirmationPage(client), ...(otpSessionId ? { otp_session_id: otpSessionId } : {}) },
  });
  return requireFields<{ otp_session_id: string }>(unwrapEnvelope(body), ["otp_session_id"], "passwordlessAuth").otp_session_id;
}

export async function verifySignInCode(client: HttpClient, input: { email: string; otpSessionId: string; code: string }): Promise<void> {
  const body = await client.request("verifyOtp", { body: { otp_session_id: input.otpSessionId, code: input.code.trim() } });
  client.session.signIn(ejentoSlot(client), { kind: "ejento", ...parseEjentoTokens(body, "verifyOtp"), who: input.email.trim(), method: "code" });
}

export function useRequestSignInCode() {
  const client = useApiClient();
  return useMutation({ mutationFn: (input: { email: string; otpSessionId?: string }) => requestSignInCode(client, input.email, input.otpSessionId) });
}

export function useVerifySignInCode() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; otpSessionId: string; code: string }) => verifySignInCode(client, input),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
