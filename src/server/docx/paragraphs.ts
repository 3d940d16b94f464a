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

/** Outline level of each paragraph style id, following basedOn chains; "heading N" names count. */
function styleOutlineLevels(stylesXml: string | null | undefined): Map<string, number | null> {
  const result = new Map<string, number | null>();
  if (!stylesXml) return result;
  const parsed = plainParser.parse(stylesXml) as { styles?: { style?: Array<Record<string, unknown>> } };
  const styles = new Map<string, { own: number | null; basedOn: string | null }>();
  for (const style of parsed.styles?.style ?? []) {
    const id = typeof style.styleId === "string" ? style.styleId : null;
    if (!id || (style.type !== undefined && style.type !== "paragraph")) continue;
    const pPr = style.pPr as { outlineLvl?: { val?: string } } | undefined;
    const name = (style.name as { val?: string } | undefined)?.val ?? "";
    const heading = /^heading ([1-9])$/i.exec(name);
    const own = outlineFromValue(pPr?.outlineLvl?.val) ?? (heading ? Number(heading[1]) - 1 : null);
    const basedOn = (style.basedOn as { val?: string } | undefined)?.val ?? null;
    styles.set(id, { own, basedOn });
  }
  const resolve = (id: string, seen: Set<string>): number | null => {
    if (result.has(id)) return result.get(id) ?? null;
    const style = styles.get(id);
    if (!style || seen.has(id)) return null;
    seen.add(id);
    const level = style.own ?? (style.basedOn ? resolve(style.basedOn, seen) : null);
    result.set(id, level);
    return level;
  };
  for (const id of styles.keys()) resolve(id, new Set());
  return result;
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

function collect(nodes: OrderedNode[], levels: Map<string, number | null>, out: DocxParagraph[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === null || tag === "#text" || tag === "Fallback") continue;
    const children = childrenOf(node, tag);
    if (tag === "p") {
      const pPr = findChild(children, "pPr");
      const pPrChildren = pPr ? childrenOf(pPr, "pPr") : [];
      const styleId = findChild(pPrChildren, "pStyle")?.[":@"]?.val ?? null;
      const ownLevel = findChild(pPrChildren, "outlineLvl")?.[":@"]?.val;
      const outlineLevel =
        ownLevel !== undefined ? outlineFromValue(ownLevel) : styleId ? (levels.get(styleId) ?? null) : null;
      const parts: string[] = [];
      textOf(children, parts);
      out.push({ text: parts.join(""), styleId, outlineLevel });
      // Paragraphs inside text boxes anchored in this paragraph come right after it.
      collectNested(children, levels, out);
    } else {
      collect(children, levels, out);
    }
  }
}

function collectNested(nodes: OrderedNode[], levels: Map<string, number | null>, out: DocxParagraph[]): void {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === null || tag === "#text" || tag === "Fallback") continue;
    if (tag === "txbxContent") collect(childrenOf(node, tag), levels, out);
    else collectNested(childrenOf(node, tag), levels, out);
  }
}

/** Paragraphs of the body (tables and text boxes included), in document order. */
export function paragraphsFromXml(documentXml: string, stylesXml?: string | null): DocxParagraph[] {
  const levels = styleOutlineLevels(stylesXml);
  const out: DocxParagraph[] = [];
  const tree = orderedParser.parse(documentXml) as OrderedNode[];
  const document = tree.find((node) => tagOf(node) === "document");
  const body = document ? findChild(childrenOf(document, "document"), "body") : undefined;
  if (body) collect(childrenOf(body, "body"), levels, out);
  return out;
}

/** Checks a stored .docx (as on upload) and returns its paragraphs. */
export async function readDocxParagraphs(filePath: string, limits: DocxLimits): Promise<DocxParagraph[]> {
  const { mainDocumentXml, stylesXml } = await inspectDocx(filePath, limits);
  return paragraphsFromXml(mainDocumentXml, stylesXml);
}
