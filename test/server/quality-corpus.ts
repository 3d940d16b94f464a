// The answer-quality set (bench/quality/corpus.json) for the server tests: its documents as real
// .docx files (a Title, then a Heading 1 per section, as the bench builds them) uploaded over HTTP.
import corpus from "../../bench/quality/corpus.json";
import { writeGeneratedDocx } from "../../src/server/docx/write-docx";
import { uploadDocx } from "./batch-helpers";

export type CorpusDocument = (typeof corpus.documents)[number];
export const CORPUS = corpus;

export function corpusDocument(name: string): CorpusDocument {
  const found = corpus.documents.find((document) => document.name === name);
  if (!found) throw new Error(`no document ${name} in the quality set`);
  return found;
}

export async function uploadCorpusDocument(url: string, token: string, name: string): Promise<{ document_id: string; s3_key: string }> {
  const document = corpusDocument(name);
  const bytes = await writeGeneratedDocx({ documentId: name, title: document.title, sections: document.sections });
  return uploadDocx(url, token, bytes, name);
}

export const GOVERNANCE = "Internet governance report.docx";
export const BEES = "Urban beekeeping guide.docx";
export const VOLCANOES = "Volcano monitoring handbook.docx";
