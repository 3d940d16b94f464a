// The templates every organization can use. Written to the database at each start (ids are
// stable, so generated documents keep pointing at them); change them here, not in the database.
import type { NewTemplate } from "../storage/template-store";

type BuiltIn = NewTemplate & { templateId: string; sections: Array<{ sectionId: string; sectionName: string; level: number; instructions: string }> };

function builtIn(templateId: string, templateName: string, documentType: string, sections: Array<[string, string]>): BuiltIn {
  return {
    templateId,
    templateName,
    documentType,
    sections: sections.map(([sectionName, instructions]) => ({
      sectionId: `${templateId}/${sectionName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`,
      sectionName,
      level: 1,
      instructions,
    })),
  };
}

export const BUILT_IN_TEMPLATES: readonly BuiltIn[] = [
  builtIn("builtin-study-report-summary", "Study report summary", "CSR", [
    [
      "Background",
      "Describe the context of the study: the disease, condition or health problem it addresses, how common and how serious it is, what is already known, and why the study was needed.",
    ],
    [
      "Objectives",
      "State the aims of the study: the primary objective and any secondary objectives, the questions the study set out to answer and the hypotheses it tested.",
    ],
    [
      "Methods",
      "Describe the study design and methods: population and participants, setting and sites, interventions or exposures, measurements and endpoints, data collection and statistical analysis.",
    ],
    [
      "Results",
      "Report the main results and findings: numbers of participants, key figures, rates and percentages, effects observed and differences between groups.",
    ],
    [
      "Safety",
      "Report safety findings: adverse events, side effects, risks, deaths and serious illness, hazards and any safety concerns raised.",
    ],
    [
      "Conclusions",
      "Give the conclusions: what the findings mean, recommendations for policy or practice, limitations, and the next steps or further research called for.",
    ],
  ]),
  builtIn("builtin-briefing-note", "Briefing note", "Briefing", [
    [
      "Purpose",
      "State the purpose of the note: the subject, the decision or action needed, and who needs to act.",
    ],
    [
      "Key facts",
      "Give the key facts and figures: statistics, dates, numbers, evidence and data that describe the current situation.",
    ],
    [
      "Issues",
      "Describe the issues, problems and risks: what is going wrong, causes, criticism, obstacles and the consequences of doing nothing.",
    ],
    [
      "Options",
      "Set out the options or measures available: possible actions, policies, programmes and reforms, with their advantages and disadvantages.",
    ],
    [
      "Recommendation",
      "Give the recommendation: the proposed course of action, what governments, organisations or the commission should do, and the next steps.",
    ],
  ]),
  builtIn("builtin-literature-review", "Literature review", "Review", [
    [
      "Introduction",
      "Introduce the subject of the review: the problem or question at its centre, its background and context, and why it matters now.",
    ],
    [
      "Scope and sources",
      "Describe the sources reviewed: reports, studies, speakers, organisations and the period, places or populations they cover.",
    ],
    [
      "Main findings",
      "Summarize the main findings and themes across the sources: the key results, what the evidence and data show, figures and trends reported, and where the sources agree.",
    ],
    [
      "Gaps and open questions",
      "Describe the gaps, disagreements and open questions: what is lacking or missing, what remains unknown or uncertain, difficulties and criticism, and where more research is needed.",
    ],
    [
      "Implications",
      "Explain the implications for policy, practice and future research, and the actions the sources call for.",
    ],
  ]),
];
