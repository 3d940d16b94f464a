// Which of a section's sources a short selection came from (the Sources tab, issue 13 item 3).
import { bestMatches, isSentenceOrLess } from "../../src/taskpane/features/sources/best-match";

test("a sentence, a phrase or a word is 'a sentence or less'; abbreviations and initials don't make it two", () => {
  expect(isSentenceOrLess("Mortality fell by a third.")).toBe(true);
  expect(isSentenceOrLess("fell by a third")).toBe(true);
  expect(isSentenceOrLess("Dr. Smith found that mortality fell by a third.")).toBe(true);
  expect(isSentenceOrLess("As J. R. Lock said, costs rose (e.g. in Finland).")).toBe(true);
  expect(isSentenceOrLess("Derek Yach, WHO-Executive Director, confirmed it in 2002. ")).toBe(true);
});

test("two sentences or more, or a long passage, are about the section, not one passage", () => {
  expect(isSentenceOrLess("Mortality fell by a third. The trial ran for two years.")).toBe(false);
  expect(isSentenceOrLess("Costs rose. “Nobody expected it,” she said. It ended in 2004.")).toBe(false);
  expect(isSentenceOrLess(`${"word ".repeat(90)}end.`)).toBe(false);
  expect(isSentenceOrLess("   ")).toBe(false);
});

test("the passage sharing the selection's words comes first; nothing to tell apart with one passage or no shared word", () => {
  const passages = [
    "Mortality fell by a third.\nThe trial ran for two years in four countries.",
    "Adverse events were rare: nausea in 4 per cent of patients, headache in 2 per cent.",
    "Treatment cost 300 euros per patient per year.",
  ];
  expect(bestMatches(passages, "Nausea and headache were rare adverse events.")).toEqual({ best: [1], rest: [0, 2] });
  expect(bestMatches(passages.slice(0, 1), "Mortality fell.")).toBeUndefined();
  expect(bestMatches(passages, "Quantum chromodynamics.")).toBeUndefined();
});

test("Chinese: a selected clause finds the passage it came from, and two Chinese sentences are more than one", () => {
  const passages = ["行列式为零的矩阵称为奇异矩阵。", "两个向量相等的充分且必要条件是它们的分量都相等。", "线性变换保持向量的加法和数乘。"];
  expect(bestMatches(passages, "向量相等的充分且必要条件")?.best).toEqual([1]);
  expect(isSentenceOrLess("两个向量相等的充分且必要条件是它们的分量都相等。")).toBe(true);
  expect(isSentenceOrLess("行列式为零的矩阵称为奇异矩阵。两个向量相等的充分且必要条件是它们的分量都相等。")).toBe(false);
});
