// Small helpers for the XML parts of an OOXML package: decoding the bytes, refusing entity
// declarations, and reading the root element. Parsing itself is fast-xml-parser's job.

/** Decodes an XML part: UTF-8 (with or without BOM) or UTF-16 (LE/BE, with or without BOM). */
export function decodeXml(bytes: Buffer): string {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  let text: string;
  if (b0 === 0xff && b1 === 0xfe) text = bytes.subarray(2).toString("utf16le");
  else if (b0 === 0xfe && b1 === 0xff) text = swapBytes(bytes.subarray(2)).toString("utf16le");
  else if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) text = bytes.toString("utf16le");
  else if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) text = swapBytes(bytes).toString("utf16le");
  else text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function swapBytes(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
  return copy.swap16();
}

/**
 * Streaming check for `<!DOCTYPE` and `<!ENTITY` in an XML part (the XXE / billion-laughs
 * vectors). Word never writes either. Works on UTF-8 and UTF-16 bytes without decoding: in
 * UTF-16 the ASCII characters of the markup are the non-zero bytes.
 */
export class DeclarationScanner {
  private tail = "";
  private utf16: boolean | null = null;

  /** Returns the declaration found ("DOCTYPE" or "ENTITY"), or null. */
  feed(chunk: Buffer): string | null {
    if (chunk.length === 0) return null;
    if (this.utf16 === null) {
      const [b0, b1] = [chunk[0], chunk[1]];
      this.utf16 = (b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || b0 === 0x00 || b1 === 0x00;
    }
    const bytes = this.utf16 ? chunk.filter((byte) => byte !== 0) : chunk;
    const text = this.tail + Buffer.from(bytes).toString("latin1");
    const match = /<!\s*(doctype|entity)/i.exec(text);
    if (match) return (match[1] ?? "").toUpperCase();
    this.tail = text.slice(-16);
    return null;
  }
}

export interface RootElement {
  localName: string;
  namespace: string | null;
}

/** The root element of a well-formed XML text (prolog, comments and whitespace skipped). */
export function rootElement(xml: string): RootElement | null {
  let rest = xml;
  for (;;) {
    const skipped = rest.replace(/^\s+/, "").replace(/^<\?[\s\S]*?\?>/, "").replace(/^<!--[\s\S]*?-->/, "");
    if (skipped === rest) break;
    rest = skipped;
  }
  const match = /^<([^\s/>]+)([^>]*)>/.exec(rest);
  if (!match) return null;
  const qualified = match[1] ?? "";
  const attributes = match[2] ?? "";
  const colon = qualified.indexOf(":");
  const prefix = colon >= 0 ? qualified.slice(0, colon) : null;
  const localName = colon >= 0 ? qualified.slice(colon + 1) : qualified;
  let namespace: string | null = null;
  for (const declaration of attributes.matchAll(/xmlns(?::([^\s=]+))?\s*=\s*(["'])(.*?)\2/g)) {
    if ((declaration[1] ?? null) === prefix) namespace = declaration[3] ?? null;
  }
  return { localName, namespace };
}
