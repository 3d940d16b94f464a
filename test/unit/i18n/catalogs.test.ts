// The catalogs as a translator and a caller rely on them: German has every English message with
// the same placeholders, every message parses, and the pane's language follows Word's.
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { english, german, parts } from "../../../src/taskpane/i18n/catalogs";
import { formatDateTime, formatFileSize, formatNumber, setLocale, t } from "../../../src/taskpane/i18n";
import { pickLocale } from "../../../src/taskpane/i18n/locale";
import { hasPlainLetters, pseudoMessage } from "../../../src/taskpane/i18n/pseudo";

/** The argument names a message uses, with their kinds ("count:plural", "name:argument"). */
function argumentsOf(elements: MessageFormatElement[], out = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) out.add(`${element.value}:${TYPE[element.type]}`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      out.add(`${element.value}:${TYPE[element.type]}`);
      for (const option of Object.values(element.options)) argumentsOf(option.value, out);
    }
    if (element.type === TYPE.tag) {
      out.add(`<${element.value}>`);
      argumentsOf(element.children, out);
    }
  }
  return out;
}

afterEach(() => setLocale("en"));

describe("catalogs", () => {
  test.each(Object.keys(parts))("%s: German has exactly the English keys, with the same placeholders", (part) => {
    const { en, de } = parts[part]!;
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const [id, message] of Object.entries(en)) {
      expect(id.startsWith(`${part}.`)).toBe(true);
      const want = [...argumentsOf(parse(message))].sort();
      expect({ id, args: [...argumentsOf(parse(de[id]!))].sort() }).toEqual({ id, args: want });
    }
  });

  test("no key is defined by two parts", () => {
    const count = Object.values(parts).reduce((sum, { en }) => sum + Object.keys(en).length, 0);
    expect(Object.keys(english)).toHaveLength(count);
    expect(Object.keys(german)).toHaveLength(count);
  });

  test("German is a translation, not a copy: most messages differ from English", () => {
    const same = Object.keys(english).filter((id) => german[id] === (english as Record<string, string>)[id]);
    expect(same.length / Object.keys(english).length).toBeLessThan(0.15);
  });
});

describe("the pane's language", () => {
  test("Word's display language decides inside Word; English when Word speaks something else", () => {
    expect(pickLocale({ office: "de-DE", browser: ["en-US"] })).toBe("de");
    expect(pickLocale({ office: "de-AT" })).toBe("de");
    expect(pickLocale({ office: "fr-FR", browser: ["de-DE"] })).toBe("en");
    expect(pickLocale({ office: "en-GB" })).toBe("en");
  });

  test("in a browser tab the first supported browser language; ?lang= overrides both", () => {
    expect(pickLocale({ browser: ["fr-FR", "de-CH", "en"] })).toBe("de");
    expect(pickLocale({ browser: ["ja-JP"] })).toBe("en");
    expect(pickLocale({ override: "qps-ploc", office: "de-DE" })).toBe("qps-ploc");
    expect(pickLocale({ override: "xx", office: "de-DE" })).toBe("de");
  });

  test("messages, numbers, dates and sizes follow the locale", () => {
    setLocale("de");
    expect(t("app.tabDocuments")).toBe("Dokumente");
    expect(formatNumber(1234.5)).toBe("1.234,5");
    expect(formatFileSize(12_400)).toBe("12,4 kB");
    expect(formatDateTime(new Date(Date.UTC(2026, 11, 5, 12, 0)), { dateStyle: "long", timeZone: "UTC" })).toBe("5. Dezember 2026");
    setLocale("en");
    expect(t("app.tabDocuments")).toBe("Documents");
    expect(formatFileSize(12_400)).toBe("12.4 kB");
    expect(formatFileSize(812)).toBe("812 byte");
    expect(formatDateTime(new Date(Date.UTC(2026, 11, 5, 12, 0)), { dateStyle: "long", timeZone: "UTC" })).toBe("December 5, 2026");
  });
});

describe("pseudo-locale", () => {
  test("accents and lengthens every message, keeps placeholders and plurals working", () => {
    setLocale("qps-ploc");
    const text = t("app.needsSignInTitle", { service: "Artos" });
    expect(text).toMatch(/^\[Šîĝñ îñ ţö Artos~+\]$/);
    expect(text.length).toBeGreaterThan("Sign in to Artos".length + 3);
    for (const [id, message] of Object.entries(english)) {
      const literal = pseudoMessage(message)
        .map((element) => (element.type === TYPE.literal ? element.value : " "))
        .join("");
      expect({ id, plain: hasPlainLetters(literal) }).toEqual({ id, plain: false });
    }
  });
});
