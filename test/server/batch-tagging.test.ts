// What batch tagging produces, as a caller sees it: tags on the documents in GET
// /api/v1/documents/ (with s3_key), num_tags and exclusion_words respected, tags that tell distinct
// documents apart, the same tags for the same text; and with an OpenAI-compatible model configured
// (a tiny fake server here), the model's tags held to the same rules, and a document failing with
// words when the model fails, answers nonsense or takes too long.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { buildCorpus, cleanTags, exclusionMatcher, foldWord, keywordTags } from "../../src/server/services/batch/keywords";
import type { BatchStatusResponse } from "../../src/shared/wire/batch";
import {
  TOPICS,
  documentsFor,
  isFinished,
  startJob,
  topicDocx,
  uploadDocx,
  waitForJob,
} from "./batch-helpers";
import { listDocuments, makeTempDir, readFixture, signIn, startServer, type TestServer } from "./helpers";

const TOPIC_WORDS: Record<keyof typeof TOPICS, RegExp> = {
  bees: /bee|honey|hive|colony|pollinat|orchard|varroa/,
  volcanoes: /volcan|magma|lava|eruption|ash|pyroclastic/,
  chess: /chess|opening|endgame|gambit|rook|middlegame|grandmaster/,
};

describe("keyword tags (no model)", () => {
  let server: TestServer;
  let token: string;
  const files: Record<string, { document_id: string; s3_key: string }> = {};

  beforeAll(async () => {
    server = await startServer();
    token = (await signIn(server.url)).ejento_access_token;
    for (const [topic, paragraphs] of Object.entries(TOPICS)) {
      files[topic] = await uploadDocx(server.url, token, await topicDocx(topic, paragraphs), `${topic}.docx`);
    }
    for (const name of ["openxml-sdk-nutrition-report.docx", "mammoth-single-paragraph.docx", "mammoth-simple-list.docx"]) {
      files[name] = await uploadDocx(server.url, token, readFixture(name), name);
    }
  }, 30_000);
  afterAll(async () => {
    await server?.close();
  });

  async function tag(names: string[], config: Record<string, unknown> = {}): Promise<BatchStatusResponse> {
    const jobId = await startJob(server.url, token, { documents: documentsFor(names.map((name) => files[name] as { s3_key: string }), names), config });
    const done = await waitForJob(server.url, token, jobId, isFinished);
    expect(done.status).toBe("completed");
    return done;
  }

  async function listedTags(): Promise<Record<string, string[]>> {
    const listed = await listDocuments(server.url, token);
    return Object.fromEntries(listed.map((document) => [document.document_name.replace(/\.docx$/, ""), document.tags]));
  }

  test("the tags land on the documents in the documents list, which also carries s3_key; distinct documents get distinct tags", async () => {
    const before = await listDocuments(server.url, token);
    expect(before.every((document) => document.tags.length === 0)).toBe(true);
    for (const document of before) expect(document.s3_key).toBe(files[document.document_name.replace(/\.docx$/, "")]?.s3_key ?? files[document.document_name]?.s3_key);

    const done = await tag(["bees", "volcanoes", "chess"], { num_tags: 6 });
    const tags = await listedTags();
    for (const [row, topic] of (["bees", "volcanoes", "chess"] as const).entries()) {
      const mine = tags[topic] as string[];
      expect(mine).toEqual(done.results[row]?.tags);
      expect(mine).toHaveLength(6);
      expect(new Set(mine).size).toBe(6);
      for (const one of mine) expect(one).toBe(one.toLowerCase());
      // Mostly about the document's own topic...
      expect(mine.filter((one) => TOPIC_WORDS[topic].test(one)).length).toBeGreaterThanOrEqual(4);
      // ...and nothing in common with the others.
      for (const other of ["bees", "volcanoes", "chess"].filter((name) => name !== topic)) {
        expect(mine.filter((one) => (tags[other] as string[]).includes(one))).toEqual([]);
      }
    }
    // Single words and two-word phrases, no stop words.
    const all = Object.values(tags).flat();
    expect(all.some((one) => one.includes(" "))).toBe(true);
    expect(all.some((one) => !one.includes(" "))).toBe(true);
    for (const one of all) expect(one.split(" ").some((word) => ["the", "and", "of", "a", "every", "each"].includes(word))).toBe(false);
  });

  test("num_tags is respected at both ends; a tiny document gets fewer", async () => {
    const three = await tag(["bees", "openxml-sdk-nutrition-report.docx"], { num_tags: 3 });
    expect(three.results.map((r) => r.tags.length)).toEqual([3, 3]);
    const fifteen = await tag(["bees", "openxml-sdk-nutrition-report.docx", "mammoth-single-paragraph.docx"], { num_tags: 15 });
    expect(fifteen.results.map((r) => r.tags.length)).toEqual([15, 15, 3]);
    expect(fifteen.results[2]?.tags.sort()).toEqual(["air", "imported", "walking"]);
    // Two words in two list items: too short for a passage, still two tags (not "no text").
    const twoWords = await tag(["mammoth-simple-list.docx"], { num_tags: 5 });
    expect(twoWords.results[0]).toMatchObject({ status: "success", error: null });
    expect(twoWords.results[0]?.tags.sort()).toEqual(["apple", "banana"]);
    // The nutrition report is about nutrition and food.
    expect(fifteen.results[1]?.tags.join(" ")).toMatch(/nutrition/);
    expect(fifteen.results[1]?.tags.join(" ")).toMatch(/food/);
  });

  test("exclusion words are removed without regard to case, singular or plural, alone and inside phrases", async () => {
    const plain = await tag(["bees"], { num_tags: 10 });
    expect(plain.results[0]?.tags.some((one) => /\bhoney\b/.test(one))).toBe(true);
    expect(plain.results[0]?.tags.some((one) => /\bcolon(y|ies)\b/.test(one))).toBe(true);

    const excluded = await tag(["bees"], { num_tags: 10, exclusion_words: ["HONEY", "Colonies", " "] });
    expect(excluded.config.exclusion_words).toEqual(["honey", "colonies"]);
    const tags = excluded.results[0]?.tags as string[];
    expect(tags).toHaveLength(10);
    expect(tags.filter((one) => /honey|colon/.test(one))).toEqual([]);
  });

  test("tagging again replaces the earlier tags; the same text always gives the same tags", async () => {
    const first = await tag(["volcanoes"], { num_tags: 8 });
    const again = await tag(["volcanoes"], { num_tags: 8 });
    expect(again.results[0]?.tags).toEqual(first.results[0]?.tags);
    const fewer = await tag(["volcanoes"], { num_tags: 4 });
    expect((await listedTags()).volcanoes).toEqual(fewer.results[0]?.tags);
    expect(fewer.results[0]?.tags).toHaveLength(4);
  });
});

describe("the keyword rules", () => {
  const corpus = buildCorpus([TOPICS.bees.join("\n"), TOPICS.chess.join("\n"), "Honey and more honey: the honey market."]);

  test("deterministic, lower case, distinct; words common to the corpus rank below the document's own", () => {
    const text = TOPICS.bees.join("\n");
    const tags = keywordTags(text, corpus, { count: 8, exclusionWords: [] });
    expect(keywordTags(text, corpus, { count: 8, exclusionWords: [] })).toEqual(tags);
    expect(tags).toHaveLength(8);
    // "honey" also fills another document, so "colony" (only here) ranks above it.
    expect(tags.indexOf("colony")).toBeGreaterThanOrEqual(0);
    expect(tags.indexOf("colony")).toBeLessThan(tags.indexOf("honey") === -1 ? Infinity : tags.indexOf("honey"));
  });

  test("singular and plural are one term; exclusions match words and phrases inside tags", () => {
    expect(["policies", "reports", "boxes", "analysis", "status", "bees", "gas"].map(foldWord)).toEqual([
      "policy",
      "report",
      "box",
      "analysis",
      "status",
      "bee",
      "gas",
    ]);
    const excluded = exclusionMatcher(["Honey", "rook endgame"]);
    expect(["honey", "honey bees", "Wild HONEY", "rook endgames", "rook", "endgame", "honeycomb"].map(excluded)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  test("tags from elsewhere (a model) are cleaned to the same rules", () => {
    expect(
      cleanTags(["  Honey Bees ", "honey bee", "THE", 7, "", "Pollination.", "a very long phrase of five words", "apple orchards", "Varroa"], {
        count: 4,
        exclusionWords: ["apple"],
      }),
    ).toEqual(["honey bees", "pollination", "varroa"]);
  });
});

describe("model tags (SIDECAR_LLM_BASE_URL)", () => {
  interface Received {
    authorization: string | undefined;
    body: { model: string; stream: boolean; messages: Array<{ role: string; content: string }> };
  }
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  let fake: http.Server;
  let fakeUrl: string;
  /** By the Title line of the prompt: what the fake model does. */
  const behaviour: Record<string, (response: http.ServerResponse) => void> = {
    Bees: (response) => answer(response, 'Sure! Here are the tags:\n```json\n{"tags": ["Honey Bees", "honey bee", "Pollination", "beekeeping", "apple orchards", "Varroa mites"]}\n```'),
    Volcanoes: (response) => answer(response, '["magma", "lava flows", "eruption forecasting", "volcanic ash", "pyroclastic flows"]'),
    Broken: (response) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end('{"error": "overloaded"}');
    },
    Nonsense: (response) => answer(response, "I would rather not tag this document."),
    Useless: (response) => answer(response, '{"tags": ["the", "", "Apple"]}'),
    Slow: (response) => void hanging.add(response),
  };

  function answer(response: http.ServerResponse, content: string): void {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content } }] }));
  }

  let server: TestServer;
  let token: string;
  const files: Record<string, { s3_key: string }> = {};

  beforeAll(async () => {
    fake = http.createServer((request, response) => {
      let raw = "";
      request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      request.on("end", () => {
        const body = JSON.parse(raw) as Received["body"];
        received.push({ authorization: request.headers.authorization, body });
        const title = /^Title: (.*)$/m.exec(body.messages[1]?.content ?? "")?.[1] ?? "";
        (behaviour[title] ?? behaviour.Broken)?.(response);
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`;
    server = await startServer({
      SIDECAR_LLM_BASE_URL: fakeUrl,
      SIDECAR_LLM_API_KEY: "test-key",
      SIDECAR_LLM_MODEL: "tiny-model",
      SIDECAR_BATCH_DOCUMENT_TIMEOUT_MS: "400",
    });
    token = (await signIn(server.url)).ejento_access_token;
    for (const [topic, paragraphs] of Object.entries(TOPICS)) {
      files[topic] = await uploadDocx(server.url, token, await topicDocx(topic, paragraphs), `${topic}.docx`);
    }
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    for (const response of hanging) response.destroy();
    fake?.closeAllConnections();
    await new Promise((resolve) => fake?.close(resolve));
  });

  test("the model's tags, cleaned (lower case, no duplicates or excluded words) and topped up from the keywords to num_tags", async () => {
    const jobId = await startJob(server.url, token, {
      documents: [
        { title: "Bees", file_path: files.bees?.s3_key, file_source_type: "s3" },
        { title: "Volcanoes", file_path: files.volcanoes?.s3_key, file_source_type: "s3" },
      ],
      config: { num_tags: 5, exclusion_words: ["Apple"], model_name: "ignored/by-the-local-server", api_key: "sk-not-stored" },
    });
    const done = await waitForJob(server.url, token, jobId, isFinished);
    expect(done.config).toEqual({ num_tags: 5, exclusion_words: ["apple"], model_name: "tiny-model" });
    const [bees, volcanoes] = done.results;
    expect(volcanoes?.tags).toEqual(["magma", "lava flows", "eruption forecasting", "volcanic ash", "pyroclastic flows"]);
    // "honey bee" repeats "Honey Bees", "apple orchards" holds an excluded word: four left, one keyword added.
    expect(bees?.tags.slice(0, 4)).toEqual(["honey bees", "pollination", "beekeeping", "varroa mites"]);
    expect(bees?.tags).toHaveLength(5);
    expect(bees?.tags[4]).not.toMatch(/apple|honey bee|pollination|beekeeping|varroa/);

    const tags = Object.fromEntries((await listDocuments(server.url, token)).map((d) => [d.document_name, d.tags]));
    expect(tags["volcanoes.docx"]).toEqual(volcanoes?.tags);

    const asked = received.find((r) => r.body.messages[1]?.content.startsWith("Title: Bees"));
    expect(asked?.authorization).toBe("Bearer test-key");
    expect(asked?.body.model).toBe("tiny-model");
    expect(asked?.body.stream).toBe(false);
    expect(asked?.body.messages[0]?.content).toMatch(/exactly 5 tags/);
    expect(asked?.body.messages[0]?.content).toMatch(/Never use these words.*apple/);
    expect(asked?.body.messages[1]?.content).toMatch(/Honey bees pollinate orchards/);
    expect(JSON.stringify(received)).not.toContain("sk-not-stored");
  });

  test("when the model fails, answers something other than tags, or takes too long, that document fails with words; the rest go on", async () => {
    const jobId = await startJob(server.url, token, {
      documents: ["Broken", "Nonsense", "Useless", "Slow", "Volcanoes"].map((title) => ({
        title,
        file_path: title === "Volcanoes" ? files.volcanoes?.s3_key : files.chess?.s3_key,
        file_source_type: "s3",
      })),
      config: { exclusion_words: ["apple"] },
    });
    const done = await waitForJob(server.url, token, jobId, isFinished);
    expect(done.status).toBe("completed");
    expect(done.results.map((r) => [r.title, r.status])).toEqual([
      ["Broken", "failed"],
      ["Nonsense", "failed"],
      ["Useless", "failed"],
      ["Slow", "failed"],
      ["Volcanoes", "success"],
    ]);
    expect(done.results[0]?.error).toMatch(/^The language model answered HTTP 500/);
    expect(done.results[1]?.error).toMatch(/did not answer with the JSON list of tags/);
    expect(done.results[2]?.error).toMatch(/proposed no usable tags/);
    expect(done.results[3]?.error).toMatch(/took longer than 0\.4 s and was stopped/);
    expect({ processed: done.processed_count, failed: done.failed_count }).toEqual({ processed: 1, failed: 4 });
  });

  test("a model that can't be reached: the document fails saying so", async () => {
    const root = makeTempDir();
    const unreachable = await startServer({ SIDECAR_LLM_BASE_URL: "http://127.0.0.1:9/v1", SIDECAR_DATA_DIR: path.join(root, "data") });
    try {
      const other = (await signIn(unreachable.url)).ejento_access_token;
      const file = await uploadDocx(unreachable.url, other, await topicDocx("bees", TOPICS.bees), "bees.docx");
      const jobId = await startJob(unreachable.url, other, { documents: documentsFor([file]) });
      const done = await waitForJob(unreachable.url, other, jobId, isFinished);
      expect(done.results[0]?.error).toMatch(/^The language model could not be reached at http:\/\/127\.0\.0\.1:9\/v1/);
    } finally {
      await unreachable.close();
    }
  });
});
