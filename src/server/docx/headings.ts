// A template's sections from an uploaded .docx: each heading (Heading 1–3 style, or a paragraph
// with outline level 0–2) starts a section holding the text under it up to the next such heading.
// Deeper headings (Heading 4 and below) stay inside their section as text (a template section's
// instructions). A document's sections as the Sources panel shows them (every level, split
// headings merged, stable ids) are docx/outline.ts.
import type { DocxParagraph } from "./paragraphs";

/** Outline levels that start a section: 0–2 (Heading 1–3). */
export const SECTION_OUTLINE_LEVELS = 3;

export interface HeadingSection {
  title: string;
  /** 1 = Heading 1 … 3 = Heading 3. */
  level: number;
  /** Index of the heading paragraph among the document's paragraphs. */
  paragraphIndex: number;
  /** Cleaned text of the non-empty paragraphs under the heading. */
  body: string[];
}

/**
 * Paragraph text for reading and retrieval: tabs, line breaks and runs of spaces become one
 * space, zero-width and soft-hyphen characters go, and the ends are trimmed.
 */
export function cleanText(text: string): string {
  return text
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, "")
    .replace(/[\s\u00a0]+/g, " ")
    .trim();
}

export function isSectionHeading(paragraph: DocxParagraph): boolean {
  return paragraph.outlineLevel !== null && paragraph.outlineLevel < SECTION_OUTLINE_LEVELS && cleanText(paragraph.text) !== "";
}

/** The document's heading sections in document order (text before the first heading is left out). */
export function headingSections(paragraphs: readonly DocxParagraph[]): HeadingSection[] {
  const sections: HeadingSection[] = [];
  paragraphs.forEach((paragraph, index) => {
    if (isSectionHeading(paragraph)) {
      sections.push({ title: cleanText(paragraph.text), level: (paragraph.outlineLevel ?? 0) + 1, paragraphIndex: index, body: [] });
      return;
    }
    const text = cleanText(paragraph.text);
    const current = sections[sections.length - 1];
    if (current && text) current.body.push(text);
  });
  return sections;
}
