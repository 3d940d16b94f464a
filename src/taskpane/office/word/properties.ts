// What Sidecar keeps in the document and reads from it: its settings (Office document
// settings, saved with the document) and the document's custom properties.

import { t } from "../../i18n";
import { MISSING_API_CODES, errorCode, readError, writeError } from "./errors";
import { officeGlobal, succeeded, wordApiSupported } from "./globals";

/** A custom property's value as text: strings as they are, dates as ISO 8601, numbers and booleans as written. */
function propertyText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return String(value);
}

/** DocumentHost.getCustomProperty for Word. */
export async function getCustomProperty(name: string): Promise<string | undefined> {
  // customProperties is WordApi 1.3: an older Word simply can't have told us anything.
  if (!wordApiSupported("1.3")) return undefined;
  const word = (globalThis as { Word?: typeof Word }).Word;
  if (!word || typeof word.run !== "function") return undefined;
  try {
    return await word.run(async (context) => {
      const property = context.document.properties.customProperties.getItemOrNullObject(name);
      property.load("value");
      await context.sync();
      return property.isNullObject ? undefined : propertyText(property.value);
    });
  } catch (error) {
    // A Word that reports the API set but lacks the object model still just "has no property".
    if (error instanceof TypeError || MISSING_API_CODES.has(errorCode(error))) return undefined;
    throw readError(error, t("office.propertiesReadFailed"));
  }
}

/** A setting Sidecar stored in the document (Office document settings). */
export async function getSetting<T = unknown>(key: string): Promise<T | undefined> {
  const office = officeGlobal();
  try {
    const value = office.context.document.settings.get(key) as T | null | undefined;
    return value === null ? undefined : value;
  } catch (error) {
    throw readError(error, t("office.settingsReadFailed"));
  }
}

/** Stores a setting in the document (undefined removes it) and saves the settings with it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  const office = officeGlobal();
  const settings = office.context.document.settings;
  try {
    if (value === undefined) settings.remove(key);
    else settings.set(key, value);
  } catch (error) {
    throw writeError(error, t("office.settingsStoreFailed"));
  }
  await new Promise<void>((resolve, reject) => {
    const fallback = t("office.settingsSaveFailed");
    try {
      settings.saveAsync((result) => {
        if (succeeded(office, result)) resolve();
        else reject(writeError(result.error, fallback));
      });
    } catch (error) {
      reject(writeError(error, fallback));
    }
  });
}
