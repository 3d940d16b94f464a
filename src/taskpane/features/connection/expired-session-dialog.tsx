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
import { t } from "../../i18n";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function ExpiredSessionDialog({ slot }: { slot: SignInSlot }) {
  const styles = useStyles();
  const state = useSessions()[slot];
  const signOut = useSignOut();
  const lastWho = state.status === "expired" ? state.lastWho : undefined;
  const reason = state.status === "expired" ? state.reason : undefined;
  const label = slot === "sidecar" ? t("connection.sidecarName") : slotLabel(slot);
  return (
    <Dialog open modalType="alert">
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{t("connection.expiredTitle", { service: label })}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              {slot === "sidecar"
                ? t("connection.expiredSidecarBody")
                : t("connection.expiredServiceBody", { service: label })}
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
              {slot === "sidecar" ? t("connection.signOut") : t("connection.signOutOf", { service: label })}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
