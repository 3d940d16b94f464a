// The main document's paragraphs in document order, with their style id and outline level, for
// sectioning (headings) and retrieval. Works on transitional and ISO Strict documents alike
// (elements are matched by local name). Input is the XML that inspectDocx returns, which has
// already been checked: well-formed, no DOCTYPE/ENTITY declarations.
import { XMLParser } from "fast-xml-parser";
import { inspectDocx, type DocxLimits } from "./inspect-docx";

export interface DocxParagraph {
  text: string;
  /** w:pStyle of the paragraph, e.g. "Heading1"; null for the default style. */
  styleId: string | null;
  /** 0 = Heading 1 level … 8; null for body text. From the paragraph, else its style chain. */
  outlineLevel: number | null;
  /** Carries list numbering (w:numPr with a numId other than 0), its own or its style chain's. */
  numbered: boolean;
}

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

const orderedParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

const plainParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "style",
});

function tagOf(node: OrderedNode): string | null {
  for (const key of Object.keys(node)) if (key !== ":@") return key;
  return null;
}

function childrenOf(node: OrderedNode, tag: string): OrderedNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value as OrderedNode[]) : [];
}

function findChild(nodes: OrderedNode[], tag: string): OrderedNode | undefined {
  return nodes.find((node) => tagOf(node) === tag);
}

function outlineFromValue(value: unknown): number | null {
  const level = Number(value);
  return Number.isInteger(level) && level >= 0 && level <= 8 ? level : null;
}

/** "Heading1" … "Heading9" (the English built-in ids; other languages localise the id, not the name). */
const HEADING_STYLE_ID = /^heading\s*([1-9])$/i;
/** The built-in heading styles' names in styles.xml, the same in every language ("heading 1"). */
const HEADING_STYLE_NAME = /^heading\s*([1-9])$/i;

/** What a paragraph style says about outline level and numbering, resolved through basedOn. */
export interface StyleTraits {
  /** 0–8, or null for body text. */
  outlineLevel: number | null;
  numbered: boolean;
}

interface OwnStyle {
  /** A level 0–8, "body" for an explicit w:outlineLvl 9 (body text), undefined when not set here. */
  outline: number | "body" | undefined;
  /** True/false when the style's w:numPr names a list (numId 0 = numbering removed), undefined otherwise. */
  numbered: boolean | undefined;
  basedOn: string | null;
}

type StyleNode = Record<string, unknown>;
const attr = (node: unknown, name = "val"): string | undefined => {
  const value = (node as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : undefined;
};

function ownOutline(styleId: string, name: string, outlineValue: string | undefined): number | "body" | undefined {
  if (outlineValue !== undefined) {
    const level = outlineFromValue(outlineValue);
    if (level !== null) return level;
    if (outlineValue.trim() === "9") return "body";
  }
  const byName = HEADING_STYLE_NAME.exec(name.trim());
  if (byName) return Number(byName[1]) - 1;
  const byId = HEADING_STYLE_ID.exec(styleId);
  if (byId) return Number(byId[1]) - 1;
  return undefined;
}

/**
 * Outline level and numbering of each paragraph style id, the way Word decides them: the
 * style's own w:outlineLvl (9 = body text), else a built-in heading by name ("heading 1", in
 * every language) or by id ("Heading1"), else what its basedOn style says (followed to the end of
 * the chain, loops cut). A style id that styles.xml does not define still counts as a heading when
 * it is "Heading1" … "Heading9".
 */
export function styleTraits(stylesXml: string | null | undefined): (styleId: string) => StyleTraits {
  const styles = new Map<string, OwnStyle>();
  if (stylesXml) {
    const parsed = plainParser.parse(stylesXml) as { styles?: { style?: StyleNode[] } };
    for (const style of parsed.styles?.style ?? []) {
      const id = typeof style.styleId === "string" ? style.styleId : null;
      if (!id || (style.type !== undefined && style.type !== "paragraph")) continue;
      const pPr = style.pPr as { outlineLvl?: unknown; numPr?: { numId?: unknown } } | undefined;
      const numId = pPr?.numPr ? attr(pPr.numPr.numId) : undefined;
      styles.set(id, {
        outline: ownOutline(id, attr(style.name) ?? "", attr(pPr?.outlineLvl)),
        numbered: numId !== undefined ? numId.trim() !== "0" : undefined,
        basedOn: attr(style.basedOn) ?? null,
      });
    }
  }
  const resolved = new Map<string, StyleTraits>();
  const resolve = (id: string, seen: Set<string>): StyleTraits => {
    const known = resolved.get(id);
    if (known) return known;
    const style = styles.get(id);
    if (!style) {
      const byId = HEADING_STYLE_ID.exec(id);
      return { outlineLevel: byId ? Number(byId[1]) - 1 : null, numbered: false };
    }
    seen.add(id);
    const parent = style.basedOn && !seen.has(style.basedOn) ? resolve(style.basedOn, seen) : { outlineLevel: null, numbered: false };
    const traits: StyleTraits = {
      outlineLevel: style.outline === undefined ? parent.outlineLevel : style.outline === "body" ? null : style.outline,
      numbered: style.numbered ?? parent.numbered,
    };
    resolved.set(id, traits);
    return traits;
  };
  return (styleId) => resolve(styleId, new Set());
}

/** Text of a run-level subtree; nested text boxes are left to their own paragraphs. */
function textOf(nodes: OrderedNode[], out: string[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === null) continue;
    if (tag === "#text") continue; // whitespace between elements
    if (tag === "t") {
      for (const child of childrenOf(node, tag)) {
        const text = child["#text"];
        if (text !== undefined) out.push(String(text));
      }
    } else if (tag === "tab") {
      out.push("\t");
    } else if (tag === "br" || tag === "cr") {
      out.push("\n");
    } else if (tag === "noBreakHyphen") {
      out.push("\u2011");
    } else if (tag !== "txbxContent" && tag !== "Fallback" && tag !== "pPr" && tag !== "rPr" && tag !== "delText" && tag !== "instrText") {
      textOf(childrenOf(node, tag), out);
    }
  }
}

function collect(nodes: OrderedNode[], traitsOf: (styleId: string) => StyleTraits, out: DocxParagraph[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === null || tag === "#text" || tag === "Fallback") continue;
    const children = childrenOf(node, tag);
    if (tag === "p") {
      const pPr = findChild(children, "pPr");
      const pPrChildren = pPr ? childrenOf(pPr, "pPr") : [];
      const styleId = findChild(pPrChildren, "pStyle")?.[":@"]?.val ?? null;
      const style = styleId ? traitsOf(styleId) : { outlineLevel: null, numbered: false };
      // A direct w:outlineLvl wins over the style's (9, or anything out of range, = body text).
      const ownLevel = findChild(pPrChildren, "outlineLvl")?.[":@"]?.val;
      const outlineLevel = ownLevel !== undefined ? outlineFromValue(ownLevel) : style.outlineLevel;
      const numPr = findChild(pPrChildren, "numPr");
      const numId = numPr ? findChild(childrenOf(numPr, "numPr"), "numId")?.[":@"]?.val : undefined;
      // A w:numPr without a numId (only a level) keeps the style's list.
      const numbered = numId !== undefined ? numId.trim() !== "0" : style.numbered;
      const parts: string[] = [];
      textOf(children, parts);
      out.push({ text: parts.join(""), styleId, outlineLevel, numbered });
      // Paragraphs inside text boxes anchored in this paragraph come right after it.
      collectNested(children, traitsOf, out);
    } else {
      collect(children, traitsOf, out);
    }
  }
}

function collectNested(nodes: OrderedNode[], traitsOf: (styleId: string) => StyleTraits, out: DocxParagraph[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === null || tag === "#text" || tag === "Fallback") continue;
    if (tag === "txbxContent") collect(childrenOf(node, tag), traitsOf, out);
    else collectNested(childrenOf(node, tag), traitsOf, out);
  }
}

/** Paragraphs of the body (tables and text boxes included), in document order. */
export function paragraphsFromXml(documentXml: string, stylesXml?: string | null): DocxParagraph[] {
  const traitsOf = styleTraits(stylesXml);
  const out: DocxParagraph[] = [];
  const tree = orderedParser.parse(documentXml) as OrderedNode[];
  const document = tree.find((node) => tagOf(node) === "document");
  const body = document ? findChild(childrenOf(document, "document"), "body") : undefined;
  if (body) collect(childrenOf(body, "body"), traitsOf, out);
  return out;
}

/** Checks a stored .docx (as on upload) and returns its paragraphs. */
export async function readDocxParagraphs(filePath: string, limits: DocxLimits): Promise<DocxParagraph[]> {
  const { mainDocumentXml, stylesXml } = await inspectDocx(filePath, limits);
  return paragraphsFromXml(mainDocumentXml, stylesXml);
}
