// Sign-in as a dialog above the tabs when a session really expires, so nothing on them is lost.
import { Dialog, DialogBody, DialogContent, DialogSurface, DialogTitle } from "@fluentui/react-components";
import { SignInForm } from "./sign-in-form";

export function ExpiredSessionDialog({ lastEmail }: { lastEmail?: string }) {
  return (
    <Dialog open modalType="alert">
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Sign in again</DialogTitle>
          <DialogContent>
            <SignInForm
              lastEmail={lastEmail}
              intro="Your session has expired. Sign in again; what you were doing stays as it was, and you can try it again."
            />
          </DialogContent>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
