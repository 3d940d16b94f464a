// The pane's words, numbers and dates in the pane's language (locale.ts picks it once, before the
// first render; Word does not change its display language under a running pane). `t` works in
// components and outside them alike (the api client's and the Office layer's error words), so
// there is one way to get a string: `t("chat.send")`, `t("batch.files", { count })`.
import { createIntl, createIntlCache, type IntlShape } from "react-intl";
import type { ReactNode } from "react";
import { english, german, type Catalog, type MessageId } from "./catalogs";
import { pseudoCatalog } from "./pseudo";
import { PSEUDO_LOCALE, type PaneLocale } from "./locale";

export type { MessageId } from "./catalogs";
export type { PaneLocale } from "./locale";

const cache = createIntlCache();

function messagesFor(locale: PaneLocale) {
  if (locale === "de") return { ...(english as Catalog), ...german };
  if (locale === PSEUDO_LOCALE) return pseudoCatalog(english);
  return english as Catalog;
}

/** A missing or broken message is a bug a test catches; on screen it shows the English text. */
function reportError(error: { code?: string; message?: string }) {
  if (error.code === "MISSING_DATA" || error.code === "MISSING_TRANSLATION") return;
  console.error(`Sidecar i18n: ${error.message ?? String(error)}`);
}

function create(locale: PaneLocale): IntlShape {
  return createIntl(
    {
      // Intl has no data for the pseudo-locale: it formats numbers and dates as English does.
      locale: locale === PSEUDO_LOCALE ? "en" : locale,
      defaultLocale: "en",
      messages: messagesFor(locale),
      onError: reportError,
    },
    cache,
  );
}

let current: PaneLocale = "en";
let intl = create(current);

/** Switches every later `t` and format to `locale` (at start-up, and in tests). */
export function setLocale(locale: PaneLocale): void {
  current = locale;
  intl = create(locale);
  if (typeof document !== "undefined") document.documentElement.lang = locale === PSEUDO_LOCALE ? "en" : locale;
}

export function paneLocale(): PaneLocale {
  return current;
}

export function getIntl(): IntlShape {
  return intl;
}

type Values = Record<string, string | number | boolean | Date | null | undefined>;

/** The message `id` in the pane's language, its {placeholders} filled from `values`. */
export function t(id: MessageId, values?: Values): string {
  return intl.formatMessage({ id }, values);
}

/** A message with markup: `<b>…</b>` and the like become the React elements `values` give for them. */
export function rich(id: MessageId, values: Record<string, ReactNode | ((chunks: ReactNode[]) => ReactNode)>): ReactNode {
  return intl.formatMessage({ id }, values as never) as ReactNode;
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return intl.formatNumber(value, options);
}

/** A date and time, medium date and short time unless told otherwise ("5 Dec 2026, 14:03"). */
export function formatDateTime(value: Date | number | string, options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" }): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : intl.formatDate(date, options);
}

/** Bytes as the pane's language writes file sizes: "812 byte", "12.4 kB", "3,1 MB". */
export function formatFileSize(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return intl.formatNumber(value, { style: "unit", unit: units[unit], unitDisplay: "short", maximumFractionDigits: unit === 0 ? 0 : 1 });
}

/** "a, b and c" / "a, b und c". */
export function formatList(items: readonly string[], type: "conjunction" | "disjunction" = "conjunction"): string {
  return intl.formatList(items, { type }) as string;
}
