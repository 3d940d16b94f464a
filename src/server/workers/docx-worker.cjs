// A worker thread for the heavy, synchronous part of handling a document, so the server's main
// thread only routes requests while a long document is read: checking an upload ("check"), reading
// a .docx (unzip + XML parse)
// and building its outline ("outline"), and for "ingest" also cutting it into passages and counting
// its terms (the main thread stores them, in whichever database the server uses); and writing a
// generated document's .docx ("write"). Plain CommonJS that registers tsx itself, so it runs the same
// TypeScript code however the server was started (npm run server, the tests, the bench). See
// ../services/docx-reader.ts.
const { parentPort } = require("node:worker_threads");
require("tsx/cjs/api").register();
const { inspectDocx } = require("../docx/inspect-docx.ts");
const { readDocxParagraphs } = require("../docx/paragraphs.ts");
const { uploadedOutlineParts } = require("../services/sections/outline-cache.ts");
const { ingestedOf } = require("../services/docx-reader.ts");
const { writeGeneratedDocx } = require("../docx/write-docx.ts");

parentPort.on("message", async ({ id, task, filePath, limits, input }) => {
  try {
    if (task === "write") {
      // A generated document's file: the docx library's work (building and zipping the XML) stays here.
      const buffer = await writeGeneratedDocx(input);
      return parentPort.postMessage({ id, result: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) });
    }
    if (task === "check") {
      await inspectDocx(filePath, limits);
      return parentPort.postMessage({ id, result: null });
    }
    const paragraphs = await readDocxParagraphs(filePath, limits);
    if (task === "read") return parentPort.postMessage({ id, result: paragraphs });
    if (task === "ingest") return parentPort.postMessage({ id, result: ingestedOf(paragraphs) });
    // "outline": the outline is built here, so the main thread gets it ready to use.
    parentPort.postMessage({ id, result: uploadedOutlineParts(paragraphs) });
  } catch (error) {
    parentPort.postMessage({
      id,
      error: { name: error?.name ?? "Error", message: error?.message ?? String(error), code: error?.code, problem: error?.problem },
    });
  }
});
