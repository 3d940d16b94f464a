// Types for word-document-stand-in.mjs (a plain ES module, like word-stand-in.mjs).

export interface StandInParagraphSpec {
  text: string;
  /** Built-in style: "Normal" (default), "Heading1", "Title", ... */
  style?: string;
}

/** The script to append to the real office.js after wordStandIn's: the Word global over a document model. */
export function wordDocumentStandIn(options: { paragraphs: StandInParagraphSpec[] }): string;
