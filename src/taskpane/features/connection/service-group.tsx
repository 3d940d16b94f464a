// One service of a separate-services connection: its address and keys, who is signed in to it (and
// a way out), its own sign-in form while signed out, and "Test connection". Ejento indexing has no
// sign-in of its own: it uses Chat (Ejento)'s.
import { Button, MessageBar, MessageBarBody, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useId } from "react";
import type { ServiceName } from "../../../shared/contract/endpoints";
import { useSessions } from "../../api/api-context";
import { serviceLabels } from "../../api/connection-settings";
import type { SignInSlot } from "../../api/session-store";
import { useSignOut } from "./api/sign-out";
import { PrepareSignIn } from "./prepare-sign-in";
import { ServiceSettingsForm } from "./service-settings-form";
import { SlotSignIn } from "./slot-sign-in";
import { TestConnection } from "./test-connection-result";
import { useServiceDraft } from "./use-service-draft";

const useStyles = makeStyles({
  group: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  row: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** The slot a separate service signs in with. */
function slotOfService(service: ServiceName): Exclude<SignInSlot, "sidecar"> {
  return service === "indexing" ? "ejento" : service;
}

export function ServiceGroup({ service }: { service: ServiceName }) {
  const styles = useStyles();
  const headingId = useId();
  const label = serviceLabels[service];
  const draft = useServiceDraft(service);
  return (
    <section className={styles.group} aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId}>
        {label}
      </Subtitle2>
      <ServiceSettingsForm label={label} state={draft} />
      {/* A sign-in from this group first saves the address typed above it. */}
      <PrepareSignIn.Provider value={draft.save}>
        {service === "indexing" ? <IndexingSignIn /> : <ServiceSignIn slot={slotOfService(service)} />}
      </PrepareSignIn.Provider>
      <TestConnection service={service} unsaved={draft.changed} />
    </section>
  );
}

function ServiceSignIn({ slot }: { slot: Exclude<SignInSlot, "sidecar"> }) {
  const styles = useStyles();
  const state = useSessions()[slot];
  const signOut = useSignOut();
  if (state.status === "signed-in") {
    return (
      <div className={styles.row}>
        <Text>Signed in as {state.credentials.who}</Text>
        <Button onClick={() => signOut.mutate(slot)} disabled={signOut.isPending}>
          Sign out
        </Button>
        {signOut.isPending && <Spinner size="tiny" label="Signing out…" />}
      </div>
    );
  }
  return (
    <div className={styles.column}>
      {state.status === "expired" && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{state.reason ?? `The sign-in of ${state.lastWho} has expired.`} Sign in again below.</MessageBarBody>
        </MessageBar>
      )}
      <SlotSignIn slot={slot} lastWho={state.lastWho} />
    </div>
  );
}

function IndexingSignIn() {
  const state = useSessions().ejento;
  return (
    <Text>
      {state.status === "signed-in"
        ? `Uses the ${serviceLabels.ejento} sign-in: signed in as ${state.credentials.who}.`
        : `Uses the ${serviceLabels.ejento} sign-in: sign in to ${serviceLabels.ejento} above.`}
    </Text>
  );
}

/** The four services, one group each. */
export function ServiceGroups() {
  const styles = useStyles();
  return (
    <div className={styles.column}>
      {(["ejento", "indexing", "documents", "batch"] as const).map((service) => (
        <ServiceGroup key={service} service={service} />
      ))}
    </div>
  );
}
