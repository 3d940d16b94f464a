// The pane's keyboard paths, listed where a keyboard user looks for them: a button in the header
// opens this list (Esc or Close closes it and focus returns to the button). The dialog exists only
// while it is open: a closed Fluent Dialog in the tree changes when Fluent's focus manager starts,
// which left the expired-sign-in dialog hidden from assistive technology in jsdom.
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, Tooltip, makeStyles, tokens } from "@fluentui/react-components";
import { KeyboardRegular } from "@fluentui/react-icons";
import { useEffect, useRef, useState } from "react";
import { t, type MessageId } from "../i18n";

/** Each shortcut: the keys (as people write them, in the pane's language) and what they do. */
const shortcuts: ReadonlyArray<{ keys: MessageId; does: MessageId }> = [
  { keys: "app.keysTab", does: "app.doesTab" },
  { keys: "app.keysArrows", does: "app.doesArrows" },
  { keys: "app.keysEnterSpace", does: "app.doesEnterSpace" },
  { keys: "app.keysAskEnter", does: "app.doesAskEnter" },
  { keys: "app.keysShiftEnter", does: "app.doesShiftEnter" },
  { keys: "app.keysEscAnswer", does: "app.doesEscAnswer" },
  { keys: "app.keysEsc", does: "app.doesEsc" },
];

const useStyles = makeStyles({
  list: { display: "grid", gridTemplateColumns: "minmax(0, auto) minmax(0, 1fr)", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS, margin: 0 },
  keys: { fontWeight: tokens.fontWeightSemibold, overflowWrap: "anywhere" },
  does: { margin: 0, overflowWrap: "anywhere" },
});

export function ShortcutsHelp() {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return (
    <>
      <Tooltip content={t("app.shortcutsTitle")} relationship="label">
        <Button ref={button} appearance="subtle" size="small" icon={<KeyboardRegular />} onClick={() => setOpen(true)} />
      </Tooltip>
      {open && (
        <Dialog open onOpenChange={(_, data) => setOpen(data.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{t("app.shortcutsTitle")}</DialogTitle>
              <DialogContent>
                <dl className={styles.list}>
                  {shortcuts.map(({ keys, does }) => (
                    <div key={keys} style={{ display: "contents" }}>
                      <dt className={styles.keys}>{t(keys)}</dt>
                      <dd className={styles.does}>{t(does)}</dd>
                    </div>
                  ))}
                </dl>
              </DialogContent>
              <DialogActions>
                <DialogTrigger disableButtonEnhancement>
                  <Button appearance="primary">{t("app.close")}</Button>
                </DialogTrigger>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
    </>
  );
}
