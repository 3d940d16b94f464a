// The pieces behind the Sources panel's routes, without HTTP: heading recognition from styles,
// the outline's merge rules, section ids, the text normalisation and the section text index.
import { documentOutline, MAX_MERGED_TITLE_CHARS, sectionIds, slugOf } from "../../src/server/docx/outline";
import { paragraphsFromXml, type DocxParagraph } from "../../src/server/docx/paragraphs";
import { normalizeForMatch } from "../../src/server/services/sections/normalize";
import { SectionTextIndex } from "../../src/server/services/sections/text-index";

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

function documentXml(paragraphs: string[]): string {
  return `<w:document ${W}><w:body>${paragraphs.join("")}</w:body></w:document>`;
}

function p(text: string, pPr = ""): string {
  return `<w:p><w:pPr>${pPr}</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
}

const style = (id: string, inner: string) => `<w:style w:type="paragraph" w:styleId="${id}">${inner}</w:style>`;
const stylesXml = (...styles: string[]) => `<w:styles ${W}>${styles.join("")}</w:styles>`;

function para(text: string, outlineLevel: number | null, numbered = false): DocxParagraph {
  return { text, styleId: null, outlineLevel, numbered };
}

describe("heading recognition from styles", () => {
  test("by name in any language, by id, through basedOn chains, with outline levels 0-8 and 9 = body", () => {
    const styles = stylesXml(
      style("berschrift1", '<w:name w:val="heading 1"/>'),
      style("Titre3", '<w:name w:val="Heading 3"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr>'),
      style("Chapter", '<w:name w:val="Chapter"/><w:basedOn w:val="berschrift1"/>'),
      style("Part", '<w:name w:val="Part"/><w:basedOn w:val="Chapter"/>'),
      style("Deep", '<w:name w:val="Deep"/><w:pPr><w:outlineLvl w:val="8"/></w:pPr>'),
      style("BodyLike", '<w:name w:val="Body like"/><w:basedOn w:val="Chapter"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr>'),
      style("LoopA", '<w:name w:val="Loop A"/><w:basedOn w:val="LoopB"/>'),
      style("LoopB", '<w:name w:val="Loop B"/><w:basedOn w:val="LoopA"/>'),
    );
    const xml = documentXml([
      p("German", '<w:pStyle w:val="berschrift1"/>'),
      p("French", '<w:pStyle w:val="Titre3"/>'),
      p("Chapter", '<w:pStyle w:val="Chapter"/>'),
      p("Part", '<w:pStyle w:val="Part"/>'),
      p("Deep", '<w:pStyle w:val="Deep"/>'),
      p("Body like", '<w:pStyle w:val="BodyLike"/>'),
      p("Loop", '<w:pStyle w:val="LoopA"/>'),
      p("Undefined Heading4 id", '<w:pStyle w:val="Heading4"/>'),
      p("Direct 9 on a heading", '<w:pStyle w:val="berschrift1"/><w:outlineLvl w:val="9"/>'),
      p("Direct 5", '<w:outlineLvl w:val="5"/>'),
    ]);
    expect(paragraphsFromXml(xml, styles).map((x) => [x.text, x.outlineLevel])).toEqual([
      ["German", 0],
      ["French", 2],
      ["Chapter", 0],
      ["Part", 0],
      ["Deep", 8],
      ["Body like", null],
      ["Loop", null],
      ["Undefined Heading4 id", 3],
      ["Direct 9 on a heading", null],
      ["Direct 5", 5],
    ]);
  });

  test("list numbering from the paragraph or its style; numId 0 removes it; a level alone keeps the style's list", () => {
    const styles = stylesXml(
      style("NumberedHeading", '<w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr>'),
      style("Child", '<w:name w:val="Child"/><w:basedOn w:val="NumberedHeading"/>'),
    );
    const xml = documentXml([
      p("Styled", '<w:pStyle w:val="NumberedHeading"/>'),
      p("Inherited", '<w:pStyle w:val="Child"/>'),
      p("Removed", '<w:pStyle w:val="NumberedHeading"/><w:numPr><w:numId w:val="0"/></w:numPr>'),
      p("Level only", '<w:pStyle w:val="NumberedHeading"/><w:numPr><w:ilvl w:val="1"/></w:numPr>'),
      p("Direct", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>'),
      p("Plain"),
    ]);
    expect(paragraphsFromXml(xml, styles).map((x) => [x.text, x.numbered])).toEqual([
      ["Styled", true],
      ["Inherited", true],
      ["Removed", false],
      ["Level only", true],
      ["Direct", true],
      ["Plain", false],
    ]);
  });
});

describe("the outline", () => {
  test("fragments of one heading merge; body text, another level or a number start a new one", () => {
    const outline = documentOutline([
      para("Cover letter", null),
      para("Annual report of the", 0),
      para("  ", 0),
      para("nutrition board", 0),
      para("Summary", 1),
      para("Findings", 1),
      para("Text.", null),
      para("Findings", 1),
      para("More text.", null),
      para("1 Background", 0),
      para("2 Methods", 0),
      para("Listed", 0, true),
      para("Also listed", 0, true),
    ]);
    expect(outline.preamble).toEqual([0]);
    expect(outline.headings.map((h) => [h.title, h.level, h.headingParagraphs, h.bodyParagraphs])).toEqual([
      ["Annual report of the nutrition board", 1, [1, 3], []],
      ["Summary Findings", 2, [4, 5], [6]],
      ["Findings", 2, [7], [8]],
      ["1 Background", 1, [9], []],
      ["2 Methods", 1, [10], []],
      ["Listed", 1, [11], []],
      ["Also listed", 1, [12], []],
    ]);
  });

  test("a merged title stops growing at its limit", () => {
    const long = "word ".repeat(50).trim();
    const outline = documentOutline([para(long, 0), para(long, 0), para(long, 0)]);
    for (const heading of outline.headings) expect(heading.title.length).toBeLessThanOrEqual(MAX_MERGED_TITLE_CHARS);
    expect(outline.headings.length).toBeGreaterThan(1);
  });

  test("ids: slugs, an ordinal for repeats that never collides, a fallback for titles without letters", () => {
    expect(sectionIds(["Three Columns", "Three Columns 2", "Three Columns", "Three Columns", "§ 4 ¶", "***", "***"])).toEqual([
      "three-columns",
      "three-columns-2",
      "three-columns-3",
      "three-columns-4",
      "4",
      "section",
      "section-2",
    ]);
    expect(slugOf("Überblick – Ergebnisse: 2024")).toBe("uberblick-ergebnisse-2024");
    expect(slugOf("概要と結果")).toBe("概要と結果");
    expect(slugOf(`${"a".repeat(30)} ${"b".repeat(30)} ${"c".repeat(30)}`)).toBe(`${"a".repeat(30)}-${"b".repeat(30)}`);
    expect(slugOf("x".repeat(200))).toHaveLength(80);
  });
});

describe("normalising both sides of a match", () => {
  test.each([
    ["“Quoted” – ‘text’ — here…", "\"quoted\" - 'text' - here..."],
    ["A\u00a0B\u2009C\tD\r\nE\vF\u2028G", "a b c d e f g"],
    ["soft\u00adhy\u200bphen\u200dated\ufeff", "softhyphenated"],
    ["non\u001ebreaking and op\u001ftional", "non-breaking and optional"],
    ["ﬁnancial ＡＢＣ", "financial abc"],
    ["  padded  ", "padded"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });

  test("normalising pieces and joining them equals normalising the joined text", () => {
    const pieces = ["First “piece”\t", "  second – piece…", "THIRD"];
    expect(pieces.map(normalizeForMatch).join(" ")).toBe(normalizeForMatch(pieces.join("\r")));
  });
});

describe("the section text index", () => {
  const index = new SectionTextIndex([
    { section: null, pieces: ["Report title"] },
    { section: 0, pieces: ["Introduction", "We measured salt in school lunches across twelve districts. Results follow."], headingPieces: 1 },
    { section: 1, pieces: ["Results", "Salt intake fell by a third in the districts that changed their menus."], headingPieces: 1 },
    { section: 2, pieces: [] },
  ]);

  test("exact, across sections, tolerant, preamble, and nothing", () => {
    expect(index.find("SALT intake fell")).toEqual({ found: "section", section: 1, how: "exact" });
    expect(index.find("twelve districts. Results follow.\rResults\rSalt")).toEqual({ found: "section", section: 0, how: "exact" });
    // The heading's full title: its section, though "results" occurs earlier; part of it: the first occurrence.
    expect(index.find("Results")).toEqual({ found: "section", section: 1, how: "exact" });
    expect(index.find("Result")).toEqual({ found: "section", section: 0, how: "exact" });
    expect(index.find("3. Salt intake fell by a third[1] in the districts")).toEqual({ found: "section", section: 1, how: "tolerant" });
    expect(index.find("report title")).toEqual({ found: "preamble" });
    expect(index.find("Report title\rIntroduction")).toEqual({ found: "section", section: 0, how: "exact" });
    expect(index.find("Sugar intake rose by half in the cities")).toEqual({ found: "none" });
    expect(index.find("...")).toEqual({ found: "none" });
  });
});
