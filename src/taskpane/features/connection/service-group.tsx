// One service of a separate-services connection: its address and keys, who is signed in to it (and
// a way out), its own sign-in form while signed out, and "Test connection". Ejento indexing has no
// sign-in of its own: it uses Chat (Ejento)'s.
import { Button, MessageBar, MessageBarBody, Spinner, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useId, useRef } from "react";
import type { ServiceName } from "../../../shared/contract/endpoints";
import { useSessions } from "../../api/api-context";
import { serviceLabel } from "../../api/connection-settings";
import type { SignInSlot } from "../../api/session-store";
import { announce } from "../../ui/announcer";
import { useSignOut } from "./api/sign-out";
import { focusFirstField, focusWasLost, useLastFocusInside } from "./focus";
import { PrepareSignIn } from "./prepare-sign-in";
import { ServiceSettingsForm } from "./service-settings-form";
import { SlotSignIn } from "./slot-sign-in";
import { TestConnection } from "./test-connection-result";
import { useServiceDraft } from "./use-service-draft";
import { t } from "../../i18n";

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
  who: { minWidth: 0, overflowWrap: "anywhere" },
});

/** The slot a separate service signs in with. */
function slotOfService(service: ServiceName): Exclude<SignInSlot, "sidecar"> {
  return service === "indexing" ? "ejento" : service;
}

export function ServiceGroup({ service }: { service: ServiceName }) {
  const styles = useStyles();
  const headingId = useId();
  const label = serviceLabel(service);
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

/**
 * Signed in (who, and Sign out) or the service's sign-in form. When one replaces the other while
 * focus was here, focus stays here: on "Signed in as …" after a sign-in, on the form's first field
 * after a sign-out (which is also said, since nothing else on screen changes where focus is).
 */
function ServiceSignIn({ slot }: { slot: Exclude<SignInSlot, "sidecar"> }) {
  const styles = useStyles();
  const state = useSessions()[slot];
  const signOut = useSignOut();
  const box = useRef<HTMLDivElement>(null);
  const focusWasHere = useLastFocusInside(box);
  const status = state.status;
  const before = useRef(status);
  useEffect(() => {
    const was = before.current;
    if (was === status) return;
    before.current = status;
    if (focusWasHere.current && focusWasLost()) focusFirstField(box.current);
    if (was === "signed-in" && status === "signed-out") announce(t("connection.signedOutOf", { service: serviceLabel(slot) }));
  }, [status, slot, focusWasHere]);
  if (state.status === "signed-in") {
    return (
      <div className={styles.row} ref={box}>
        <Text className={styles.who} tabIndex={-1}>
          {t("connection.signedInAs", { who: state.credentials.who })}
        </Text>
        <Button onClick={() => signOut.mutate(slot)} disabled={signOut.isPending}>
          {t("connection.signOut")}
        </Button>
        {signOut.isPending && <Spinner size="tiny" label={t("connection.signingOut")} />}
      </div>
    );
  }
  return (
    <div className={styles.column} ref={box}>
      {state.status === "expired" && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            {state.reason ? t("connection.expiredWithReason", { reason: state.reason }) : t("connection.expiredNoReason", { who: state.lastWho })}
          </MessageBarBody>
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
        ? t("connection.indexingSignedIn", { service: serviceLabel("ejento"), who: state.credentials.who })
        : t("connection.indexingSignedOut", { service: serviceLabel("ejento") })}
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
