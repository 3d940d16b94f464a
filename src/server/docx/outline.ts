// A document's outline as a reader sees it (what Word's Navigation pane lists, tidied): its
// headings in document order, each owning the paragraphs up to the next heading of any level.
//
// Which paragraphs are headings (decided in paragraphs.ts, the way Word does): an outline level
// 0–8 from the paragraph itself (a direct w:outlineLvl; 9 = body text) or from its style —
// built-in Heading 1–9 by style name or id, a custom style with its own outline level, or one
// basedOn a heading style (the whole chain followed). All nine levels count.
//
// Rules for messy documents, chosen from what real files do (openxml-sdk-nutrition-report.docx):
//
//   1. Empty headings are not headings: a heading paragraph whose text is only whitespace, tabs,
//      zero-width characters, field codes or bookmarks (none of which reach the text) is skipped,
//      and does not count as body either. Authors use them as spacing.
//   2. A heading broken over several paragraphs is one heading: consecutive heading paragraphs of
//      the same level with no body text between them (empty paragraphs don't count) are merged
//      into one title, joined by a space. The nutrition report's title block is four Heading 1
//      paragraphs ("5. EUROPEAN HEALTH FORUM GASTEIN –", "on the Future of Health in Europe",
//      "25 to 28 September 2002", "Parallelforum IV: …") with empty Heading 1 paragraphs between:
//      on the page one heading block, in the dropdown one section.
//   3. …except when the later paragraph carries its own number (list numbering, or a typed outline
//      number like "2.", "2.1" or "B." followed by a capital): a reader sees a new numbered heading,
//      so a section left empty ("1 Background" straight before "2 Methods") stays its own section.
//      An empty, unnumbered section followed by a sibling heading is merged into it (rule 2): a
//      document cannot tell it apart from a wrapped heading, and wrapped headings are the more
//      common of the two in real files.
//   4. A merged title stops growing at MAX_MERGED_TITLE_CHARS: past that it is not one heading.
//   5. Headings of different levels are never merged (a heading straight above a sub-heading is a
//      section with a sub-section).
//
// Text before the first heading belongs to no section (the preamble: a title page, a letterhead):
// a selection only there finds no section (404); one that runs on past the first heading is in the
// first section it reaches (services/sections/text-index.ts).
//
// The pane mirrors rules 2–4 to find a section's heading in the open document
// (src/taskpane/office/heading-match.ts): change them in both places.
import { cleanText } from "./headings";
import type { DocxParagraph } from "./paragraphs";

export const MAX_MERGED_TITLE_CHARS = 300;
/** Longest slug part of a section id (the ordinal suffix comes on top). */
const MAX_SLUG_CHARS = 80;

export interface OutlineHeading {
  /** The heading text as shown: fragments cleaned and joined by a space. */
  title: string;
  /** 1 = Heading 1 … 9 = Heading 9. */
  level: number;
  /** Paragraph indexes of the heading's (non-empty) fragments, in order. */
  headingParagraphs: number[];
  /** Paragraph indexes of the non-empty body paragraphs up to the next heading. */
  bodyParagraphs: number[];
}

export interface DocumentOutline {
  headings: OutlineHeading[];
  /** Non-empty paragraphs before the first heading (in no section). */
  preamble: number[];
}

/** "2.", "2.1", "IV.", "B." (typed outline numbers) followed by a capital or a digit. */
const TYPED_OUTLINE_NUMBER = /^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.|[A-Z]\.)\s+[\p{Lu}\p{N}]/u;

function startsOwnHeading(paragraph: DocxParagraph, text: string): boolean {
  return paragraph.numbered || TYPED_OUTLINE_NUMBER.test(text);
}

export function documentOutline(paragraphs: readonly DocxParagraph[]): DocumentOutline {
  const headings: OutlineHeading[] = [];
  const preamble: number[] = [];
  // The heading that a following same-level fragment may still join (cleared by body text).
  let open: OutlineHeading | null = null;

  paragraphs.forEach((paragraph, index) => {
    const text = cleanText(paragraph.text);
    if (!text) return; // rule 1 (and empty body paragraphs)
    if (paragraph.outlineLevel === null) {
      open = null;
      const current = headings[headings.length - 1];
      if (current) current.bodyParagraphs.push(index);
      else preamble.push(index);
      return;
    }
    const level = paragraph.outlineLevel + 1;
    const joinable: OutlineHeading | null = open;
    if (
      joinable !== null &&
      joinable.level === level &&
      !startsOwnHeading(paragraph, text) &&
      joinable.title.length + 1 + text.length <= MAX_MERGED_TITLE_CHARS
    ) {
      joinable.title = `${joinable.title} ${text}`;
      joinable.headingParagraphs.push(index);
      return;
    }
    open = { title: text, level, headingParagraphs: [index], bodyParagraphs: [] };
    headings.push(open);
  });
  return { headings, preamble };
}

/**
 * Readable, stable ids for a list of section titles: a slug of the title ("The West-East Divide"
 * → "the-west-east-divide"), with "-2", "-3", … for the second and later headings whose slug is
 * taken (so two headings with the same title get distinct ids). The same titles in the same order
 * always give the same ids, so the same document (same bytes) always has the same ids.
 */
export function sectionIds(titles: readonly string[]): string[] {
  const used = new Set<string>();
  return titles.map((title) => {
    const slug = slugOf(title);
    let id = slug;
    for (let ordinal = 2; used.has(id); ordinal++) id = `${slug}-${ordinal}`;
    used.add(id);
    return id;
  });
}

export function slugOf(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  if (!words) return "section";
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > MAX_SLUG_CHARS) {
      if (!slug) slug = word.slice(0, MAX_SLUG_CHARS);
      break;
    }
    slug = next;
  }
  return slug;
}
