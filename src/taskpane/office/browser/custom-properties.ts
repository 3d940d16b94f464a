// Custom document properties (docProps/custom.xml), read straight from the .docx bytes, and kept
// per document once read.

const CUSTOM_PROPERTIES_PART = "docprops/custom.xml"; // OPC part names compare case-insensitively
const CUSTOM_PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
/** Documents whose custom properties are kept in memory (the open one and a few before it). */
const CUSTOM_PROPERTIES_CACHE_SIZE = 8;

const NUMBER_VARIANTS = new Set(["i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "r4", "r8", "decimal", "cy"]);

/**
 * A property's vt:* value as text, written the way Word's customProperties would give it to
 * Sidecar: strings as they are, numbers as numbers, booleans as "true"/"false", dates as ISO 8601.
 */
function variantText(value: Element): string {
  const text = value.textContent ?? "";
  switch (value.localName) {
    case "lpwstr":
    case "lpstr":
    case "bstr":
      return text;
    case "bool":
      return /^\s*(true|1)\s*$/i.test(text) ? "true" : "false";
    case "filetime":
    case "date": {
      const date = new Date(text.trim());
      return Number.isNaN(date.getTime()) ? text.trim() : date.toISOString();
    }
    default: {
      const trimmed = text.trim();
      if (!NUMBER_VARIANTS.has(value.localName)) return trimmed;
      const number = Number(trimmed);
      return trimmed !== "" && Number.isFinite(number) ? String(number) : trimmed;
    }
  }
}

/** name (lower case) → value text, for every custom property in the .docx; empty when it has none or can't be read. */
async function readCustomProperties(bytes: Uint8Array): Promise<Map<string, string>> {
  const properties = new Map<string, string>();
  let xml: Uint8Array | undefined;
  try {
    // The unzipper is loaded on first use (the pane's first paint doesn't need it); only the one
    // small part is inflated, however large the document is.
    const { unzipSync } = await import(/* webpackChunkName: "unzip" */ "fflate");
    const files = unzipSync(bytes, { filter: (file) => file.name.toLowerCase() === CUSTOM_PROPERTIES_PART });
    xml = Object.values(files)[0];
  } catch {
    return properties;
  }
  const Parser = (globalThis as { DOMParser?: typeof DOMParser }).DOMParser;
  if (!xml || !Parser) return properties;
  const parsed = new Parser().parseFromString(new TextDecoder().decode(xml), "application/xml");
  if (parsed.getElementsByTagName("parsererror").length > 0) return properties;
  for (const property of Array.from(parsed.getElementsByTagNameNS(CUSTOM_PROPERTIES_NS, "property"))) {
    const name = property.getAttribute("name");
    const value = property.firstElementChild;
    if (!name || !value) continue;
    const key = name.toLowerCase();
    if (!properties.has(key)) properties.set(key, variantText(value));
  }
  return properties;
}

/** Custom document properties per document key (SHA-256), read once per document. */
export class CustomPropertiesCache {
  private readonly byDocument = new Map<string, Map<string, string>>();

  /** The custom property `name` (any case) of `document`, its properties read from its bytes the first time. */
  async get(document: { key: string; bytes: Uint8Array }, name: string): Promise<string | undefined> {
    let properties = this.byDocument.get(document.key);
    if (!properties) {
      properties = await readCustomProperties(document.bytes);
      this.byDocument.set(document.key, properties);
      if (this.byDocument.size > CUSTOM_PROPERTIES_CACHE_SIZE) {
        const oldest = this.byDocument.keys().next().value;
        if (oldest !== undefined) this.byDocument.delete(oldest);
      }
    }
    return properties.get(name.toLowerCase());
  }
}
