// What the Word host searches for to select a cited passage: Word's search takes at most 255
// characters and can't cross a paragraph mark, and "^" starts one of its special codes.
import { searchNeedle } from "../../../src/taskpane/office/word-host";

test("a short passage is searched whole, white space collapsed", () => {
  expect(searchNeedle("  Mortality   fell\tby a third. ")).toBe("Mortality fell by a third.");
});

test("a passage of several paragraphs is searched by its first paragraph", () => {
  expect(searchNeedle("\nFirst paragraph here.\nSecond paragraph.")).toBe("First paragraph here.");
});

test("a long paragraph is cut at a word within 200 characters, and ^ is never sent", () => {
  const long = `Costs^rose ${"every year ".repeat(40)}`;
  const needle = searchNeedle(long);
  expect(needle.length).toBeLessThanOrEqual(200);
  expect(needle.startsWith("Costs rose every year")).toBe(true);
  expect(needle.endsWith("year")).toBe(true);
  expect(needle).not.toContain("^");
});
