// Writes a generated document as a real .docx (the `docx` library): a Title-styled title, then one
// Heading 1 per section with its paragraphs. A paragraph is plain text, or sentences each with an
// optional footnote (which source document and section it comes from) that Word numbers and shows
// at the foot of the page. The document id travels inside the file as the custom document property
// SidecarDocumentId, so the pane can tell which Sidecar document is open in Word.
import type * as Docx from "docx";

let library: Promise<typeof Docx> | undefined;
/** The library, loaded at the first write: the document reader's worker starts for uploads too, which never need it. */
const docxLibrary = () => (library ??= import("docx"));

export const DOCUMENT_ID_PROPERTY = "SidecarDocumentId";

/** A sentence and, when it comes from a source passage, the footnote naming that source. */
export interface FootnotedSentence {
  text: string;
  footnote?: string | null;
  /** The passages it comes from (recorded as its sources; not written into the file). */
  passageIds?: string[];
}

export type DocxParagraph = string | { sentences: FootnotedSentence[] };

export interface DocxToWrite {
  documentId: string;
  title: string;
  /** Shown in File > Info > Properties. */
  description?: string;
  sections: Array<{ title: string; paragraphs: DocxParagraph[] }>;
}

/** Characters XML 1.0 cannot carry; Word would refuse a file containing them. */
function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
}

/** The text of a paragraph as it reads in the document (footnote marks add no text). */
export function paragraphText(paragraph: DocxParagraph): string {
  return typeof paragraph === "string" ? paragraph : paragraph.sentences.map((sentence) => sentence.text).join(" ");
}

function bodyParagraph({ FootnoteReferenceRun, Paragraph, TextRun }: typeof Docx, paragraph: DocxParagraph): Docx.Paragraph {
  if (typeof paragraph === "string") return new Paragraph({ text: xmlSafe(paragraph) });
  const children: Array<Docx.TextRun | Docx.FootnoteReferenceRun> = [];
  paragraph.sentences.forEach((sentence, index) => {
    children.push(new TextRun(xmlSafe(index > 0 ? ` ${sentence.text}` : sentence.text)));
    if (sentence.footnote) children.push(new FootnoteReferenceRun({ children: [new Paragraph({ children: [new TextRun(` ${xmlSafe(sentence.footnote)}`)] })] }));
  });
  return new Paragraph({ children });
}

export async function writeGeneratedDocx(input: DocxToWrite): Promise<Buffer> {
  const docx = await docxLibrary();
  const { Document, HeadingLevel, Packer, Paragraph } = docx;
  const children: Docx.Paragraph[] = [new Paragraph({ text: xmlSafe(input.title), heading: HeadingLevel.TITLE })];
  for (const section of input.sections) {
    children.push(new Paragraph({ text: xmlSafe(section.title), heading: HeadingLevel.HEADING_1 }));
    for (const paragraph of section.paragraphs) children.push(bodyParagraph(docx, paragraph));
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
