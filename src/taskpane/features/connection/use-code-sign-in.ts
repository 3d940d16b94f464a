// The e-mail code sign-in's steps (docs/vendors.md Ejento A2.4): e-mail → "Send code" → the 6-digit code →
// "Verify", or "Send a new code" with the same session. What was typed stays when a step fails.
import { useState } from "react";
import { useRequestSignInCode, useVerifySignInCode } from "./api/sign-in-code";
import { usePrepareSignIn } from "./prepare-sign-in";

export const CODE_LENGTH = 6;

export function useCodeSignIn({ lastEmail }: { lastEmail?: string }) {
  const prepare = usePrepareSignIn();
  const [email, setEmail] = useState(lastEmail ?? "");
  const [code, setCode] = useState("");
  const [sent, setSent] = useState<{ to: string; otpSessionId: string; again: boolean } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const request = useRequestSignInCode();
  const verify = useVerifySignInCode();

  const sendCode = (again = false) => {
    const to = again && sent ? sent.to : email.trim();
    if (!to) return setProblem("Enter your e-mail address.");
    if (!prepare()) return;
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
  };

  const submitCode = () => {
    if (!sent) return;
    const digits = code.replace(/\s+/g, "");
    if (!new RegExp(`^\\d{${CODE_LENGTH}}$`).test(digits)) return setProblem(`Enter the ${CODE_LENGTH}-digit code from the e-mail.`);
    setProblem(undefined);
    verify.mutate({ email: sent.to, otpSessionId: sent.otpSessionId, code: digits });
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
