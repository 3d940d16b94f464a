// Writes a generated document as a real .docx (the `docx` library): a title, then one Heading 1
// per section with its paragraphs. The document id travels inside the file as the custom document
// property SidecarDocumentId, so the pane can tell which Sidecar document is open in Word.
import { Document, HeadingLevel, Packer, Paragraph } from "docx";

export const DOCUMENT_ID_PROPERTY = "SidecarDocumentId";

export interface DocxToWrite {
  documentId: string;
  title: string;
  /** Shown in File > Info > Properties. */
  description?: string;
  sections: Array<{ title: string; paragraphs: string[] }>;
}

/** Characters XML 1.0 cannot carry; Word would refuse a file containing them. */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
}

export async function writeGeneratedDocx(input: DocxToWrite): Promise<Buffer> {
  const children: Paragraph[] = [new Paragraph({ text: xmlSafe(input.title), heading: HeadingLevel.TITLE })];
  for (const section of input.sections) {
    children.push(new Paragraph({ text: xmlSafe(section.title), heading: HeadingLevel.HEADING_1 }));
    for (const text of section.paragraphs) children.push(new Paragraph({ text: xmlSafe(text) }));
  }
  const document = new Document({
    creator: "Sidecar",
    title: xmlSafe(input.title),
    ...(input.description ? { description: xmlSafe(input.description) } : {}),
    customProperties: [{ name: DOCUMENT_ID_PROPERTY, value: input.documentId }],
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
