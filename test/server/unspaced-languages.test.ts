// Documents in languages written without spaces (issue 19), over real HTTP: a Chinese and a
// Japanese .docx (written here with the docx package) are tagged with word-sized tags — not whole
// clauses, no single characters, no common words — and a question whose words appear only inside
// a sentence finds that sentence's passage; a selection that differs from the document by a word
// still finds its section. A data directory from before is brought up to date (migration 10).
import path from "node:path";
import Database from "better-sqlite3";
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import { buildCorpus, keywordTags } from "../../src/server/services/batch/keywords";
import { detectLanguage, stopwordsOf } from "../../src/server/services/language";
import { migrations } from "../../src/server/storage/migrations";
import { Storage } from "../../src/server/storage/storage";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { BatchStatusResponse } from "../../src/shared/wire/batch";
import { testEngine } from "../support/postgres";
import { documentsFor, isFinished, startJob, uploadDocx, waitForJob } from "./batch-helpers";
import { answerPath, ask } from "./chat-helpers";
import { makeTempDir, postJson, signIn, startServer, type TestServer } from "./helpers";

interface Fixture {
  name: string;
  title: string;
  sections: Array<{ heading: string; paragraphs: string[] }>;
}

const CHINESE: Fixture = {
  name: "向量与矩阵.docx",
  title: "向量与矩阵",
  sections: [
    {
      heading: "向量相等的条件",
      paragraphs: [
        "在线性代数中，两个向量相等当且仅当它们的对应分量都相等。且等号成立的充分且必要条件是两个向量的每个分量都相等。",
        "向量的长度称为向量的模。如果两个向量的模相等并且方向相同，那么这两个向量相等。",
        "充分条件和必要条件是数学证明中的基本概念。证明一个命题时，需要分别证明充分性和必要性。",
      ],
    },
    {
      heading: "矩阵",
      paragraphs: [
        "矩阵可以表示线性变换。矩阵乘法满足结合律，但一般不满足交换律。",
        "可逆矩阵的行列式不等于零。行列式为零的矩阵称为奇异矩阵。",
        "线性变换的矩阵取决于基的选择。同一个线性变换在不同的基下有不同的矩阵。",
      ],
    },
  ],
};

const JAPANESE: Fixture = {
  name: "日本の火山.docx",
  title: "日本の火山",
  sections: [
    {
      heading: "火山の観測",
      paragraphs: [
        "日本には百十一の活火山があり、気象庁が二十四時間体制で火山活動を観測しています。",
        "噴火警戒レベルは五段階で示され、住民の避難計画に使われます。火山の観測には地震計や傾斜計が使われます。",
        "火山灰は航空機のエンジンに深刻な被害を与えることがあります。火山灰の予報は気象庁が発表します。",
      ],
    },
    {
      heading: "温泉",
      paragraphs: [
        "火山の近くには多くの温泉があり、観光客に人気があります。",
        "温泉の成分は地下のマグマや岩石によって決まります。温泉の温度も場所によって大きく異なります。",
      ],
    },
  ],
};

/** The fixture as a real .docx: a title, then a Heading 1 and its paragraphs per section. */
async function docxOf(fixture: Fixture): Promise<Uint8Array> {
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: fixture.title, heading: HeadingLevel.TITLE }),
          ...fixture.sections.flatMap((section) => [
            new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_1 }),
            ...section.paragraphs.map((text) => new Paragraph({ text })),
          ]),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

const CJ = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const COMMON = ["的", "是", "且", "和", "了", "在", "一个", "这", "那么", "可以", "です", "ます", "こと", "ある", "あり", "など", "は", "の", "が", "に", "を"];

let server: TestServer;
let token: string;
const files: Record<string, { document_id: string; s3_key: string }> = {};

beforeAll(async () => {
  server = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
  token = (await signIn(server.url)).ejento_access_token;
  for (const fixture of [CHINESE, JAPANESE]) files[fixture.name] = await uploadDocx(server.url, token, await docxOf(fixture), fixture.name);
}, 30_000);
afterAll(async () => {
  await server?.close();
});

async function tagged(): Promise<Record<string, string[]>> {
  const names = [CHINESE.name, JAPANESE.name];
  const jobId = await startJob(server.url, token, { documents: documentsFor(names.map((name) => files[name]!), names), config: { num_tags: 8 } });
  const done: BatchStatusResponse = await waitForJob(server.url, token, jobId, isFinished);
  expect(done.status).toBe("completed");
  return Object.fromEntries(names.map((name, row) => [name, done.results[row]?.tags ?? []]));
}

async function answer(question: string, documentId: string) {
  const response = await postJson(server.url, answerPath(1), token, ask(question, { overrides: { document_ids: [documentId] } }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { answer: string; references: Array<{ document_id: string; text: string }> } }).data;
}

describe("Chinese and Japanese documents", () => {
  test("tagging gives word-sized tags: words of two characters or more, not clauses, single characters or common words", async () => {
    const tags = await tagged();
    const chinese = tags[CHINESE.name] as string[];
    const japanese = tags[JAPANESE.name] as string[];
    for (const mine of [chinese, japanese]) {
      expect(mine.length).toBeGreaterThanOrEqual(5);
      for (const tag of mine) {
        expect(tag).toMatch(CJ);
        expect([...tag].length).toBeGreaterThanOrEqual(2);
        expect([...tag].length).toBeLessThanOrEqual(8);
        expect(tag).not.toMatch(/[，。、；：！？\s]/u);
        expect(COMMON).not.toContain(tag);
      }
    }
    // The document's own words ("矩阵" matrix, "向量" vector, "条件" condition; "火山" volcano, "温泉" hot spring).
    expect(chinese).toEqual(expect.arrayContaining(["矩阵", "必要条件"]));
    expect(chinese.some((tag) => tag.includes("向量"))).toBe(true);
    expect(chinese).not.toContain("且等号成立的充分且必要条件是两个向量的每个分量都相等");
    expect(japanese).toEqual(expect.arrayContaining(["火山", "温泉"]));
    expect(japanese.some((tag) => /気象庁|火山灰|観測/.test(tag))).toBe(true);
  }, 30_000);

  test("a question whose words appear only inside a Chinese sentence finds its passage", async () => {
    // "奇异矩阵" (singular matrix) is written only inside "行列式为零的矩阵称为奇异矩阵".
    const found = await answer("什么是奇异矩阵？", files[CHINESE.name]!.document_id);
    expect(found.references.length).toBeGreaterThan(0);
    expect(found.references[0]?.text).toContain("行列式为零的矩阵称为奇异矩阵");
    // The answer quotes that sentence first, and cites the others as sentences ("… [1]。").
    expect(found.answer.split("\n")[0]).toBe("“行列式为零的矩阵称为奇异矩阵。” [1]");
    expect(found.answer).not.toContain("。 [1].");
    // "充分" and "必要" only inside the clause that once came back as one tag.
    const clause = await answer("充分必要条件", files[CHINESE.name]!.document_id);
    expect(clause.references.map((reference) => reference.text).join("\n")).toContain("且等号成立的充分且必要条件是");
  }, 30_000);

  test("a question whose words appear only inside a Japanese sentence finds its passage", async () => {
    // "警戒" (alert) is written only inside "噴火警戒レベルは五段階で示され…".
    const found = await answer("噴火警戒レベルは何段階ですか？", files[JAPANESE.name]!.document_id);
    expect(found.references.length).toBeGreaterThan(0);
    expect(found.references[0]?.text).toContain("噴火警戒レベルは五段階で示され");
    expect(found.answer.split("\n")[0]).toBe("“噴火警戒レベルは五段階で示され、住民の避難計画に使われます。” [1]");
    const ash = await answer("火山灰の被害", files[JAPANESE.name]!.document_id);
    expect(ash.references[0]?.text).toContain("火山灰は航空機のエンジンに深刻な被害");
  }, 30_000);

  test("a selection that differs from the document by a word still finds its section", async () => {
    const sectionOf = async (documentId: string, text: string) => {
      const response = await postJson(server.url, endpoints.getSectionFromText.path, token, { document_id: documentId, text });
      return { status: response.status, body: (await response.json()) as { section_title?: string } };
    };
    // "一般" (generally) changed to "通常" (usually).
    const chinese = await sectionOf(files[CHINESE.name]!.document_id, "矩阵乘法满足结合律，但通常不满足交换律");
    expect(chinese).toEqual({ status: 200, body: expect.objectContaining({ section_title: "矩阵" }) });
    // "多くの" (many) left out.
    const japanese = await sectionOf(files[JAPANESE.name]!.document_id, "火山の近くには温泉があり、観光客に人気があります");
    expect(japanese).toEqual({ status: 200, body: expect.objectContaining({ section_title: "温泉" }) });
    // A made-up sentence of the document's words still finds nothing.
    expect((await sectionOf(files[CHINESE.name]!.document_id, "奇异的温泉不满足火山的交换律和观光客")).status).toBe(404);
  }, 30_000);
});

sqliteOnly("a data directory from before migration 10 gets its Chinese passages searchable, and documents the old splitting misread are read again", async () => {
  const dir = makeTempDir();
  const old = new Database(path.join(dir, "sidecar.db"));
  const before = migrations.findIndex((sql) => sql.includes("sidecar_search_text"));
  expect(before).toBe(9);
  for (let i = 0; i < before; i++) old.exec(migrations[i] as string);
  old.pragma(`user_version = ${before}`);
  old.prepare("INSERT INTO organizations (id, name, created_at) VALUES ('o', 'Org', '2026-01-01')").run();
  const addDocument = old.prepare(
    `INSERT INTO documents (document_id, organization_id, kind, document_name, s3_key, status, created_at, updated_at, passages_extracted_at, terms_counted_at)
     VALUES (?, 'o', 'local', ?, ?, 'Ready', '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01')`,
  );
  addDocument.run("zh", "矩阵.docx", "o/documents/zh.docx");
  addDocument.run("en", "Lahars.docx", "o/documents/en.docx");
  // Its Chinese paragraphs were all dropped as "too short": no passages at all.
  addDocument.run("dropped", "温泉.docx", "o/documents/dropped.docx");
  const addPassage = old.prepare("INSERT INTO passages (passage_id, document_id, passage_index, heading, text, first_paragraph, last_paragraph) VALUES (?, ?, 0, ?, ?, 0, 0)");
  addPassage.run("zh:0", "zh", "矩阵", "可逆矩阵的行列式不等于零。行列式为零的矩阵称为奇异矩阵。");
  addPassage.run("en:0", "en", "Lahars", "Lahars are mudflows of volcanic debris and water.");
  old.prepare("INSERT INTO document_terms (document_id, organization_id, term) VALUES (?, 'o', ?)").run("zh", "行列式为零的矩阵称为奇异矩阵");
  old.prepare("INSERT INTO document_terms (document_id, organization_id, term) VALUES (?, 'o', ?)").run("en", "lahar");
  // The old index could not find a word inside a Chinese sentence.
  expect(old.prepare("SELECT COUNT(*) AS n FROM passages_fts WHERE passages_fts MATCH ?").get('"奇异矩阵"')).toEqual({ n: 0 });
  old.close();

  const storage = await Storage.open(dir);
  try {
    expect((await storage.passages.search(["zh", "en"], ["奇异矩阵"], 10)).map((hit) => hit.passage_id)).toEqual(["zh:0"]);
    expect((await storage.passages.search(["zh", "en"], ["mudflow"], 10)).map((hit) => hit.passage_id)).toEqual(["en:0"]);
    // Read again on next use: the Chinese document and the one read to nothing; not the English one.
    expect(await storage.passages.isExtracted("zh")).toBe(false);
    expect(await storage.passages.isExtracted("dropped")).toBe(false);
    expect(await storage.passages.isExtracted("en")).toBe(true);
    expect(await storage.terms.isCounted("zh")).toBe(false);
    expect(await storage.terms.isCounted("en")).toBe(true);
    expect(await storage.terms.frequencies("o", ["行列式为零的矩阵称为奇异矩阵", "lahar"])).toEqual(new Map([["行列式为零的矩阵称为奇异矩阵", 0], ["lahar", 1]]));
    // New passages are indexed the new way (the triggers).
    await storage.passages.save("zh", [{ heading: null, text: "同一个线性变换在不同的基下有不同的矩阵。", firstParagraph: 0, lastParagraph: 0 }]);
    expect((await storage.passages.search(["zh"], ["线性变换"], 10)).map((hit) => hit.passage_id)).toEqual(["zh:0"]);
  } finally {
    await storage.close();
  }
});

/** SQLite's own: a data directory from before migration 10 exists only there. */
function sqliteOnly(name: string, fn: () => Promise<void>): void {
  (testEngine === "sqlite" ? test : test.skip)(name, fn);
}

test("the tagger's stop words are the document's language's (stopwords-iso): German tags are no German common words", () => {
  const text = [
    "Die Imker kontrollieren die Bienenvölker jede Woche. Die Bienen sammeln Nektar und Pollen, und die Imker ernten den Honig.",
    "Wenn die Varroamilbe die Bienenvölker schwächt, werden die Bienen im Herbst behandelt. Der Honig wird im Sommer geerntet.",
    "Aber nicht alle Imker ernten gleich viel Honig, denn die Bienen brauchen einen Teil des Honigs für den Winter.",
  ].join("\n");
  expect(detectLanguage(text)).toBe("de");
  const tags = keywordTags(text, buildCorpus([text]), { count: 6, exclusionWords: [] });
  const german = stopwordsOf("de");
  expect(tags.flatMap((tag) => tag.split(" ")).filter((word) => german.has(word))).toEqual([]);
  expect(tags).toEqual(expect.arrayContaining(["imker ernten", "bienen", "honig"]));
});
