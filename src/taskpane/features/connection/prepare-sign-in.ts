// What must happen just before any sign-in starts: the address typed beside the sign-in form is
// saved first, so the sign-in goes where the person means. A form that holds such an address
// provides it (the Sidecar server form, each service's group); `false` stops the sign-in (the
// address has words under it).
import { createContext, useContext } from "react";

export const PrepareSignIn = createContext<() => boolean>(() => true);

export function usePrepareSignIn(): () => boolean {
  return useContext(PrepareSignIn);
}
