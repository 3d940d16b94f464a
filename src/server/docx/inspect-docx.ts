// Decides whether a file is a Word document (.docx) the server can safely keep, by its bytes,
// never by its name. Every rejection says what the file is and what to do about it.
//
// Checks, in order:
//   1. magic bytes: empty, old binary .doc (OLE), PDF, RTF, or not a ZIP at all;
//   2. the ZIP directory (yauzl): damaged/truncated, too many entries, encrypted entries;
//   3. the package relationships (_rels/.rels) → the main document part (transitional or ISO
//      Strict officeDocument relationship, falling back to word/document.xml);
//   4. every entry is inflated once, counting the bytes actually produced (headers are not
//      trusted): the total must stay under the unpacked limit, no entry may produce more than it
//      declares, and the CRC must match. XML parts are scanned for DOCTYPE/ENTITY declarations;
//   5. the main document part must be well-formed XML with a WordprocessingML `document` root.
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { formatMegabytes } from "../units";
import { DeclarationScanner, decodeXml, rootElement } from "./xml-text";

export type DocxProblem =
  | "empty"
  | "not-docx"
  | "legacy-doc"
  | "pdf"
  | "rtf"
  | "damaged"
  | "encrypted"
  | "not-word"
  | "entity-declaration"
  | "too-large-unpacked";

export class DocxRejectedError extends Error {
  constructor(
    readonly problem: DocxProblem,
    message: string,
  ) {
    super(message);
    this.name = "DocxRejectedError";
  }
}

export interface DocxLimits {
  maxUnpackedBytes: number;
  maxEntries: number;
}

export interface DocxInspection {
  /** Name of the main document part inside the package, e.g. "word/document.xml". */
  mainDocumentPart: string;
  /** True for ISO 29500 Strict documents (purl.oclc.org namespaces). */
  strict: boolean;
  /** The main document part's XML text (BOM removed), for extraction by later steps. */
  mainDocumentXml: string;
  /** The styles part next to the main document (styles.xml), when present and readable. */
  stylesXml: string | null;
  entryCount: number;
  unpackedBytes: number;
}

const OFFICE_DOCUMENT_TYPES = new Set([
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
  "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
]);
const WORD_NAMESPACES = new Map([
  ["http://schemas.openxmlformats.org/wordprocessingml/2006/main", false],
  ["http://purl.oclc.org/ooxml/wordprocessingml/main", true],
]);
const DEFAULT_MAIN_PART = "word/document.xml";

const SAVE_AS_DOCX = "Open it in Word and save it as a Word Document (.docx), then upload that file.";
const SAVE_AGAIN = "Save the document again from Word and upload the new copy.";

const reject = (problem: DocxProblem, message: string) => new DocxRejectedError(problem, message);
const damaged = (what: string) =>
  reject("damaged", `This Word document (.docx) is damaged or incomplete: ${what}. ${SAVE_AGAIN}`);

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

async function readHead(filePath: string, length: number): Promise<Buffer> {
  const handle = await open(filePath, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function checkMagic(head: Buffer): void {
  if (head.length === 0) throw reject("empty", "The file is empty.");
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    throw reject(
      "legacy-doc",
      `This file is an old-format Word 97-2003 document (.doc), not a Word document (.docx). Password-protected Office files look like this too. ${SAVE_AS_DOCX}`,
    );
  }
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) {
    throw reject("pdf", `This file is a PDF, not a Word document (.docx). ${SAVE_AS_DOCX}`);
  }
  if (startsWith(head, [0x7b, 0x5c, 0x72, 0x74, 0x66])) {
    throw reject("rtf", `This file is a Rich Text (.rtf) document, not a Word document (.docx). ${SAVE_AS_DOCX}`);
  }
  const zipSignatures = [
    [0x50, 0x4b, 0x03, 0x04],
    [0x50, 0x4b, 0x05, 0x06],
    [0x50, 0x4b, 0x07, 0x08],
  ];
  if (!zipSignatures.some((signature) => startsWith(head, signature))) {
    throw reject(
      "not-docx",
      `This file is not a Word document (.docx): its contents are not a .docx package, whatever its name says. ${SAVE_AS_DOCX}`,
    );
  }
}

/** Counts inflated bytes across the whole package. */
class UnpackBudget {
  used = 0;
  constructor(private readonly limit: number) {}
  add(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) throw tooLargeUnpacked(this.limit, "its contents");
  }
}

function tooLargeUnpacked(limit: number, what: string): DocxRejectedError {
  return reject(
    "too-large-unpacked",
    `This file is too large when unpacked: ${what} exceed the server's limit of ${formatMegabytes(limit)}. A real Word document this size is unlikely; if it is one, split it or raise SIDECAR_MAX_UNPACKED_BYTES.`,
  );
}

const isXmlPart = (name: string) => /\.(xml|rels|vml)$/i.test(name);

/**
 * Inflates one entry, enforcing the budget and the entry's declared size while the bytes flow,
 * and returns its bytes when `keep` is set. Stops reading at the first problem.
 */
async function readEntry(zip: ZipFile, entry: Entry, budget: UnpackBudget, keep: boolean): Promise<Buffer | null> {
  let stream: NodeJS.ReadableStream & { destroy(): void };
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch {
    throw damaged(`the part ${entry.fileName} cannot be read`);
  }
  const scanner = isXmlPart(entry.fileName) ? new DeclarationScanner() : null;
  const chunks: Buffer[] = [];
  let produced = 0;
  let crc = 0;
  try {
    for await (const data of stream) {
      const chunk = data as Buffer;
      produced += chunk.length;
      if (produced > entry.uncompressedSize) {
        throw reject(
          "too-large-unpacked",
          `This file is too large when unpacked: the part ${entry.fileName} inflates to more than the ${entry.uncompressedSize} bytes its header declares, which is how zip bombs are built. ${SAVE_AGAIN}`,
        );
      }
      budget.add(chunk.length);
      crc = crc32(chunk, crc);
      const declaration = scanner?.feed(chunk);
      if (declaration) {
        throw reject(
          "entity-declaration",
          `This file contains an XML ${declaration} declaration (in ${entry.fileName}); documents with DOCTYPE or entity declarations are refused for safety. Word never writes them: ${SAVE_AGAIN}`,
        );
      }
      if (keep) chunks.push(chunk);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof DocxRejectedError) throw error;
    throw damaged(`the part ${entry.fileName} cannot be unpacked`);
  }
  if (produced !== entry.uncompressedSize) throw damaged(`the part ${entry.fileName} is shorter than its header says`);
  if (crc !== entry.crc32) throw damaged(`the part ${entry.fileName} fails its checksum`);
  return keep ? Buffer.concat(chunks) : null;
}

function parseXmlOrNull(xml: string): Record<string, unknown> | null {
  if (XMLValidator.validate(xml) !== true) return null;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    processEntities: false,
    isArray: (name) => name === "Relationship",
  });
  return parser.parse(xml) as Record<string, unknown>;
}

/** The main part named by the package relationships, or null when there is none. */
function officeDocumentTarget(relsXml: string): string | null {
  const parsed = parseXmlOrNull(relsXml);
  if (!parsed) throw damaged("its package relationships (_rels/.rels) are not readable XML");
  const relationships = (parsed.Relationships as { Relationship?: Array<Record<string, unknown>> } | undefined)
    ?.Relationship;
  for (const relationship of relationships ?? []) {
    const type = String(relationship.Type ?? "");
    const target = relationship.Target;
    if (!OFFICE_DOCUMENT_TYPES.has(type) || typeof target !== "string" || relationship.TargetMode === "External") {
      continue;
    }
    let name = target;
    try {
      name = decodeURI(target);
    } catch {
      /* keep as written */
    }
    const parts: string[] = [];
    for (const segment of name.split("/")) {
      if (segment === "" || segment === ".") continue;
      if (segment === "..") parts.pop();
      else parts.push(segment);
    }
    return parts.join("/");
  }
  return null;
}

/**
 * Inspects the file at `filePath`. Resolves with what was found when it is an acceptable .docx;
 * rejects with DocxRejectedError (problem + message for a person) when it is not. Other errors
 * are I/O failures of the server.
 */
export async function inspectDocx(filePath: string, limits: DocxLimits): Promise<DocxInspection> {
  checkMagic(await readHead(filePath, 8));

  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(filePath, {
      lazyEntries: true,
      autoClose: false,
      // Sizes are checked below against the bytes actually inflated.
      validateEntrySizes: false,
    });
  } catch {
    throw damaged("its ZIP container cannot be read (the file may be cut off)");
  }

  try {
    const tooManyEntries = () =>
      reject(
        "too-large-unpacked",
        `This file is too large when unpacked: it holds more than ${limits.maxEntries} parts, far more than any Word document.`,
      );
    if (zip.entryCount > limits.maxEntries) throw tooManyEntries();

    const entries: Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        entries.push(entry);
        if (entries.length > limits.maxEntries) throw tooManyEntries();
      }
    } catch (error) {
      if (error instanceof DocxRejectedError) throw error;
      throw damaged("its ZIP directory is corrupt");
    }

    let declaredTotal = 0;
    const byName = new Map<string, Entry>();
    for (const entry of entries) {
      if (entry.isEncrypted()) {
        throw reject(
          "encrypted",
          `This file has encrypted (password-protected) parts. Remove the password in Word, save it as a Word Document (.docx), and upload it again.`,
        );
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw damaged(`the part ${entry.fileName} uses a compression method Word does not`);
      }
      declaredTotal += entry.uncompressedSize;
      // OPC part names compare without case.
      if (!entry.fileName.endsWith("/")) byName.set(entry.fileName.toLowerCase(), entry);
    }
    // A package that admits to being huge is refused before anything is inflated.
    if (declaredTotal > limits.maxUnpackedBytes) throw tooLargeUnpacked(limits.maxUnpackedBytes, "its contents");

    const budget = new UnpackBudget(limits.maxUnpackedBytes);
    const done = new Set<Entry>();

    let mainName: string | null = null;
    const relsEntry = byName.get("_rels/.rels");
    if (relsEntry) {
      const relsBytes = await readEntry(zip, relsEntry, budget, true);
      done.add(relsEntry);
      mainName = officeDocumentTarget(decodeXml(relsBytes as Buffer));
    }
    const mainEntry =
      (mainName !== null ? byName.get(mainName.toLowerCase()) : undefined) ?? byName.get(DEFAULT_MAIN_PART);
    if (!mainEntry) {
      throw reject(
        "not-word",
        `This file is a ZIP archive${mainName ? " (an Office file)" : ""}, but not a Word document: it has no Word document inside. Upload a Word Document (.docx).`,
      );
    }

    const mainDir = mainEntry.fileName.includes("/") ? mainEntry.fileName.slice(0, mainEntry.fileName.lastIndexOf("/") + 1) : "";
    const stylesEntry = byName.get(`${mainDir}styles.xml`.toLowerCase());
    let mainBytes: Buffer | null = null;
    let stylesBytes: Buffer | null = null;
    for (const entry of entries) {
      if (done.has(entry)) continue;
      const bytes = await readEntry(zip, entry, budget, entry === mainEntry || entry === stylesEntry);
      if (entry === mainEntry) mainBytes = bytes;
      else if (entry === stylesEntry) stylesBytes = bytes;
    }
    const stylesText = stylesBytes ? decodeXml(stylesBytes) : null;
    const stylesXml = stylesText !== null && XMLValidator.validate(stylesText) === true ? stylesText : null;

    const mainDocumentXml = decodeXml(mainBytes ?? Buffer.alloc(0));
    const partName = mainEntry.fileName;
    if (XMLValidator.validate(mainDocumentXml) !== true) {
      throw damaged(`its main document (${partName}) is not well-formed XML`);
    }
    const root = rootElement(mainDocumentXml);
    const strict = root?.namespace ? WORD_NAMESPACES.get(root.namespace) : undefined;
    if (root?.localName === "document" && strict !== undefined) {
      return {
        mainDocumentPart: partName,
        strict,
        mainDocumentXml,
        stylesXml,
        entryCount: entries.length,
        unpackedBytes: budget.used,
      };
    }
    if (root?.localName === "workbook" || root?.localName === "presentation") {
      const kind = root.localName === "workbook" ? "an Excel workbook" : "a PowerPoint presentation";
      throw reject(
        "not-word",
        `This file is an Office file (${kind}), but not a Word document. Upload a Word Document (.docx).`,
      );
    }
    throw damaged(`its main document (${partName}) has no Word document body`);
  } finally {
    zip.close();
  }
}
