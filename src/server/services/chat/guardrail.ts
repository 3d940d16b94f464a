// The local server's guardrail on input (docs/api.md "Chat (Ejento shape)", "Guardrail"): a
// question that tries to override the agent's instructions or to get them revealed, or that
// names a term the server is configured to refuse (SIDECAR_BLOCKED_TERMS), is not answered. The
// answer is then the guardrail's words, with `blocked` and `guardrail_triggered` true.

/** Why a question was refused, in the words the answer gives. */
export interface GuardrailVerdict {
  answer: string;
}

/** The words of the status line a refused question's stream sends before its end. */
export const GUARDRAIL_STATUS = "The question was stopped by the agent's guardrail";

const WORD_GAP = "[^.?!\\n]{0,60}?";

/** Asking the agent to drop or replace its instructions ("ignore all previous instructions"). */
const OVERRIDE = new RegExp(
  `\\b(?:ignore|disregard|forget|override|bypass)\\s+(?:all|any|the|your|previous|prior|above|earlier|every|these|those)\\b${WORD_GAP}\\b(?:instructions?|rules|guidelines|system\\s+prompt|prompt)\\b`,
  "iu",
);

/** Asking the agent to show its instructions ("reveal your system prompt"). */
const REVEAL = new RegExp(
  `\\b(?:reveal|show|print|display|output|repeat|dump|leak|tell\\s+me)\\s+(?:me\\s+|us\\s+)?(?:your|the)\\s+(?:(?:full|exact|original|initial|hidden|secret|system)\\s+)*(?:system\\s+prompt|prompt|instructions)\\b`,
  "iu",
);

/** "your prompt" and "your instructions" are the agent's; "the prompt" and "the instructions" only as the system's. */
function revealsInstructions(question: string): boolean {
  const match = REVEAL.exec(question);
  if (!match) return false;
  const words = match[0].toLowerCase();
  return /\byour\b/.test(words) || /\bsystem\b/.test(words);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Guardrail {
  private readonly terms: Array<{ term: string; pattern: RegExp }>;

  /** `blockedTerms`: words or phrases refused wherever they appear (compared without case, as whole words). */
  constructor(blockedTerms: readonly string[] = []) {
    this.terms = blockedTerms.map((term) => ({
      term,
      pattern: new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term).replace(/\s+/g, "\\s+")}(?![\\p{L}\\p{N}])`, "iu"),
    }));
  }

  /** null when the question may be answered; otherwise the guardrail's words. */
  check(question: string): GuardrailVerdict | null {
    const text = question.normalize("NFKC");
    if (OVERRIDE.test(text)) return { answer: "I can't help with that: the question asks me to ignore my instructions." };
    if (revealsInstructions(text)) return { answer: "I can't help with that: the question asks me to reveal my instructions." };
    const term = this.terms.find((candidate) => candidate.pattern.test(text));
    if (term) return { answer: `I can't help with that: questions about “${term.term}” are blocked on this server.` };
    return null;
  }
}
