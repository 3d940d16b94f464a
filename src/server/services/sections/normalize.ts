// One normalisation for both sides of a text match: what Word hands the pane as the selection
// (Range.text) and what the server stored (paragraphs of the .docx, or a generated section's
// text). They differ in ways a reader never sees:
//
//   - whitespace: runs of spaces, tabs, non-breaking and other Unicode spaces, line breaks
//     (\r paragraph marks, \n, \v manual line breaks, \f, U+2028/2029), Word's cell marks (\x07);
//   - characters that print nothing: soft hyphens (U+00AD and Word's optional hyphen \x1f),
//     zero-width spaces and joiners, BOM, bidi marks, Word's field and object marks (\x01, \x02,
//     \x13-\x15);
//   - typography: curly quotes ‘ ’ “ ” „ « » → ' and ", dashes and hyphens – — ‑ ‒ − (and Word's
//     non-breaking hyphen \x1e) → -, the ellipsis … → ..., compatibility forms (NFKC: ligatures,
//     full-width letters);
//   - letter case.
//
// Everything becomes lower case with single spaces and no leading/trailing space. The mapping
// works character by character (plus the whitespace collapse), so normalising pieces and joining
// them with a space gives the same text as normalising the joined pieces.

import { wordSpans } from "../../../shared/words";

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0006\u000e-\u001d\u001f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]|\u034f|\u17b4|\u17b5|\p{Variation_Selector}/gu;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u2035\u02bc\u0060\u00b4\u2039\u203a]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u301d\u301e\u301f]/g;
// eslint-disable-next-line no-control-regex
const DASHES = /[\u001e\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]/g;
// eslint-disable-next-line no-control-regex
const SPACES = /[\s\u0007\u0085\u00a0\u180e]+/g;

export function normalizeForMatch(text: string): string {
  return text
    .replace(INVISIBLE, "")
    .normalize("NFKC")
    .replace(/\u2026/g, "...")
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-")
    .toLowerCase()
    .replace(SPACES, " ")
    .trim();
}

/**
 * Words (letters and digits; Chinese, Japanese, … cut by Intl.Segmenter: src/shared/words.ts) of
 * a normalised text, with where each starts.
 */
export function wordsOf(normalized: string): Array<{ word: string; offset: number }> {
  return wordSpans(normalized);
}
