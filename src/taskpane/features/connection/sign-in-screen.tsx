// What a signed-out pane shows: the Sidecar server's sign-in form (in the first chunk), or, with
// separate services, each service's group (loaded when first needed). Switching between the two
// keeps what was typed on either side.
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import { LazyPanel, lazyNamed } from "../../ui/lazy-panel";
import { SignInForm } from "./sign-in-form";
import { useShownModes } from "./use-shown-modes";

const separateSignIn = lazyNamed<object>(() => import(/* webpackChunkName: "separate-services" */ "./separate-sign-in"), "SeparateSignIn");

export function SignInScreen({ lastWho }: { lastWho?: string }) {
  const client = useApiClient();
  const { mode } = useConnectionSettings();
  const shown = useShownModes(mode);
  return (
    <>
      {shown.sidecar && (
        <div hidden={mode !== "sidecar"}>
          <SignInForm
            lastEmail={lastWho}
            intro="Sign in to your Sidecar server to upload and work with your documents."
            onUseSeparate={() => client.settings.update({ mode: "separate" })}
          />
        </div>
      )}
      {shown.separate && (
        <div hidden={mode !== "separate"}>
          <LazyPanel panel={separateSignIn} label="the services" props={{}} />
        </div>
      )}
    </>
  );
}
