// What a signed-out pane shows: the Sidecar server's sign-in form (in the first chunk), or, with
// separate services, each service's group (loaded when first needed). Switching between the two
// keeps what was typed on either side; the link that switched is hidden with its side, so focus
// goes to the first field of the side now shown.
import { useEffect, useRef } from "react";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import type { ConnectionMode } from "../../api/connection-settings";
import { LazyPanel, lazyNamed } from "../../ui/lazy-panel";
import { focusFirstField, focusWasLost } from "./focus";
import { SignInForm } from "./sign-in-form";
import { useShownModes } from "./use-shown-modes";
import { t } from "../../i18n";

const separateSignIn = lazyNamed<object>(() => import(/* webpackChunkName: "separate-services" */ "./separate-sign-in"), "SeparateSignIn");

export function SignInScreen({ lastWho }: { lastWho?: string }) {
  const client = useApiClient();
  const { mode } = useConnectionSettings();
  const shown = useShownModes(mode);
  const sides = { sidecar: useRef<HTMLDivElement>(null), separate: useRef<HTMLDivElement>(null) };
  useFocusOnSwitch(mode, sides);
  return (
    <>
      {shown.sidecar && (
        <div hidden={mode !== "sidecar"} ref={sides.sidecar}>
          <SignInForm
            lastEmail={lastWho}
            intro={t("connection.signInIntro")}
            onUseSeparate={() => client.settings.update({ mode: "separate" })}
          />
        </div>
      )}
      {shown.separate && (
        <div hidden={mode !== "separate"} ref={sides.separate}>
          <LazyPanel panel={separateSignIn} label={t("connection.theServices")} props={{}} />
        </div>
      )}
    </>
  );
}

/** After a switch of mode, focus goes from the side now hidden to the first field of the side shown (once it has loaded). */
function useFocusOnSwitch(mode: ConnectionMode, sides: Record<ConnectionMode, { current: HTMLDivElement | null }>) {
  const before = useRef(mode);
  useEffect(() => {
    if (before.current === mode) return;
    const hidden = sides[before.current].current;
    before.current = mode;
    const side = sides[mode].current;
    if (!side || !focusWasLost(hidden) || focusFirstField(side)) return;
    // The services' screen is still loading: its first field takes focus when it comes, unless focus went elsewhere meanwhile.
    const observer = new MutationObserver(() => {
      if (!focusWasLost(hidden) || focusFirstField(side)) observer.disconnect();
    });
    observer.observe(side, { childList: true, subtree: true });
    const stop = setTimeout(() => observer.disconnect(), 10_000);
    return () => {
      observer.disconnect();
      clearTimeout(stop);
    };
  }, [mode]); // eslint-disable-line react-hooks/exhaustive-deps
}
