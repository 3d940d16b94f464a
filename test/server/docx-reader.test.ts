// Reading .docx files in worker threads (issue 17): the same paragraphs as reading in-process, the
// same errors (a refused file is still a DocxRejectedError with its problem), passages stored by
// the worker's own database connection with the outline built there, and a worker that dies fails
// only the read it was doing.
import fs from "node:fs";
import path from "node:path";
import { DocxRejectedError } from "../../src/server/docx/inspect-docx";
import { readDocxParagraphs } from "../../src/server/docx/paragraphs";
import { DocxWorkerPool, saveIngested } from "../../src/server/services/docx-reader";
import { uploadedOutlineParts } from "../../src/server/services/sections/outline-cache";
import { writeGeneratedDocx } from "../../src/server/docx/write-docx";
import { makeTempDir, openTestStorage, readBackDocx, readFixture } from "./helpers";

const limits = { maxUnpackedBytes: 50 * 1024 * 1024, maxEntries: 2000 };
const NUTRITION = "openxml-sdk-nutrition-report.docx";

let pool: DocxWorkerPool;
let dir: string;
beforeAll(() => {
  pool = new DocxWorkerPool(1);
  dir = makeTempDir();
  fs.writeFileSync(path.join(dir, NUTRITION), readFixture(NUTRITION));
  fs.writeFileSync(path.join(dir, "not-a-docx.docx"), "plain text, not a zip");
});
afterAll(async () => {
  await pool.close();
});

test("a worker reads the same paragraphs as the main thread would", async () => {
  const file = path.join(dir, NUTRITION);
  expect(await pool.read(file, limits)).toEqual(await readDocxParagraphs(file, limits));
});

test("a worker writes a generated document: the same paragraphs, footnotes and document id as one written on the main thread", async () => {
  const input = {
    documentId: "doc-123",
    title: "Brief",
    sections: [{ title: "Background", paragraphs: ["Plain paragraph.", { sentences: [{ text: "Sourced sentence.", footnote: "Report.docx, “Intro”." }, { text: "Own words." }] }] }],
  };
  const [inWorker, here] = await Promise.all([pool.write(input), writeGeneratedDocx(input)]);
  expect(Buffer.isBuffer(inWorker)).toBe(true);
  const read = readBackDocx(new Uint8Array(inWorker));
  expect(read).toEqual(readBackDocx(new Uint8Array(here)));
  expect(read.paragraphs.map((p) => p.text)).toEqual(["Brief", "Background", "Plain paragraph.", "Sourced sentence. Own words."]);
  expect(read.paragraphs[3]!.footnotes).toEqual(["Report.docx, “Intro”."]);
  expect(read.customProperties).toEqual({ SidecarDocumentId: "doc-123" });
});

test("a file the reader refuses comes back as the same DocxRejectedError, and a missing one with its ENOENT code", async () => {
  const refused = await pool.read(path.join(dir, "not-a-docx.docx"), limits).catch((error: unknown) => error);
  const inProcess = await readDocxParagraphs(path.join(dir, "not-a-docx.docx"), limits).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(DocxRejectedError);
  expect(refused).toMatchObject({ problem: (inProcess as DocxRejectedError).problem, message: (inProcess as DocxRejectedError).message });
  expect(await pool.read(path.join(dir, "gone.docx"), limits).catch((error: NodeJS.ErrnoException) => error.code)).toBe("ENOENT");
  // An upload's check in the worker refuses it the same way, and passes a real document.
  await expect(pool.check(path.join(dir, "not-a-docx.docx"), limits)).rejects.toMatchObject({ name: "DocxRejectedError", problem: (inProcess as DocxRejectedError).problem });
  await expect(pool.check(path.join(dir, NUTRITION), limits)).resolves.toBeNull();
});

test("ingest reads passages, terms and outline in the worker, and the main thread stores them (and their index)", async () => {
  const storage = await openTestStorage();
  try {
    const temp = path.join(storage.files.tmpDir, "upload.tmp");
    fs.writeFileSync(temp, readFixture(NUTRITION));
    const org = await storage.users.add({ organizationName: "Org", email: "a@b.example", passwordHash: "x" });
    const { document } = await storage.documents.storeLocal({ tempPath: temp, organizationId: org.organization.id, uploadedBy: org.user.id, documentName: NUTRITION, sha256: "s", sizeBytes: 1 });
    const ingested = await storage.files.withLocalFile(document, (filePath) => pool.ingest(filePath, limits));
    if (!ingested) throw new Error("the stored file is missing");
    // The outline built in the worker is the one the main thread would build.
    expect(ingested.outline).toEqual(uploadedOutlineParts(await readDocxParagraphs(path.join(dir, NUTRITION), limits)));
    expect(ingested.outline.sections.length).toBeGreaterThan(5);
    expect(ingested.terms).toContain("obesity");
    expect(await storage.passages.isExtracted(document.document_id)).toBe(false);
    await saveIngested(storage, { documentId: document.document_id, organizationId: org.organization.id }, ingested);
    // Its terms are counted into the organization's tagging corpus.
    expect(await storage.terms.isCounted(document.document_id)).toBe(true);
    expect((await storage.terms.frequencies(org.organization.id, ["obesity"])).get("obesity")).toBe(1);
    expect(await storage.passages.isExtracted(document.document_id)).toBe(true);
    const hits = await storage.passages.search([document.document_id], ["obesity"], 5);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.text.toLowerCase()).toContain("obes");
  } finally {
    await storage.close();
  }
});

test("a worker that dies fails the read it was doing with words, and the next read gets a new worker", async () => {
  const crashing = new DocxWorkerPool(1);
  try {
    const file = path.join(dir, NUTRITION);
    await crashing.read(file, limits); // the worker is up
    const slot = (crashing as unknown as { slots: Array<{ worker: { terminate(): Promise<number> } }> }).slots[0]!;
    const reading = crashing.read(file, limits);
    void slot.worker.terminate();
    await expect(reading).rejects.toThrow(/The document reader stopped unexpectedly/);
    expect((await crashing.read(file, limits)).length).toBeGreaterThan(10);
  } finally {
    await crashing.close();
  }
});
