// The pseudo-locale (qps-ploc, Windows' name for it): every English message with its letters
// accented, a third longer, and in brackets — "[Śîĝñ îñ~~~~]". A string on screen without the
// accents was never in a catalog (hard-coded); a layout that breaks with the longer words breaks
// in German too. Placeholders, plurals and tags keep working: the message is parsed and only its
// literal text is changed.
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"][i] ?? c]),
);

/** Letters accented; what is not a letter stays. */
export function accent(text: string): string {
  return text.replace(/[a-zA-Z]/g, (c) => ACCENTED[c] ?? c);
}

/** True when `text` has a letter the pseudo-locale would have accented (so it was not translated). */
export function hasPlainLetters(text: string): boolean {
  return /[a-zA-Z]{2,}/.test(text);
}

function walk(elements: MessageFormatElement[]): number {
  let letters = 0;
  for (const element of elements) {
    if (element.type === TYPE.literal) {
      letters += element.value.replace(/[^a-zA-Z]/g, "").length;
      element.value = accent(element.value);
    } else if (element.type === TYPE.plural || element.type === TYPE.select) {
      let most = 0;
      for (const option of Object.values(element.options)) most = Math.max(most, walk(option.value));
      letters += most;
    } else if (element.type === TYPE.tag) {
      letters += walk(element.children);
    }
  }
  return letters;
}

/** One message in the pseudo-locale, as the AST the formatter takes. */
export function pseudoMessage(message: string): MessageFormatElement[] {
  const ast = parse(message);
  const letters = walk(ast);
  // In runs of five, so a long message can still wrap (a real language has spaces too).
  const padding = ("~".repeat(Math.ceil(letters / 3)).match(/~{1,5}/g) ?? []).join(" ");
  return [{ type: TYPE.literal, value: "[" }, ...ast, { type: TYPE.literal, value: `${padding}]` }];
}

export function pseudoCatalog(catalog: Record<string, string>): Record<string, MessageFormatElement[]> {
  return Object.fromEntries(Object.entries(catalog).map(([id, message]) => [id, pseudoMessage(message)]));
}
