// A heading used as a label. Documents style whole paragraphs as headings ("36. The definition
// should be broadly enough framed to…"); as a section name such a heading shows its first words
// and an ellipsis, and the full text goes to the title (hover) and to assistive technology.
import { shorten } from "../../shared/text";

/** About one line of the pane at its narrowest. */
export const LABEL_MAX_CHARS = 48;

/** The text whole when it fits; otherwise its first words (cut at a word boundary) and "…". */
export function shortLabel(text: string, max = LABEL_MAX_CHARS): string {
  return shorten(text, max);
}
