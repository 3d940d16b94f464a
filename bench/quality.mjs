// Figure group "quality": how well the local server's answers and generated documents use the
// documents, on the question set in bench/quality/corpus.json (three documents the bench builds as
// .docx files, 46 questions each with the sentence that answers it). Without a model (the default):
//
//   - retrieval hit@1 / hit@5: the passage holding the answering sentence is the first / among the
//     first five references of the answer (targets: hit@5 ≥ 0.9);
//   - answer support: the answer quotes the sentence's key clause, cited with a reference whose
//     passage holds the sentence (target ≥ 0.8); answering sentence first: the answer's first line
//     holds the key clause (information);
//   - summary coverage: "Summarise this document" cites a lead sentence from every top-level section
//     of each document (target 1);
//   - generation: of the chosen sources with a relevant passage for a section (one that uses a word
//     of the section's title), the share the section drew on (target 1); and how many sections'
//     passages change when the person gives instructions (info).
//
//   node bench/quality.mjs
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { call, figure, login, round, runAlone, startServer, upload, waitReady, ROOT } from "./lib.mjs";

const require = createRequire(import.meta.url);
const { Document, HeadingLevel, Packer, Paragraph } = require("docx");
export const CORPUS = JSON.parse(fs.readFileSync(path.join(ROOT, "bench/quality/corpus.json"), "utf8"));

/** A document of the set as a .docx: its title (Title style), then a Heading 1 per section. */
export async function corpusDocx(document) {
  const children = [new Paragraph({ text: document.title, heading: HeadingLevel.TITLE })];
  for (const section of document.sections) {
    children.push(new Paragraph({ text: section.title, heading: HeadingLevel.HEADING_1 }));
    for (const text of section.paragraphs) children.push(new Paragraph({ text }));
  }
  return Packer.toBuffer(new Document({ creator: "Sidecar bench", sections: [{ children }] }));
}

const squeeze = (text) => text.replace(/\s+/g, " ").trim();

/** Figures of one answer against its question. */
export function judge(question, answer) {
  const holds = (reference) => squeeze(reference.text ?? "").includes(question.answer);
  const references = [...answer.references].sort((a, b) => a.number - b.number);
  const rank = references.findIndex(holds);
  // Support: a line of the answer holds the key clause and cites a reference holding the sentence.
  const good = new Set(references.filter(holds).map((reference) => reference.number));
  const supported = answer.answer
    .split(/\n/)
    .some((line) => squeeze(line).includes(question.key) && [...line.matchAll(/\[(\d+)\]/g)].some((m) => good.has(Number(m[1]))));
  const first = squeeze(answer.answer.split("\n")[0] ?? "").includes(question.key);
  return { hit1: rank === 0, hit5: rank >= 0 && rank < 5, supported, first };
}

async function ask(url, token, question, documentIds, agent = 1) {
  const body = { user_query: question, chat_thread_id: null, query_source: "bench", history: [], overrides: { document_ids: documentIds } };
  return (await call(url, `/response-service/api/v2/agents/${agent}/responses`, { token, body })).data;
}

async function templateDocx(sections) {
  const children = [];
  for (const section of sections) {
    children.push(new Paragraph({ text: section.section_name, heading: HeadingLevel.HEADING_1 }));
    if (section.instructions) children.push(new Paragraph({ text: section.instructions }));
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}

async function generate(url, token, { templateId, sources, instructions, name }) {
  const { document_sets: sets } = await call(url, "/api/v1/document-sets/", { token, method: "GET" });
  const { task_id } = await call(url, "/api/v1/documents/generate", {
    token,
    body: {
      document_type: "Report",
      file_paths: sources.map((s) => s.s3_key),
      connector_data_id: sets[0].document_set_id,
      workspace_name: sets[0].document_set_name,
      template_id: templateId,
      output_name: name,
      ...(instructions ? { document_instructions: instructions } : {}),
    },
  });
  await waitReady(url, token, task_id);
  return (await call(url, `/api/v1/documents/${task_id}`, { token, method: "GET" })).document;
}

export async function run() {
  const server = await startServer();
  try {
    const token = await login(server.url);
    const uploaded = new Map();
    for (const document of CORPUS.documents) uploaded.set(document.name, await upload(server.url, token, await corpusDocx(document), document.name));
    const ids = [...uploaded.values()].map((u) => u.document_id);

    const results = [];
    const misses = [];
    for (const question of CORPUS.questions) {
      const answer = await ask(server.url, token, question.question, ids);
      const verdict = judge(question, answer);
      results.push(verdict);
      if (!verdict.hit5 || !verdict.supported || !verdict.first) misses.push({ question: question.question, answer: answer.answer.slice(0, 300) });
    }
    const share = (key) => round(results.filter((r) => r[key]).length / results.length, 3);

    // Summaries: every top-level section of each document cited.
    let sectionsCovered = 0;
    let sectionsTotal = 0;
    for (const document of CORPUS.documents) {
      const answer = await ask(server.url, token, "Summarise this document", [uploaded.get(document.name).document_id]);
      for (const section of document.sections) {
        sectionsTotal++;
        if (answer.references.some((reference) => squeeze(reference.text ?? "").includes(section.paragraphs[0]))) sectionsCovered++;
      }
    }

    // Generation: every chosen source used where it has something relevant; instructions change passages.
    const form = new FormData();
    form.append("file", new Blob([await templateDocx(CORPUS.generation.template_sections)]), "Quality template.docx");
    form.append("template_name", "Quality template");
    const template = await call(server.url, "/api/v1/templates/upload", { token, form });
    const templateId = template.template_id ?? template.template?.template_id;
    const sources = CORPUS.generation.sources.map((name) => uploaded.get(name));
    const plain = await generate(server.url, token, { templateId, sources, name: "Quality plain" });
    const focused = await generate(server.url, token, { templateId, sources, instructions: CORPUS.generation.instructions, name: "Quality focused" });
    /** Section title → its sources (passage ids), from the Sources panel's routes. */
    const sourcesOf = async (documentId) => {
      const out = new Map();
      const { sections } = await call(server.url, "/get-sections-for-document", { token, body: { document_id: documentId } });
      for (const section of sections) {
        const answer = await call(server.url, "/get-sources-for-selected-text", { token, body: { document_id: documentId, section_id: section.section_id } });
        out.set(section.section_title, answer.sources ?? []);
      }
      return out;
    };
    const plainSources = await sourcesOf(plain.document_id);
    const focusedSources = await sourcesOf(focused.document_id);
    // A source is relevant to a section when its text uses a word of the section's title (or a
    // longer form of it); the figure is the share of (section, relevant source) pairs the section used.
    const stems = (text) => (text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).map((word) => word.slice(0, 5));
    let relevantPairs = 0;
    let usedPairs = 0;
    for (const [title, list] of focusedSources) {
      const titleStems = new Set(stems(title));
      const used = new Set(list.map((source) => source.document_source_id));
      for (const source of sources) {
        const document = CORPUS.documents.find((d) => d.name === [...uploaded.entries()].find(([, u]) => u.document_id === source.document_id)[0]);
        const text = document.sections.flatMap((section) => section.paragraphs).join(" ");
        if (!stems(text).some((stem) => titleStems.has(stem))) continue;
        relevantPairs++;
        if (used.has(source.document_id)) usedPairs++;
      }
    }
    const key = (list) => (list ?? []).map((source) => source.passage_id).sort().join("|");
    const changed = [...plainSources.keys()].filter((title) => key(plainSources.get(title)) !== key(focusedSources.get(title))).length;

    return [
      figure({ figure: "quality: retrieval hit@1", unit: "", measured: share("hit1"), target: null, details: { questions: results.length } }),
      { ...figure({ figure: "quality: retrieval hit@5", unit: "", measured: share("hit5"), target: null, details: { questions: results.length } }), target: "≥ 0.9", pass: share("hit5") >= 0.9 },
      { ...figure({ figure: "quality: answer support", unit: "", measured: share("supported"), target: null, details: { misses } }), target: "≥ 0.8", pass: share("supported") >= 0.8 },
      figure({ figure: "quality: answering sentence first", unit: "", measured: share("first"), target: null, details: { misses } }),
      { ...figure({ figure: "quality: summary sections covered", unit: "", measured: round(sectionsCovered / sectionsTotal, 3), target: null, details: { sectionsCovered, sectionsTotal } }), target: "= 1", pass: sectionsCovered === sectionsTotal },
      { ...figure({ figure: "quality: generation relevant sources used", unit: "", measured: round(usedPairs / Math.max(1, relevantPairs), 3), target: null, details: { usedPairs, relevantPairs } }), target: "= 1", pass: usedPairs === relevantPairs },
      figure({ figure: "quality: sections changed by instructions", unit: "", measured: changed, target: null, details: { sections: plainSources.size } }),
    ];
  } finally {
    await server.stop();
  }
}

runAlone(import.meta.url, run);
