// A tag generator separate from the documents service is given a presigned URL of each document
// (file_source_type "url"): here two local servers with their own users, one holding the
// documents, the other tagging them from the links. The tags come back in the job's results; the
// tagger's own documents list is untouched; a link that is refused, expired or not a Word file
// fails that document with words, and the signature never shows in them; an address that is not
// an absolute http(s) URL is refused at the start.
import { endpoints } from "../../src/shared/contract/endpoints";
import { TOPICS, isFinished, startBatch, startJob, topicDocx, uploadDocx, waitForJob } from "./batch-helpers";
import { bearer, listDocuments, namedFields, signIn, startServer, type TestServer } from "./helpers";

let documentsServer: TestServer;
let tagger: TestServer;
let documentsToken: string;
let taggerToken: string;
const files: Record<string, { s3_key: string }> = {};

async function presign(key: string): Promise<string> {
  const response = await fetch(documentsServer.url + endpoints.presignedUrl.path, {
    method: "POST",
    headers: { ...bearer(documentsToken), "content-type": "application/json" },
    body: JSON.stringify({ key }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { url: string }).url;
}

beforeAll(async () => {
  documentsServer = await startServer();
  tagger = await startServer();
  documentsToken = (await signIn(documentsServer.url)).ejento_access_token;
  taggerToken = (await signIn(tagger.url)).ejento_access_token;
  for (const [topic, paragraphs] of Object.entries(TOPICS)) {
    files[topic] = await uploadDocx(documentsServer.url, documentsToken, await topicDocx(topic, paragraphs), `${topic}.docx`);
  }
}, 30_000);
afterAll(async () => {
  await documentsServer?.close();
  await tagger?.close();
});

test("documents given as presigned URLs are downloaded and tagged; the tags come back in the results", async () => {
  const documents = await Promise.all(
    Object.entries(files).map(async ([topic, file]) => ({ title: `${topic}.docx`, file_path: await presign(file.s3_key), file_source_type: "url" })),
  );
  const jobId = await startJob(tagger.url, taggerToken, { documents, config: { num_tags: 5 } });
  const done = await waitForJob(tagger.url, taggerToken, jobId, isFinished);
  expect(done.status).toBe("completed");
  const tagsOf = (title: string) => done.results.find((r) => r.title === title)?.tags ?? [];
  expect(tagsOf("bees.docx").join(" ")).toMatch(/bee|hive|honey/i);
  expect(tagsOf("volcanoes.docx").join(" ")).toMatch(/volcan|lava|magma/i);
  expect(tagsOf("chess.docx").join(" ")).toMatch(/chess|endgame|opening/i);
  for (const result of done.results) expect(result.tags.length).toBeGreaterThan(0);
  // Nothing of the tagger's own documents changed (it has none).
  expect(await listDocuments(tagger.url, taggerToken)).toEqual([]);
});

test("a refused link and a non-Word file each fail their document with words; the signature stays hidden", async () => {
  const good = await presign(files.bees!.s3_key);
  const tampered = good.replace(/signature=[^&]+/, "signature=forged");
  const notWord = `${documentsServer.url}/healthz`;
  const jobId = await startJob(tagger.url, taggerToken, {
    documents: [
      { title: "tampered", file_path: tampered, file_source_type: "url" },
      { title: "not word", file_path: notWord, file_source_type: "url" },
      { title: "fine", file_path: good, file_source_type: "url" },
    ],
  });
  const done = await waitForJob(tagger.url, taggerToken, jobId, isFinished);
  const errorOf = (title: string) => done.results.find((r) => r.title === title)?.error ?? "";
  expect(errorOf("tampered")).toMatch(/could not be downloaded \(HTTP 403\).*expired/);
  expect(errorOf("tampered")).not.toContain("forged");
  expect(errorOf("not word")).toMatch(/not a Word document/);
  expect(done.results.find((r) => r.title === "fine")?.status).toBe("success");
  expect(done.failed_count).toBe(2);
});

test("a url that is not an absolute http(s) address is refused at the start (422 naming it), before any job exists", async () => {
  const good = await presign(files.bees!.s3_key);
  const started = await startBatch(tagger.url, taggerToken, {
    documents: [
      { title: "fine", file_path: good, file_source_type: "url" },
      { title: "ftp", file_path: "ftp://example.invalid/x.docx", file_source_type: "url" },
      { title: "relative", file_path: "/files/x.docx", file_source_type: "url" },
    ],
  });
  expect(started.status).toBe(422);
  expect(namedFields(started.body)).toEqual(["documents.1.file_path", "documents.2.file_path"]);
});
