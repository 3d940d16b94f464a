// A sign-in that can't be renewed (or whose address changed) asks to sign in again in a dialog
// above the work, naming its service and with that service's own sign-in form, so nothing on the
// tabs is lost. The pane shows one such dialog at a time, one expired sign-in after the other.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useSessions } from "../../api/api-context";
import type { SignInSlot } from "../../api/session-store";
import { useSignOut } from "./api/sign-out";
import { SlotSignIn } from "./slot-sign-in";
import { slotLabel } from "./slot-labels";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function ExpiredSessionDialog({ slot }: { slot: SignInSlot }) {
  const styles = useStyles();
  const state = useSessions()[slot];
  const signOut = useSignOut();
  const lastWho = state.status === "expired" ? state.lastWho : undefined;
  const reason = state.status === "expired" ? state.reason : undefined;
  const label = slot === "sidecar" ? "Sidecar" : slotLabel(slot);
  return (
    <Dialog open modalType="alert">
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Your {label} sign-in has expired</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              {slot === "sidecar"
                ? "Your session has expired. Sign in again; what you were doing stays as it was, and you can try it again."
                : `Sign in to ${label} again; what you were doing stays as it was, and you can try it again.`}
            </Text>
            {reason && (
              <MessageBar intent="info" layout="multiline">
                <MessageBarBody>{reason}</MessageBarBody>
              </MessageBar>
            )}
            <SlotSignIn slot={slot} lastWho={lastWho} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => signOut.mutate(slot)} disabled={signOut.isPending}>
              {slot === "sidecar" ? "Sign out" : `Sign out of ${label}`}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
