// The first screens of a long .docx, for the browser tab's preview: a copy of the document cut
// after its first few body blocks (paragraphs, tables, content controls), so its readable HTML can
// be on screen at once while the whole document is converted behind it (browser-host.ts).
// Only the start of word/document.xml is decoded and scanned; every other part (styles,
// numbering, images) is kept, so the head looks exactly like the start of the full preview.

/** Blocks of the body shown first: more than a screen. */
export const HEAD_BLOCKS = 40;
/** A document.xml smaller than this is converted whole at once (the head would save nothing). */
export const HEAD_MIN_XML_BYTES = 256 * 1024;
/** How much of document.xml is decoded to look for the cut (the whole part if the blocks are longer). */
const HEAD_SCAN_BYTES = 512 * 1024;

const DOCUMENT_PART = "word/document.xml";

/**
 * Where the body's `blocks`-th top-level block ends in `xml` (a document.xml, or its start), or
 * null when the body has no more than that many complete blocks in it. Paragraphs inside tables,
 * content controls and text boxes are part of their block, not blocks of their own.
 */
export function endOfBlocks(xml: string, blocks: number): number | null {
  const body = xml.indexOf("<w:body");
  if (body < 0) return null;
  const tag = /<(\/?)w:(p|tbl|sdt)(?=[\s/>])[^>]*?(\/?)>/g;
  tag.lastIndex = body;
  let depth = 0;
  let count = 0;
  for (let match = tag.exec(xml); match; match = tag.exec(xml)) {
    const [, closing, , selfClosing] = match;
    if (selfClosing) {
      if (depth === 0) count++;
    } else if (closing) {
      depth--;
      if (depth === 0) count++;
    } else {
      depth++;
    }
    if (depth === 0 && count >= blocks) return tag.lastIndex;
  }
  return null;
}

/**
 * A .docx of the document's first `blocks` body blocks, or null when there is nothing to gain
 * (a short document) or the file can't be cut (then the whole document is converted as usual,
 * and reports its own errors).
 */
export async function docxHead(bytes: Uint8Array, blocks = HEAD_BLOCKS): Promise<Uint8Array | null> {
  try {
    const { unzipSync, zipSync } = await import(/* webpackChunkName: "unzip" */ "fflate");
    const files = unzipSync(bytes);
    const documentName = Object.keys(files).find((name) => name.toLowerCase() === DOCUMENT_PART);
    const documentXml = documentName ? files[documentName] : undefined;
    if (!documentName || !documentXml || documentXml.length < HEAD_MIN_XML_BYTES) return null;
    const decoder = new TextDecoder();
    let xml = decoder.decode(documentXml.subarray(0, HEAD_SCAN_BYTES));
    let cut = endOfBlocks(xml, blocks);
    if (cut === null) {
      xml = decoder.decode(documentXml);
      cut = endOfBlocks(xml, blocks);
    }
    if (cut === null) return null;
    files[documentName] = new TextEncoder().encode(`${xml.slice(0, cut)}</w:body></w:document>`);
    // Stored, not compressed: it is read once, right away.
    return zipSync(files, { level: 0 });
  } catch {
    return null;
  }
}
