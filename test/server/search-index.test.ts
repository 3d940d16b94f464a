// The passages' full-text index (issue 17) lives in the database: filled when passages are
// extracted, kept with the passages (a data directory from before the index gets it at start-up),
// and searched with the documents filter in SQL, so a question builds nothing per request.
import path from "node:path";
import Database from "better-sqlite3";
import { migrations } from "../../src/server/storage/migrations";
import { PassageIndex } from "../../src/server/services/generation/retrieval";
import { Storage } from "../../src/server/storage/storage";
import { testEngine } from "../support/postgres";
import { answerPath, ask } from "./chat-helpers";
import { makeTempDir, openTestStorage, postJson, signIn, startServer } from "./helpers";
import { BEES, GOVERNANCE, uploadCorpusDocument } from "./quality-corpus";

/** Passages in the full-text index: FTS5's rows, or the passages with a search vector. */
async function indexedRows(storage: Storage): Promise<number> {
  const sql = storage.engine === "postgres" ? "SELECT COUNT(*) AS n FROM passages WHERE search_vector IS NOT NULL AND search_vector <> ''::tsvector" : "SELECT COUNT(*) AS n FROM passages_fts";
  return (await storage.sql.get<{ n: number }>(sql))?.n ?? -1;
}

/** SQLite's own: a data directory from before the index exists only there. */
const sqliteOnly = testEngine === "sqlite" ? test : test.skip;

test("passages are indexed when extracted, found only among the documents asked about, and still there after a restart", async () => {
  const root = makeTempDir();
  const env = { SIDECAR_DATA_DIR: path.join(root, "data"), SIDECAR_CHAT_DELTA_DELAY_MS: "0" };
  let server = await startServer(env);
  const token = (await signIn(server.url)).ejento_access_token;
  const bees = (await uploadCorpusDocument(server.url, token, BEES)).document_id;
  const governance = (await uploadCorpusDocument(server.url, token, GOVERNANCE)).document_id;
  const answer = async (url: string, ids: string[]) =>
    ((await (await postJson(url, answerPath(1), token, ask("What does the varroa mite spread?", { overrides: { document_ids: ids } }))).json()) as {
      data: { answer: string; references: Array<{ document_id: string; text: string }> };
    }).data;
  const first = await answer(server.url, [bees, governance]);
  expect(first.references[0]?.text).toContain("The varroa mite is a parasite");
  const passages = await server.app.sidecar.storage.passages.countForDocuments([bees, governance]);
  expect(passages).toBeGreaterThan(4);
  expect(await indexedRows(server.app.sidecar.storage)).toBe(passages);
  // Asked about the other document only: the bees' passages are not searched.
  expect((await answer(server.url, [governance])).references.every((reference) => reference.document_id === governance)).toBe(true);
  await server.app.close();

  server = await startServer(env);
  const again = await answer(server.url, [bees, governance]);
  expect(again.answer).toBe(first.answer);
  await server.close();
}, 30_000);

sqliteOnly("a data directory from before the index gets its passages indexed when the server opens it", async () => {
  const dir = makeTempDir();
  // The schema as it was (every migration before the index), with a document and two passages.
  const old = new Database(path.join(dir, "sidecar.db"));
  const before = migrations.findIndex((sql) => sql.includes("passages_fts"));
  expect(before).toBeGreaterThan(0);
  for (let i = 0; i < before; i++) old.exec(migrations[i] as string);
  old.pragma(`user_version = ${before}`);
  old.prepare("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '2026-01-01')").run();
  old.prepare(
    `INSERT INTO documents (document_id, organization_id, kind, document_name, s3_key, status, created_at, updated_at)
     VALUES ('d', 'o', 'local', 'Old.docx', 'o/documents/d.docx', 'Ready', '2026-01-01', '2026-01-01')`,
  ).run();
  const insert = old.prepare("INSERT INTO passages (passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph) VALUES (?, 'd', ?, ?, ?, 0, 0)");
  insert.run("d:0", 0, "Lahars", "Lahars are mudflows of volcanic debris and water.");
  insert.run("d:1", 1, "Ash", "Volcanic ash endangers aircraft.");
  old.close();

  const storage = await Storage.open(dir);
  try {
    const hits = await storage.passages.search(["d"], ["mudflow"], 10);
    expect(hits.map((hit) => hit.passage_id)).toEqual(["d:0"]);
    expect(hits[0]).toMatchObject({ document_name: "Old.docx", heading: "Lahars" });
  } finally {
    await storage.close();
  }
});

test("words in most passages are left out of the search (BM25 gives them no weight), and the ranking is what it was", async () => {
  const storage = await openTestStorage();
  try {
    await storage.sql.run("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '2026-01-01')");
    await storage.sql.run(
      `INSERT INTO documents (document_id, organization_id, kind, document_name, s3_key, status, created_at, updated_at)
       VALUES ('d', 'o', 'local', 'Report.docx', 'o/documents/d.docx', 'Ready', '2026-01-01', '2026-01-01')`,
    );
    // "report" is in every passage, "harvest" in three of twelve, "drought" in one.
    const texts = Array.from({ length: 12 }, (_, i) => {
      const extra = i === 4 ? " The drought ruined the harvest." : i % 4 === 0 ? ` The harvest was good in year ${i}.` : ` Unrelated remark number ${i}.`;
      return `This report covers the region.${extra}`;
    });
    await storage.passages.save("d", texts.map((text, i) => ({ heading: null, text, firstParagraph: i, lastParagraph: i })));
    expect([...(await storage.passages.weightlessTerms(["report", "harvest", "drought", "region"]))].sort()).toEqual(["region", "report"]);

    const question = { title: "Report on the harvest and the drought in the region", instructions: "", documentInstructions: null };
    const ranked = await new PassageIndex(storage.passages, ["d"]).query(question);
    // The same search without leaving anything out.
    const everything = await new PassageIndex({ search: (ids, terms, limit) => storage.passages.search(ids, terms, limit) }, ["d"]).query(question);
    expect(ranked.map((hit) => hit.passage.passageId)).toEqual(everything.map((hit) => hit.passage.passageId));
    expect(ranked[0]?.passage.text).toContain("drought");
    ranked.forEach((hit, i) => expect(hit.score).toBeCloseTo(everything[i]!.score, 4));
    // Only such words: they are searched after all.
    expect((await new PassageIndex(storage.passages, ["d"]).query({ title: "The report of the region", instructions: "", documentInstructions: null })).length).toBeGreaterThan(0);
  } finally {
    await storage.close();
  }
});
