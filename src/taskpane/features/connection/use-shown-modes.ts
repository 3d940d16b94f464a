// Which connection modes' screens have been shown: once shown, a screen stays mounted (hidden while
// the other mode is chosen), so switching back and forth keeps what was typed there.
import { useState } from "react";
import type { ConnectionMode } from "../../api/connection-settings";

export function useShownModes(mode: ConnectionMode): Record<ConnectionMode, boolean> {
  const [shown, setShown] = useState<Record<ConnectionMode, boolean>>({ sidecar: mode === "sidecar", separate: mode === "separate" });
  if (!shown[mode]) setShown({ ...shown, [mode]: true });
  return { ...shown, [mode]: true };
}
