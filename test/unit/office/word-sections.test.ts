// Writing a section in place in Word: under its heading (or at the cursor), in a content control
// tagged with the section, citations as footnotes (WordApi 1.5), as tracked changes (1.4) with the
// writer's own setting back afterwards, and never over a section written before unless asked.
import { contentControlTag, type SectionContent, type WrittenSectionRef } from "../../../src/taskpane/office/document-host";
import { createWordHost } from "../../../src/taskpane/office/word-host";
import { caught, fakeOffice, installOffice } from "./office-fakes";
import { fakeWordWriting, type FakeSectionParagraph } from "./word-sections-fake";

const DOCUMENT: FakeSectionParagraph[] = [
  { text: "Board brief", style: "Title" },
  { text: "Purpose", style: "Heading1" },
  { text: "Our own first line.", style: "Normal" },
  { text: "Key facts", style: "Heading1" },
];
const PURPOSE: WrittenSectionRef = { documentId: "task-1", sectionId: "s1", title: "Purpose" };
const CONTENT: SectionContent = {
  html: "<p>Sales rose.[1] Costs fell.[2]</p><p>No note here.</p>",
  plainText: "Sales rose.[1] Costs fell.[2]\nNo note here.",
  notes: [
    { number: 1, text: "Minutes.docx, Sales" },
    { number: 2, text: "Minutes.docx, Costs" },
  ],
};

function wordWith(sets: string[] = ["1.1", "1.2", "1.3", "1.4", "1.5"]) {
  installOffice(fakeOffice({ isSetSupported: (name: string, version?: string) => name === "WordApi" && sets.includes(version ?? "1.1") }));
}

const view = (record: ReturnType<typeof fakeWordWriting>["record"]) =>
  record.paragraphs.map((paragraph) => ({
    text: paragraph.text,
    style: paragraph.style,
    ...(paragraph.control ? { control: paragraph.control.tag } : {}),
    ...(paragraph.footnotes.length ? { footnotes: paragraph.footnotes } : {}),
    ...(paragraph.tracked ? { tracked: true } : {}),
  }));

afterEach(() => {
  installOffice(undefined);
  delete (globalThis as { Word?: unknown }).Word;
});

test("under its heading, before what the writer wrote there: a tagged content control, footnotes for the citations, as tracked changes, then the writer's Track Changes back", async () => {
  wordWith();
  const { record } = fakeWordWriting(DOCUMENT, { trackingMode: "Off" });
  await expect(createWordHost().writeSection(PURPOSE, CONTENT, { suggest: true })).resolves.toBe("under-heading");

  const tag = contentControlTag(PURPOSE);
  expect(view(record)).toEqual([
    { text: "Board brief", style: "Title" },
    { text: "Purpose", style: "Heading1" },
    { text: "Sales rose. Costs fell.", style: "Normal", control: tag, footnotes: ["Minutes.docx, Sales", "Minutes.docx, Costs"], tracked: true },
    { text: "No note here.", style: "Normal", control: tag, tracked: true },
    { text: "Our own first line.", style: "Normal" },
    { text: "Key facts", style: "Heading1" },
  ]);
  expect(record.paragraphs[2]!.control).toEqual({ tag, title: "Sidecar: Purpose", appearance: "BoundingBox" });
  expect(record.trackingSets).toEqual(["TrackAll", "Off"]);
  expect(record.selects).toEqual(["End of “Sidecar: Purpose” (End)"]);
  // The host reads back what it wrote.
  await expect(createWordHost().getWrittenSections()).resolves.toEqual([PURPOSE]);
});

test("no heading with the title: the heading and then the section go in after the cursor's paragraph; straight in when not suggesting", async () => {
  wordWith();
  const { record } = fakeWordWriting(DOCUMENT, { selectionAt: 2 });
  const risks = { documentId: "task-2", sectionId: "s3", title: "Risks" };
  await expect(createWordHost().writeSection(risks, { html: "<p>Few.</p>", plainText: "Few." })).resolves.toBe("at-cursor");
  expect(view(record).slice(2, 5)).toEqual([
    { text: "Our own first line.", style: "Normal" },
    { text: "Risks", style: "Heading1" },
    { text: "Few.", style: "Normal", control: contentControlTag(risks) },
  ]);
  expect(record.trackingSets).toEqual([]);
});

test("a section written before is not overwritten without asking; with replace, its content and tag are the new ones", async () => {
  wordWith();
  const oldTag = contentControlTag({ documentId: "task-0", sectionId: "s1" });
  const { record } = fakeWordWriting([...DOCUMENT.slice(0, 2), { text: "Old words." }, ...DOCUMENT.slice(2)], {
    controls: [
      { paragraphs: [2], tag: oldTag, title: "Sidecar: Purpose" },
      { paragraphs: [3], tag: "customer-number", title: "Customer" },
    ],
    trackingMode: "TrackMineOnly",
  });
  const before = view(record);

  const error = await caught(createWordHost().writeSection(PURPOSE, CONTENT, { suggest: true }));
  expect(error.kind).toBe("already_written");
  expect(error.message).toBe("“Purpose” is in the document already: Sidecar wrote it before. Replace it, or keep it.");
  expect(view(record)).toEqual(before);
  expect(record.trackingSets).toEqual([]);

  await expect(createWordHost().writeSection(PURPOSE, CONTENT, { suggest: true, replace: true })).resolves.toBe("replaced");
  const tag = contentControlTag(PURPOSE);
  expect(view(record).slice(1, 5)).toEqual([
    { text: "Purpose", style: "Heading1" },
    { text: "Sales rose. Costs fell.", style: "Normal", control: tag, footnotes: ["Minutes.docx, Sales", "Minutes.docx, Costs"], tracked: true },
    { text: "No note here.", style: "Normal", control: tag, tracked: true },
    { text: "Our own first line.", style: "Normal", control: "customer-number" },
  ]);
  expect(record.trackingSets).toEqual(["TrackAll", "TrackMineOnly"]);
  // Only Sidecar's own controls are written sections.
  await expect(createWordHost().getWrittenSections()).resolves.toEqual([PURPOSE]);
});

test("requirement sets: without 1.5 the citations stay as [n]; without 1.4 a suggestion is refused and nothing written; without 1.3 nothing at all", async () => {
  wordWith(["1.1", "1.2", "1.3", "1.4"]);
  const first = fakeWordWriting(DOCUMENT);
  await createWordHost().writeSection(PURPOSE, CONTENT);
  expect(view(first.record)[2]).toEqual({ text: "Sales rose.[1] Costs fell.[2]", style: "Normal", control: contentControlTag(PURPOSE) });

  wordWith(["1.1", "1.2", "1.3"]);
  const second = fakeWordWriting(DOCUMENT);
  const refused = await caught(createWordHost().writeSection(PURPOSE, CONTENT, { suggest: true }));
  expect(refused.kind).toBe("unsupported");
  expect(refused.message).toMatch(/tracked changes from add-ins need Word version 2208 or later/);
  expect(view(second.record)).toEqual(view(fakeWordWriting(DOCUMENT).record));

  wordWith(["1.1", "1.2"]);
  fakeWordWriting(DOCUMENT);
  const old = await caught(createWordHost().writeSection(PURPOSE, CONTENT));
  expect(old.kind).toBe("unsupported");
  expect(old.message).toMatch(/needs Word 2016 or later/);
});

test("Word refusing the content: write_failed in words, and the writer's Track Changes setting is back", async () => {
  wordWith();
  const { record } = fakeWordWriting(DOCUMENT, { trackingMode: "Off", insertHtmlError: "GeneralException" });
  const error = await caught(createWordHost().writeSection(PURPOSE, CONTENT, { suggest: true }));
  expect(error.kind).toBe("write_failed");
  expect(error.message).toMatch(/^Sidecar couldn't write the section into the document\. Click in the body of the document and try again\./);
  expect(record.trackingSets).toEqual(["TrackAll", "Off"]);
  expect(record.paragraphs.map((paragraph) => paragraph.text)).toEqual(DOCUMENT.map((paragraph) => paragraph.text));
});
