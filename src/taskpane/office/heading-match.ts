// Finding a section's heading in the open document from the title the server gives it. Pure
// functions, shared by the Word host and the browser-tab host (and usable by the pane, to compare
// titles the way the hosts do). Nothing here touches Office, Word or the DOM.
//
// The server's sections are the document's heading *blocks* (src/server/docx/outline.ts): every
// heading level counts, and a heading broken over consecutive heading paragraphs of the same level
// (only empty paragraphs between) is one section whose title is the parts joined by a space,
// unless a part carries its own number. headingBlocks() rebuilds those blocks here. Titles can
// still differ from the document's text in whitespace, quotes, dashes and case, so both sides are
// compared through normalizeHeadingTitle().

/**
 * Heading text as a person reads it: control characters, zero-width characters and soft hyphens
 * go; whitespace (tabs, line breaks, non-breaking spaces) becomes one space; the ends are trimmed.
 */
export function cleanHeadingText(text: string): string {
  return (
    text
      // Word's field, picture and cell marks (\u0001, \u0007, \u0013–\u0015 …); \t \n \v \f \r are whitespace below.
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, "")
      .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, "")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/**
 * The form two heading titles are compared in: cleaned (see cleanHeadingText), curly quotes made
 * straight, every dash and minus a hyphen with no spaces around it, lower case.
 * "Costs – 2024’s “Plan”" and "costs-2024's \"plan\"" compare equal.
 */
export function normalizeHeadingTitle(text: string): string {
  return cleanHeadingText(
    text
      .replace(/[\u2018\u2019\u201a\u201b\u2032\u02bc]/g, "'")
      .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
      .replace(/[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]/g, "-"),
  )
    .replace(/ ?- ?/g, "-")
    .toLowerCase();
}

/** One non-empty heading paragraph of the document, in document order. */
export interface HeadingCandidate {
  /** The heading's text as the document has it. */
  text: string;
  /** 1–9 when known; undefined for a heading whose level can't be told. */
  level?: number;
  /**
   * True when no body text stands between the previous candidate and this one (empty paragraphs
   * and empty headings don't count): the two can be parts of one broken heading.
   */
  followsPrevious: boolean;
  /** The paragraph carries list numbering (so it starts a heading of its own). */
  numbered?: boolean;
}

/** Candidates `first`…`last` (the same index unless the heading is broken over several paragraphs). */
export interface HeadingMatch {
  first: number;
  last: number;
}

/** A heading as the server outlines it: its parts and the title they make. */
export interface HeadingBlock extends HeadingMatch {
  title: string;
}

/** As src/server/docx/outline.ts: a merged title stops growing at this length. */
export const MAX_MERGED_TITLE_CHARS = 300;

/** As src/server/docx/outline.ts: "2.", "2.1", "IV.", "B." (typed outline numbers) followed by a capital or a digit. */
const TYPED_OUTLINE_NUMBER = /^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.|[A-Z]\.)\s+[\p{Lu}\p{N}]/u;

/**
 * The document's headings as the server's sections: consecutive candidates of the same level with
 * no body text between them join into one title (joined by a space), unless the later one carries
 * its own number (list numbering or a typed "2.", "2.1", "B.") or the title would pass 300 characters.
 */
export function headingBlocks(candidates: readonly HeadingCandidate[]): HeadingBlock[] {
  const blocks: HeadingBlock[] = [];
  let open: (HeadingBlock & { level: number | undefined }) | undefined;
  candidates.forEach((candidate, index) => {
    const text = cleanHeadingText(candidate.text);
    if (!text) return;
    if (
      open &&
      candidate.followsPrevious &&
      open.level === candidate.level &&
      !candidate.numbered &&
      !TYPED_OUTLINE_NUMBER.test(text) &&
      open.title.length + 1 + text.length <= MAX_MERGED_TITLE_CHARS
    ) {
      open.title = `${open.title} ${text}`;
      open.last = index;
      return;
    }
    open = { first: index, last: index, title: text, level: candidate.level };
    blocks.push(open);
  });
  return blocks.map(({ first, last, title }) => ({ first, last, title }));
}

/** A title is looked for in at most this many consecutive heading paragraphs. */
const MAX_SPLIT_PARAGRAPHS = 8;

/**
 * Every place `title` matches a heading paragraph, or consecutive heading paragraphs whose texts
 * joined by a space do (whatever their levels), in document order; matches never overlap.
 */
export function headingMatches(candidates: readonly HeadingCandidate[], title: string): HeadingMatch[] {
  const wanted = normalizeHeadingTitle(title);
  const matches: HeadingMatch[] = [];
  if (!wanted) return matches;
  const normalized = candidates.map((candidate) => normalizeHeadingTitle(candidate.text));
  let index = 0;
  while (index < candidates.length) {
    const own = normalized[index] ?? "";
    if (own === wanted) {
      matches.push({ first: index, last: index });
      index++;
      continue;
    }
    let last = -1;
    if (own && wanted.startsWith(own)) {
      let joined = candidates[index]!.text;
      for (let next = index + 1; next < candidates.length && next < index + MAX_SPLIT_PARAGRAPHS; next++) {
        if (!candidates[next]!.followsPrevious || !normalized[next]) break;
        joined += " " + candidates[next]!.text;
        const together = normalizeHeadingTitle(joined);
        if (together === wanted) {
          last = next;
          break;
        }
        if (!wanted.startsWith(together)) break;
      }
    }
    if (last >= 0) {
      matches.push({ first: index, last });
      index = last + 1;
    } else {
      index++;
    }
  }
  return matches;
}

/**
 * The `occurrence`-th (1-based) heading with `title`. The server's sections (headingBlocks) are
 * looked at first, so duplicates are counted the way the server numbers them; only when no block has
 * that title do single heading paragraphs and runs of them count (a title outlined another way).
 */
export function findHeading(
  candidates: readonly HeadingCandidate[],
  title: string,
  occurrence = 1,
): HeadingMatch | undefined {
  const wanted = normalizeHeadingTitle(title);
  if (!wanted) return undefined;
  const nth = Number.isFinite(occurrence) && occurrence >= 1 ? Math.floor(occurrence) : 1;
  const blocks = headingBlocks(candidates).filter((block) => normalizeHeadingTitle(block.title) === wanted);
  if (blocks.length > 0) {
    const block = blocks[nth - 1];
    return block && { first: block.first, last: block.last };
  }
  return headingMatches(candidates, title)[nth - 1];
}

/**
 * The heading (block) that candidate `anchor` belongs to, e.g. the last heading at or before the
 * selection, as { title, occurrence } such that findHeading(candidates, title, occurrence) finds
 * that same heading again. `candidates` must hold every heading before the anchor, and those after
 * it that may continue its block.
 */
export function nearestHeading(
  candidates: readonly HeadingCandidate[],
  anchor: number,
): { title: string; occurrence: number } | undefined {
  const blocks = headingBlocks(candidates);
  const position = blocks.findIndex((block) => block.first <= anchor && anchor <= block.last);
  const block = blocks[position];
  if (!block) return undefined;
  const wanted = normalizeHeadingTitle(block.title);
  const occurrence = blocks.slice(0, position + 1).filter((other) => normalizeHeadingTitle(other.title) === wanted).length;
  return { title: block.title, occurrence };
}

/** What the hosts know about one paragraph, to make heading candidates from. */
export interface ParagraphInfo {
  /** Heading level 1–9, undefined for a heading of unknown level, null for body text. */
  level: number | undefined | null;
  /** The paragraph's text; undefined when it wasn't read (body text is then assumed). */
  text: string | undefined;
  numbered?: boolean;
}

/**
 * Heading candidates from paragraphs in document order, with the index of each candidate's
 * paragraph. Empty headings are left out; empty paragraphs don't separate the parts of a heading.
 */
export function headingCandidates(paragraphs: readonly ParagraphInfo[]): { candidates: HeadingCandidate[]; indexes: number[] } {
  const candidates: HeadingCandidate[] = [];
  const indexes: number[] = [];
  let bodySince = true;
  paragraphs.forEach((paragraph, index) => {
    const empty = paragraph.text !== undefined && !cleanHeadingText(paragraph.text);
    if (paragraph.level === null) {
      if (!empty) bodySince = true;
      return;
    }
    if (paragraph.text === undefined || empty) return;
    candidates.push({
      text: paragraph.text,
      ...(paragraph.level === undefined ? {} : { level: paragraph.level }),
      followsPrevious: candidates.length > 0 && !bodySince,
      ...(paragraph.numbered ? { numbered: true } : {}),
    });
    indexes.push(index);
    bodySince = false;
  });
  return { candidates, indexes };
}
