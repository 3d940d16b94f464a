// Which language the pane speaks: Word's display language (Office.context.displayLanguage) inside
// Word, the browser's in the browser tab; `?lang=` or the "sidecar.lang" setting override both (for
// development: `?lang=qps-ploc` is the pseudo-locale). English when nothing else is supported.

export type PaneLocale = "en" | "de" | "qps-ploc";

export const PSEUDO_LOCALE = "qps-ploc";

/** The supported language for a BCP 47 tag, or undefined. */
function supported(tag: string | undefined | null): PaneLocale | undefined {
  const lower = tag?.trim().toLowerCase();
  if (!lower) return undefined;
  if (lower === PSEUDO_LOCALE || lower === "en-xa") return "qps-ploc";
  const language = lower.split(/[-_]/)[0];
  if (language === "de") return "de";
  if (language === "en") return "en";
  return undefined;
}

export interface LocaleSources {
  /** `?lang=` in the page's address, or the stored setting. */
  override?: string | null;
  /** Office.context.displayLanguage, inside Office. */
  office?: string | null;
  /** navigator.languages, best first. */
  browser?: readonly string[];
}

export function pickLocale({ override, office, browser = [] }: LocaleSources): PaneLocale {
  const fromOverride = supported(override);
  if (fromOverride) return fromOverride;
  // Inside Word, Word's language decides even when it is one Sidecar does not speak (then English).
  if (office) return supported(office) ?? "en";
  for (const tag of browser) {
    const found = supported(tag);
    if (found) return found;
  }
  return "en";
}

const SETTING = "sidecar.lang";

/**
 * Where this page finds its language: the address, the stored setting, Word (only when the pane
 * runs in Word: office.js loaded in a plain tab has no display language of its own), the browser.
 */
export function localeSources(inWord: boolean): LocaleSources {
  let override: string | null = null;
  try {
    override = new URLSearchParams(globalThis.location?.search ?? "").get("lang") ?? globalThis.localStorage?.getItem(SETTING) ?? null;
  } catch {
    /* storage blocked: no override */
  }
  let office: string | null = null;
  if (inWord) try {
    const context = (globalThis as { Office?: typeof Office }).Office?.context;
    office = context?.displayLanguage ?? null;
  } catch {
    /* outside Office */
  }
  return { override, office, browser: globalThis.navigator?.languages ?? [] };
}
