// One service's address and settings as typed in its group, saved on "Save" (or just before a
// sign-in from that group). Saving a new address for a signed-in service marks that sign-in
// expired, with the reason, instead of signing out: the rest of the pane stays as it is.
import { useState } from "react";
import type { ServiceName } from "../../../shared/contract/endpoints";
import { useApiClient, useConnectionSettings } from "../../api/api-context";
import { normalizeServerUrl, serviceLabel, validateHeaderName, validateServerUrl, type ConnectionSettings } from "../../api/connection-settings";
import { t } from "../../i18n";

export type ServiceDraft = Record<string, string>;

export interface DraftField {
  key: string;
  label: string;
  hint?: string;
  kind: "url" | "secret" | "text";
  validate?: (value: string, draft: ServiceDraft) => string | undefined;
}

/** The fields of each service's group (connection-settings.ts ConnectionSettings); `origin`: where an empty address goes. */
export function fieldsOf(service: ServiceName, origin: string): DraftField[] {
  const address = (hint: string): DraftField => ({ key: "url", label: t("connection.address"), hint, kind: "url", validate: validateServerUrl });
  switch (service) {
    case "ejento":
      return [
        address(t("connection.ejentoAddressHint", { origin })),
        { key: "apiKey", label: t("connection.apiKey"), hint: t("connection.ejentoApiKeyHint"), kind: "secret" },
      ];
    case "indexing":
      return [
        address(t("connection.indexingAddressHint")),
        {
          key: "keyHeader",
          label: t("connection.keyHeaderName"),
          hint: t("connection.keyHeaderHint"),
          kind: "text",
          validate: (value, draft) =>
            validateHeaderName(value) ?? (!value.trim() && draft.keyValue?.trim() ? t("connection.keyHeaderMissing") : undefined),
        },
        {
          key: "keyValue",
          label: t("connection.keyValue"),
          kind: "secret",
          validate: (value, draft) => (!value.trim() && draft.keyHeader?.trim() ? t("connection.keyValueMissing") : undefined),
        },
      ];
    case "documents":
      return [address(t("connection.documentsAddressHint", { origin }))];
    case "batch":
      return [
        address(t("connection.batchAddressHint", { origin })),
        { key: "taggingApiKey", label: t("connection.apiKey"), hint: t("connection.taggingApiKeyHint"), kind: "secret" },
        { key: "modelName", label: t("connection.modelName"), hint: t("connection.modelNameHint"), kind: "text" },
      ];
  }
}

function savedDraft(settings: ConnectionSettings, service: ServiceName): ServiceDraft {
  return { ...(settings[service] as unknown as ServiceDraft) };
}

export function useServiceDraft(service: ServiceName) {
  const client = useApiClient();
  const settings = useConnectionSettings();
  const saved = savedDraft(settings, service);
  const fields = fieldsOf(service, client.origin);
  const [draft, setDraft] = useState<ServiceDraft>(saved);
  const problems: Record<string, string | undefined> = Object.fromEntries(fields.map((f) => [f.key, f.validate?.(draft[f.key] ?? "", draft)]));
  const changed = fields.some((f) => (draft[f.key] ?? "") !== (saved[f.key] ?? ""));

  /** Saves what was typed; false (with words under the fields) when something can't be used. */
  const save = (): boolean => {
    if (fields.some((f) => problems[f.key])) return false;
    if (!changed) return true;
    const next: ServiceDraft = Object.fromEntries(
      fields.map((f) => [f.key, f.kind === "url" ? normalizeServerUrl(draft[f.key] ?? "") : (draft[f.key] ?? "").trim()]),
    );
    const before = client.connection(service).baseUrl;
    client.settings.update({ [service]: { ...saved, ...next } } as Partial<ConnectionSettings>);
    setDraft(next);
    const after = client.connection(service).baseUrl;
    const slot = service === "indexing" ? undefined : service;
    if (slot && before !== after && client.session.credentials(slot)) {
      client.session.expire(slot, t("connection.serviceAddressChanged", { service: serviceLabel(service), after, before }));
    }
    return true;
  };

  const set = (key: string, value: string) => setDraft((previous) => ({ ...previous, [key]: value }));
  return { service, fields, draft, set, problems, changed, save };
}

export type ServiceDraftState = ReturnType<typeof useServiceDraft>;
