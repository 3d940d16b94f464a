// Pure helpers that decide whether an Office theme (or any CSS colour) is dark.
// No Office globals here, so they are unit-tested directly.

/** The parts of `Office.context.officeTheme` this pane looks at. */
export interface OfficeThemeColours {
  bodyBackgroundColor?: string | null;
  /** Newer Office builds also say it outright; used only when the colour is missing or unreadable. */
  isDarkTheme?: boolean | null;
}

/** Parses "#rgb", "#rrggbb", "#rrggbbaa" (with or without "#") and "rgb()/rgba()" into 0–255 channels. */
export function parseColour(colour: string | null | undefined): [number, number, number] | undefined {
  if (typeof colour !== "string") return undefined;
  const text = colour.trim();
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(text)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex.slice(0, 6);
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*[, ]\s*(\d{1,3})\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/i.exec(text);
  if (rgb) {
    const channels = [rgb[1], rgb[2], rgb[3]].map((n) => Math.min(255, Number(n)));
    return channels as [number, number, number];
  }
  return undefined;
}

/** WCAG relative luminance (0 = black, 1 = white), or undefined when the colour can't be read. */
export function relativeLuminance(colour: string | null | undefined): number | undefined {
  const channels = parseColour(colour);
  if (!channels) return undefined;
  const [r, g, b] = channels.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** True when the colour is dark (relative luminance below 0.5). Unreadable colours count as light. */
export function isDarkColour(colour: string | null | undefined): boolean {
  const luminance = relativeLuminance(colour);
  return luminance !== undefined && luminance < 0.5;
}

/**
 * Dark or light for an Office theme: decided by the body background colour; when that is missing
 * or unreadable, by `isDarkTheme` if the host gives it; otherwise light.
 */
export function isDarkOfficeTheme(theme: OfficeThemeColours | null | undefined): boolean {
  if (!theme) return false;
  const luminance = relativeLuminance(theme.bodyBackgroundColor);
  if (luminance !== undefined) return luminance < 0.5;
  return theme.isDarkTheme === true;
}
