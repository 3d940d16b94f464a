// The e-mail code sign-in's steps (docs/vendors.md Ejento A2.4): e-mail → "Send code" → the 6-digit code →
// "Verify", or "Send a new code" with the same session. What was typed stays when a step fails.
import { useState } from "react";
import { useRequestSignInCode, useVerifySignInCode } from "./api/sign-in-code";
import { usePrepareSignIn } from "./prepare-sign-in";
import { t } from "../../i18n";

export const CODE_LENGTH = 6;

export function useCodeSignIn({ lastEmail }: { lastEmail?: string }) {
  const prepare = usePrepareSignIn();
  const [email, setEmail] = useState(lastEmail ?? "");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState<{ to: string; otpSessionId: string; again: boolean } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const request = useRequestSignInCode();
  const verify = useVerifySignInCode();

  /** Sends a code (again); false when the e-mail field has a problem (its words are under it). */
  const sendCode = (again = false): boolean => {
    const to = again && sent ? sent.to : email.trim();
    if (!to) {
      setProblem(t("connection.emailMissing"));
      return false;
    }
    if (!prepare()) return true;
    setProblem(undefined);
    verify.reset();
    request.mutate(
      { email: to, otpSessionId: again ? sent?.otpSessionId : undefined },
      {
        onSuccess: (otpSessionId) => {
          setSent({ to, otpSessionId, again });
          if (again) setCode("");
        },
      },
    );
    return true;
  };

  /** Checks the code with the service; false when the code field has a problem (its words are under it). */
  const submitCode = (): boolean => {
    if (!sent) return true;
    const digits = code.replace(/\s+/g, "");
    if (!new RegExp(`^\\d{${CODE_LENGTH}}$`).test(digits)) {
      setProblem(t("connection.codeInvalid", { length: CODE_LENGTH }));
      return false;
    }
    setProblem(undefined);
    verify.mutate({ email: sent.to, otpSessionId: sent.otpSessionId, code: digits });
    return true;
  };

  const changeEmail = () => {
    setSent(undefined);
    setCode("");
    setProblem(undefined);
    request.reset();
    verify.reset();
  };

  return { email, setEmail, code, setCode, sent, problem, request, verify, sendCode, submitCode, changeEmail };
}
