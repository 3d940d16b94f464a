// People's names for the sign-ins (session-store.ts slots), as the pane's messages use them.
import { serviceLabel } from "../../api/connection-settings";
import { t } from "../../i18n";
import type { SignInSlot } from "../../api/session-store";

/** "Chat (Ejento)", "Documents (Artos)", "Batch tagging"; the one Sidecar sign-in is "the Sidecar server". */
export function slotLabel(slot: SignInSlot): string {
  return slot === "sidecar" ? t("connection.slotSidecar") : serviceLabel(slot);
}

/** SSO provider slugs (login-methods.ts) as people know them. */
const providerNames: Record<string, string> = { microsoft: "Microsoft", google: "Google", linkedin: "LinkedIn", okta: "Okta" };

export function providerName(slug: string): string {
  return providerNames[slug] ?? slug.charAt(0).toUpperCase() + slug.slice(1).replace(/[_-]+/g, " ");
}
