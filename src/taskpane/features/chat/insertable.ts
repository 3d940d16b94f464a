// What "Insert at cursor" / "Replace selection" / Copy put into the document: the answer's content,
// then a short reference list for the citation markers [n] it contains: one line per number with
// the cited document and section (the reference's title; its address when Ejento gives only a
// url). Footnotes would be the Word way; until the pane drafts in place, a list keeps the numbers
// meaningful once the answer is out of the chat.
import { escapeHtml } from "../../../shared/text";
import type { Reference } from "./api/stream-answer";
import { CITATION_MARKER, isWebAddress } from "./citations";

export interface CitedSource {
  number: number;
  label: string;
}

/** The references the text cites, each once, in number order. */
export function citedSources(text: string, references: readonly Reference[]): CitedSource[] {
  const out: CitedSource[] = [];
  for (const match of text.matchAll(CITATION_MARKER)) {
    const number = Number(match[1]);
    if (out.some((cited) => cited.number === number)) continue;
    const reference = references.find((r) => r.number === number);
    if (!reference) continue;
    const label = reference.title?.trim() || (isWebAddress(reference.url) ? reference.url : `Source ${number}`);
    out.push({ number, label });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** The rendered answer (HTML) and its markdown text, each followed by the reference list. */
export function insertableAnswer(html: string, text: string, references: readonly Reference[]): { html: string; text: string } {
  const cited = citedSources(text, references);
  if (cited.length === 0) return { html, text };
  return {
    html: `${html}<p><strong>Sources</strong></p>${cited.map((c) => `<p>[${c.number}] ${escapeHtml(c.label)}</p>`).join("")}`,
    text: `${text}\n\nSources\n${cited.map((c) => `[${c.number}] ${c.label}`).join("\n")}`,
  };
}
