// Documents the bench builds: a 20 MB .docx (the nutrition report padded with a large stored
// media file) and a ~30-page report (headings and paragraphs, built with the docx library).
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import yauzl from "yauzl";
import yazl from "yazl";
import { FIXTURE, ROOT } from "./lib.mjs";

const require = createRequire(import.meta.url);
const MB = 1024 * 1024;
const cache = path.join(ROOT, "bench-results", "docs");

async function entriesOf(file) {
  const zip = await new Promise((resolve, reject) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const out = [];
  await new Promise((resolve, reject) => {
    zip.on("entry", (entry) => {
      if (entry.fileName.endsWith("/")) return zip.readEntry();
      zip.openReadStream(entry, (e, stream) => {
        if (e) return reject(e);
        const parts = [];
        stream.on("data", (c) => parts.push(c));
        stream.on("end", () => {
          out.push({ name: entry.fileName, data: Buffer.concat(parts) });
          zip.readEntry();
        });
      });
    });
    zip.on("end", resolve);
    zip.on("error", reject);
    zip.readEntry();
  });
  return out;
}

/** The nutrition report with word/media/padding.png (random bytes, stored) so the file is `size` bytes. */
export async function bigDocx(size = 20 * MB) {
  const file = path.join(cache, `big-${size}.docx`);
  if (fs.existsSync(file) && fs.statSync(file).size === size) return fs.readFileSync(file);
  const entries = await entriesOf(FIXTURE);
  const build = (padding) =>
    new Promise((resolve) => {
      const zip = new yazl.ZipFile();
      for (const e of entries) zip.addBuffer(e.data, e.name);
      zip.addBuffer(padding, "word/media/padding.png", { compress: false });
      zip.end();
      const parts = [];
      zip.outputStream.on("data", (c) => parts.push(c));
      zip.outputStream.on("end", () => resolve(Buffer.concat(parts)));
    });
  const without = (await build(Buffer.alloc(0))).length;
  const bytes = await build(crypto.randomBytes(size - without));
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes;
}

/** A ~30-page report: 10 chapters × 3 sections × 4 paragraphs of ~120 words. */
export async function thirtyPageDocx() {
  const file = path.join(cache, "thirty-pages.docx");
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const { Document, HeadingLevel, Packer, Paragraph } = require(path.join(ROOT, "node_modules/docx"));
  const words = "nutrition protein intake dietary study participants results analysis cohort vitamin fibre energy outcome baseline follow-up measured reported significant trial health".split(" ");
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const sentence = () => {
    const n = 12 + (next() % 10);
    const w = Array.from({ length: n }, () => words[next() % words.length]);
    return w.join(" ").replace(/^./, (c) => c.toUpperCase()) + ".";
  };
  const children = [new Paragraph({ text: "Thirty-page study report", heading: HeadingLevel.TITLE })];
  for (let c = 1; c <= 10; c++) {
    children.push(new Paragraph({ text: `Chapter ${c}: Findings of part ${c}`, heading: HeadingLevel.HEADING_1 }));
    for (let s = 1; s <= 3; s++) {
      children.push(new Paragraph({ text: `Section ${c}.${s}: Observations`, heading: HeadingLevel.HEADING_2 }));
      for (let p = 0; p < 4; p++) children.push(new Paragraph({ text: Array.from({ length: 7 }, sentence).join(" ") }));
    }
  }
  const bytes = await Packer.toBuffer(new Document({ sections: [{ children }] }));
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes;
}
