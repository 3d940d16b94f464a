// What the Word host searches for to select a cited passage: Word's search takes at most 255
// characters and can't cross a paragraph mark, "^" starts one of its special codes, and "^w" is
// any white space.
import { passageNeedles } from "../../../src/taskpane/office/word-host";

test("a short one-paragraph passage is searched whole, white space collapsed, with nothing more to find", () => {
  expect(passageNeedles("  Mortality   fell\tby a third. ")).toEqual({ start: "Mortality fell by a third." });
});

test("a passage of several paragraphs: the first words of its first paragraph and the last words of its last", () => {
  expect(passageNeedles("\nFirst paragraph here.\nSecond one.\nThe last paragraph.")).toEqual({
    start: "First paragraph here.",
    end: "The last paragraph.",
  });
});

test("a long paragraph: its first and its last words, whole words, each within Word's limit", () => {
  const long = `Costs rose ${"every year ".repeat(40)}until the end.`;
  const { start, end } = passageNeedles(long);
  expect(start.length).toBeLessThanOrEqual(250);
  expect(start.length).toBeGreaterThan(200);
  expect(long.startsWith(`${start} `)).toBe(true); // cut between words
  expect(end!.length).toBeLessThanOrEqual(250);
  expect(end!.length).toBeGreaterThan(200);
  expect(long.endsWith(` ${end}`)).toBe(true);
});

test("a caret is sent as ^^; with anyWhiteSpace words are joined by ^w, and the limit counts what Word gets", () => {
  expect(passageNeedles("Scores rose as x^2.")).toEqual({ start: "Scores rose as x^^2." });
  expect(passageNeedles("Scores rose as x^w.", true)).toEqual({ start: "Scores^wrose^was^wx^^w." });
  const { start, end } = passageNeedles(`${"a ".repeat(200)}b`, true);
  expect(start.length).toBeLessThanOrEqual(250);
  expect(start.startsWith("a^wa^w")).toBe(true);
  expect(end!.endsWith("a^wb")).toBe(true);
});

test("nothing but white space: nothing to search", () => {
  expect(passageNeedles(" \n\t ")).toEqual({ start: "" });
});
