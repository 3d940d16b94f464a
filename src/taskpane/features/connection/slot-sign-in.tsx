// The sign-in form of one sign-in slot, the way its vendor signs in.
import type { SignInSlot } from "../../api/session-store";
import { ArtosSignIn } from "./artos-sign-in";
import { BatchSignIn } from "./batch-sign-in";
import { EjentoSignIn } from "./ejento-sign-in";
import { SignInForm } from "./sign-in-form";

export function SlotSignIn({ slot, lastWho }: { slot: SignInSlot; lastWho?: string }) {
  switch (slot) {
    case "sidecar":
      return <SignInForm lastEmail={lastWho} />;
    case "ejento":
      return <EjentoSignIn lastWho={lastWho} />;
    case "documents":
      return <ArtosSignIn lastWho={lastWho} />;
    case "batch":
      return <BatchSignIn lastWho={lastWho} />;
  }
}
