// A worker thread for the heavy, synchronous part of handling a document, so the server's main
// thread only routes requests while a long document is read: checking an upload ("check"), reading
// a .docx (unzip + XML parse)
// and building its outline ("outline"), and for "ingest" also cutting it into passages and storing
// them (with their full-text index) through its own connection to the database; and writing a
// generated document's .docx ("write"). Plain CommonJS that registers tsx itself, so it runs the same
// TypeScript code however the server was started (npm run server, the tests, the bench). See
// ../services/docx-reader.ts.
const { parentPort } = require("node:worker_threads");
require("tsx/cjs/api").register();
const Database = require("better-sqlite3");
const { inspectDocx } = require("../docx/inspect-docx.ts");
const { readDocxParagraphs } = require("../docx/paragraphs.ts");
const { PassageStore } = require("../storage/passage-store.ts");
const { TermStore } = require("../storage/term-store.ts");
const { uploadedOutlineParts } = require("../services/sections/outline-cache.ts");
const { storeIngested } = require("../services/docx-reader.ts");
const { writeGeneratedDocx } = require("../docx/write-docx.ts");

/** One connection per database file, opened on first use. */
const connections = new Map();
function storesOf(dbPath) {
  let stores = connections.get(dbPath);
  if (!stores) {
    const db = new Database(dbPath);
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = FULL");
    stores = { passages: new PassageStore(db), terms: new TermStore(db) };
    connections.set(dbPath, stores);
  }
  return stores;
}

parentPort.on("message", async ({ id, task, filePath, limits, dbPath, documentId, organizationId, input }) => {
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
    if (task === "ingest") storeIngested(paragraphs, { documentId, organizationId, ...storesOf(dbPath) });
    // "outline" and "ingest": the outline is built here, so the main thread gets it ready to use.
    parentPort.postMessage({ id, result: uploadedOutlineParts(paragraphs) });
  } catch (error) {
    parentPort.postMessage({
      id,
      error: { name: error?.name ?? "Error", message: error?.message ?? String(error), code: error?.code, problem: error?.problem },
    });
  }
});
