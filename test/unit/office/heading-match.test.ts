import {
  MAX_MERGED_TITLE_CHARS,
  cleanHeadingText,
  findHeading,
  headingBlocks,
  headingCandidates,
  headingMatches,
  nearestHeading,
  normalizeHeadingTitle,
  type HeadingCandidate,
} from "../../../src/taskpane/office/heading-match";

const h = (text: string, level?: number, followsPrevious = false, numbered = false): HeadingCandidate => ({
  text,
  ...(level === undefined ? {} : { level }),
  followsPrevious,
  ...(numbered ? { numbered } : {}),
});

describe("normalizeHeadingTitle", () => {
  test.each([
    ["Partner’s ‘Plan’", "partner's 'plan'"],
    ["The “big” picture", 'the "big" picture'],
    ["Costs – 2024", "costs-2024"],
    ["Costs—2024", "costs-2024"],
    ["Costs ‑ 2024 − net", "costs-2024-net"],
    ["Costs - 2024", "costs-2024"],
    ["Risk\u00a0and\tControl", "risk and control"],
    ["Line\vbreak\r\nand\u2028more", "line break and more"],
    ["Zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"],
    ["Field\u0013 result\u0015 mark\u0007", "field result mark"],
    ["  MIXED Case  ", "mixed case"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeHeadingTitle(input)).toBe(expected);
  });

  test("cleanHeadingText keeps case, quotes and dashes, and collapses white space", () => {
    expect(cleanHeadingText("  The “big”\u00a0–\tpicture\n")).toBe("The “big” – picture");
  });
});

describe("headingCandidates", () => {
  test("empty headings are left out; empty paragraphs don't separate heading parts; body text does", () => {
    const { candidates, indexes } = headingCandidates([
      { level: null, text: "Preface" }, // 0
      { level: 1, text: "Annex A –" }, // 1
      { level: 1, text: " \u200b " }, // 2: an empty heading used as spacing
      { level: null, text: "" }, // 3: an empty paragraph
      { level: 1, text: "Tables", numbered: true }, // 4
      { level: null, text: undefined }, // 5: not read, so body text
      { level: undefined, text: "Appendix" }, // 6
    ]);
    expect(indexes).toEqual([1, 4, 6]);
    expect(candidates).toEqual([
      { text: "Annex A –", level: 1, followsPrevious: false },
      { text: "Tables", level: 1, followsPrevious: true, numbered: true },
      { text: "Appendix", followsPrevious: false },
    ]);
  });
});

describe("headingBlocks (the server's sections, src/server/docx/outline.ts)", () => {
  test("same-level parts with no body text between are one title; other levels and body text split", () => {
    expect(
      headingBlocks([
        h("5. EUROPEAN HEALTH FORUM GASTEIN –", 1),
        h("on the Future of Health in Europe", 1, true),
        h("25 to 28 September 2002", 1, true),
        h("Results", 1, false),
        h("Detail", 2, true),
        h("Summary", 1, false),
      ]),
    ).toEqual([
      { first: 0, last: 2, title: "5. EUROPEAN HEALTH FORUM GASTEIN – on the Future of Health in Europe 25 to 28 September 2002" },
      { first: 3, last: 3, title: "Results" },
      { first: 4, last: 4, title: "Detail" },
      { first: 5, last: 5, title: "Summary" },
    ]);
  });

  test("a part with its own number (list numbering, or typed '2.', '2.1', 'B.') starts a heading of its own", () => {
    const titles = (candidates: HeadingCandidate[]) => headingBlocks(candidates).map((block) => block.title);
    expect(titles([h("1 Background", 1), h("2. Methods", 1, true)])).toEqual(["1 Background", "2. Methods"]);
    expect(titles([h("Background", 1), h("2.1 Scope", 1, true)])).toEqual(["Background", "2.1 Scope"]);
    expect(titles([h("Annex", 1), h("B. Tables", 1, true)])).toEqual(["Annex", "B. Tables"]);
    expect(titles([h("Background", 1), h("Methods", 1, true, true)])).toEqual(["Background", "Methods"]);
    expect(titles([h("Costs in", 1), h("2024 and after", 1, true)])).toEqual(["Costs in 2024 and after"]);
  });

  test("a merged title stops growing at 300 characters", () => {
    const part = "x".repeat(200);
    expect(headingBlocks([h(part, 1), h(part, 1, true)]).map((block) => block.title.length)).toEqual([200, 200]);
    expect(MAX_MERGED_TITLE_CHARS).toBe(300);
  });
});

describe("headingMatches / findHeading", () => {
  const doc = [
    h("Summary", 4), // 0
    h("Summary", 1), // 1
    h("Annex A –", 1), // 2
    h("Tables", 1, true), // 3
    h("Summary", 2), // 4
    h("Appendix", undefined), // 5: a "Heading…" style without a level
  ];

  test("single headings and a split heading, in document order", () => {
    expect(headingMatches(doc, "summary")).toEqual([
      { first: 0, last: 0 },
      { first: 1, last: 1 },
      { first: 4, last: 4 },
    ]);
    expect(headingMatches(doc, "Annex A - Tables")).toEqual([{ first: 2, last: 3 }]);
  });

  test("a split heading needs its parts to follow each other", () => {
    const apart = [h("Annex A", 1), h("Tables", 1, false)];
    expect(headingMatches(apart, "Annex A Tables")).toEqual([]);
  });

  test("every heading level counts, in document order", () => {
    expect(findHeading(doc, "Summary")).toEqual({ first: 0, last: 0 });
    expect(findHeading(doc, "Summary", 2)).toEqual({ first: 1, last: 1 });
    expect(findHeading(doc, "Summary", 3)).toEqual({ first: 4, last: 4 });
    expect(findHeading(doc, "Summary", 4)).toBeUndefined();
    expect(findHeading(doc, "Appendix")).toEqual({ first: 5, last: 5 });
  });

  test("the server's merged titles come first: a part of a merged heading is not another occurrence", () => {
    const merged = [h("Annex", 1), h("Tables", 1, true), h("Body", 2), h("Annex", 1)];
    expect(findHeading(merged, "Annex Tables")).toEqual({ first: 0, last: 1 });
    expect(findHeading(merged, "Annex")).toEqual({ first: 3, last: 3 });
    expect(findHeading(merged, "Annex", 2)).toBeUndefined();
    // A title outlined another way (one part of a broken heading) is still found.
    expect(findHeading(merged, "Tables")).toEqual({ first: 1, last: 1 });
  });

  test("a bad occurrence counts as 1; an empty title finds nothing", () => {
    expect(findHeading(doc, "Summary", 0)).toEqual({ first: 0, last: 0 });
    expect(findHeading(doc, "Summary", Number.NaN)).toEqual({ first: 0, last: 0 });
    expect(findHeading(doc, "  ")).toBeUndefined();
  });
});

describe("nearestHeading", () => {
  test("gives the title and occurrence that findHeading turns back into the same heading", () => {
    const headings = [h("Summary", 1), h("Detail", 4), h("Summary", 2), h("Deep", 5), h("Summary", 1)];
    const nearest = nearestHeading(headings, 2);
    expect(nearest).toEqual({ title: "Summary", occurrence: 2 });
    expect(findHeading(headings, nearest!.title, nearest!.occurrence)).toEqual({ first: 2, last: 2 });
  });

  test("an anchor in any part of a broken heading gives the whole title", () => {
    const headings = [h("Annex A –", 1), h("Financial tables", 1, true), h("Next", 2)];
    expect(nearestHeading(headings, 0)).toEqual({ title: "Annex A – Financial tables", occurrence: 1 });
    expect(nearestHeading(headings, 1)).toEqual({ title: "Annex A – Financial tables", occurrence: 1 });
  });

  test("no anchor: undefined", () => {
    expect(nearestHeading([h("Deep", 4)], -1)).toBeUndefined();
    expect(nearestHeading([], -1)).toBeUndefined();
  });
});
