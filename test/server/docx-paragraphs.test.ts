// The .docx reader that later steps (sections, retrieval) build on: paragraphs in order, with
// style ids and outline levels, for transitional, Strict and BOM-prefixed documents.
import path from "node:path";
import { readDocxParagraphs } from "../../src/server/docx/paragraphs";
import { FIXTURE_DIR } from "./helpers";

const limits = { maxUnpackedBytes: 500 * 1024 * 1024, maxEntries: 5000 };
const read = (name: string) => readDocxParagraphs(path.join(FIXTURE_DIR, name), limits);

test("a single paragraph, and the same from the ISO Strict and BOM-prefixed documents", async () => {
  expect(await read("mammoth-single-paragraph.docx")).toEqual([
    { text: "Walking on imported air", styleId: null, outlineLevel: null, numbered: false },
  ]);
  expect((await read("mammoth-strict-format.docx")).map((p) => p.text)).toEqual(["Test"]);
  expect((await read("mammoth-utf8-bom.docx")).map((p) => p.text)).toEqual(["This XML has a byte order mark."]);
});

test("an empty document has no text; lists and tables keep document order", async () => {
  expect((await read("mammoth-empty.docx")).every((p) => p.text === "")).toBe(true);
  expect((await read("mammoth-simple-list.docx")).map((p) => p.text)).toEqual(["Apple", "Banana"]);
  const table = (await read("mammoth-tables.docx")).map((p) => p.text);
  expect(table.indexOf("Above")).toBeLessThan(table.indexOf("Top left"));
  expect(table.indexOf("Top left")).toBeLessThan(table.indexOf("Top right"));
});

test("headings carry their style id and outline level (Heading 1-3 → 0-2)", async () => {
  const paragraphs = await read("openxml-sdk-nutrition-report.docx");
  const headings = paragraphs.filter((p) => p.outlineLevel !== null && p.text.trim() !== "");
  expect(new Set(headings.map((h) => h.outlineLevel))).toEqual(new Set([0, 1, 2]));
  for (const heading of headings) {
    expect(heading.styleId).toBe(`Heading${(heading.outlineLevel ?? 0) + 1}`);
  }
  const body = paragraphs.filter((p) => p.outlineLevel === null && p.text.trim() !== "");
  expect(body.length).toBeGreaterThan(headings.length);

  const styled = await read("python-docx-par-known-styles.docx");
  expect(styled.find((p) => p.text === "Heading 1")).toEqual({ text: "Heading 1", styleId: "Heading1", outlineLevel: 0, numbered: false });
  expect(styled.find((p) => p.text === "no specified style")?.outlineLevel).toBeNull();
});
