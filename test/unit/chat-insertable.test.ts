// What Insert / Replace / Copy take out of an answer (src/taskpane/features/chat/insertable.ts): the
// rendered content without a lead-in, as HTML and as plain text, and the reference list.
import { insertableAnswer, referenceLabel } from "../../src/taskpane/features/chat/insertable";

function rendered(html: string): HTMLElement {
  const element = document.createElement("div");
  element.innerHTML = html;
  return element;
}

const refs = [{ number: 1, order: 1, url: "", title: "report.docx — Costs" }];

describe("the lead-in", () => {
  it.each([
    ["Here is what “report.docx” says about this:"],
    ["Here are the main points of “report.docx”:"],
    ["Sure! Here's a summary of the documents:"],
    ["Based on the provided documents, the key points are:"],
    ["According to the sources, these are the figures:"],
  ])("“%s” before the content is left out", (leadIn) => {
    const answer = insertableAnswer(rendered(`<p>${leadIn}</p>\n<ul>\n<li>Fees rose <a href="#cite-1">[1]</a>.</li>\n</ul>`), "", refs);
    expect(answer.text).toBe("- Fees rose [1].\n\nSources\n[1] report.docx — Costs");
    expect(answer.html).toBe('<ul>\n<li>Fees rose [1].</li>\n</ul><p><strong>Sources</strong></p><p>[1] report.docx — Costs</p>');
  });

  it.each([
    ["an opening that cites", "<p>Here are the figures <a href=\"#cite-1\">[1]</a>:</p><ul><li>rent</li></ul>", "Here are the figures [1]:\n\n- rent"],
    ["an opening that is content", "<p>The steps are:</p><ol><li>ask</li></ol>", "The steps are:\n\n1. ask"],
    ["an opening with nothing after it", "<p>Here is what the documents say:</p>", "Here is what the documents say:"],
    ["a later paragraph", "<p>Fees rose.</p><p>Here are the details:</p><ul><li>rent</li></ul>", "Fees rose.\n\nHere are the details:\n\n- rent"],
  ])("%s is kept", (_, html, text) => {
    expect(insertableAnswer(rendered(html), "", []).text).toBe(text);
  });
});

describe("plain text", () => {
  it("keeps the structure without markdown marks: headings, nested and numbered lists, tables, code, links", () => {
    const html = [
      "<h2>Plan</h2>",
      "<p>Some <strong>bold</strong> and <em>slanted</em> words,<br>on two lines.</p>",
      '<ol start="3"><li>third<ul><li>inner</li></ul></li><li><p>fourth</p></li></ol>',
      "<table><thead><tr><th>Item</th><th>Cost</th></tr></thead><tbody><tr><td>Rent</td><td>10</td></tr></tbody></table>",
      "<pre><code>x = 1\n  y = 2\n</code></pre>",
      '<p>See <a href="https://example.com/a">the page</a>, <a href="https://example.com/b">https://example.com/b</a> or <a href="mailto:a@b.example">a@b.example</a>.</p>',
      "<hr>",
    ].join("\n");
    expect(insertableAnswer(rendered(html), "", []).text).toBe(
      [
        "Plan",
        "",
        "Some bold and slanted words,\non two lines.",
        "",
        "3. third\n  - inner\n4. fourth",
        "",
        "Item\tCost\nRent\t10",
        "",
        "x = 1\n  y = 2",
        "",
        "See the page (https://example.com/a), https://example.com/b or a@b.example.",
      ].join("\n"),
    );
  });

  it("uses the markdown, lines kept, while the chat still shows it unrendered", () => {
    const unrendered = rendered('<span data-unrendered="">- a [1]\n- b</span>');
    expect(insertableAnswer(unrendered, "- a [1]\n- b\n\nEnd.", refs).text).toBe("- a [1]\n- b\n\nEnd.\n\nSources\n[1] report.docx — Costs");
  });
});

describe("the reference list", () => {
  it("lists only the numbers the inserted text cites, in order, each once", () => {
    const answer = insertableAnswer(rendered('<p>B <a href="#cite-2">[2]</a>, A <a href="#cite-1">[1]</a>, B again <a href="#cite-2">[2]</a>, none <a href="#cite-9">[9]</a>.</p>'), "", [
      { number: 1, order: 1, url: "", title: "a.docx — One" },
      { number: 2, order: 2, url: "", title: "b.docx — Two" },
      { number: 3, order: 3, url: "", title: "c.docx — Three" },
    ]);
    expect(answer.text.split("\n\nSources\n")[1]).toBe("[1] a.docx — One\n[2] b.docx — Two");
  });

  it("names a source by its title, else its document and section, else its address, else its number", () => {
    expect(referenceLabel({ number: 1, url: "https://x.example/1", title: "report.docx — Costs" })).toBe("report.docx — Costs");
    expect(referenceLabel({ number: 2, url: "", document_name: "report.docx", section_title: "Costs" })).toBe("report.docx — Costs");
    expect(referenceLabel({ number: 3, url: "", document_name: "report.docx" })).toBe("report.docx");
    expect(referenceLabel({ number: 4, url: "https://x.example/4" })).toBe("https://x.example/4");
    expect(referenceLabel({ number: 5, url: "  " })).toBe("Source 5");
  });

  it("links a web address in the HTML and names it once in the text; other text is escaped", () => {
    const answer = insertableAnswer(rendered('<p>A <a href="#cite-1">[1]</a> B <a href="#cite-2">[2]</a></p>'), "", [
      { number: 1, order: 1, url: "https://x.example/1", title: "Fees <2024> & costs" },
      { number: 2, order: 2, url: "https://x.example/2" },
    ]);
    expect(answer.html).toContain('<p>[1] <a href="https://x.example/1">Fees &lt;2024&gt; &amp; costs</a></p><p>[2] <a href="https://x.example/2">https://x.example/2</a></p>');
    expect(answer.text).toContain("[1] Fees <2024> & costs (https://x.example/1)\n[2] https://x.example/2");
  });
});
