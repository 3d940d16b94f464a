import {
  FORMATTED_HTML_ATTRIBUTES,
  FORMATTED_HTML_TAGS,
  sanitizeFormattedHtml,
  sanitizePreviewHtml,
} from "../../../src/taskpane/office/html-sanitize";

describe("sanitizeFormattedHtml", () => {
  test("keeps what Word's insertHtml turns into formatting", () => {
    const html =
      "<h1>A</h1><h6>F</h6><p>x<br>y <strong>s</strong> <b>b</b> <em>e</em> <i>i</i> <del>d</del> <code>c</code></p>" +
      '<ol start="3"><li>one<ul><li>two</li></ul></li></ol><blockquote><p>q</p></blockquote><pre><code>a\n  b</code></pre><hr>' +
      '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td rowspan="1">c</td></tr></tbody></table>';
    expect(sanitizeFormattedHtml(html)).toBe(html);
  });

  test("links: http(s) and mailto stay; javascript:, data:, relative and file links lose their href", () => {
    expect(
      sanitizeFormattedHtml(
        '<a href="https://a.example/x?y=1">a</a><a href="http://b.example">b</a><a href="MAILTO:me@x.org">m</a>',
      ),
    ).toBe('<a href="https://a.example/x?y=1">a</a><a href="http://b.example">b</a><a href="MAILTO:me@x.org">m</a>');
    for (const href of [
      "javascript:alert(1)",
      " jav&#x09;ascript:alert(1)",
      "data:text/html,<b>x</b>",
      "/relative",
      "#top",
      "file:///etc/passwd",
      "vbscript:x",
    ]) {
      expect(sanitizeFormattedHtml(`<a href="${href}">t</a>`)).toBe("<a>t</a>");
    }
  });

  test("no scripts, styles, pictures, forms or frames; no style/class/id/on*/data-*/aria-*/target attributes", () => {
    const clean = sanitizeFormattedHtml(
      '<p style="color:red" class="c" id="i" onclick="x()" data-a="1" aria-label="l" title="t">Text</p>' +
        '<script>alert(1)</script><style>p{}</style><img src="x" onerror="alert(2)"><iframe src="https://x"></iframe>' +
        '<svg><a href="https://x">s</a></svg><form><input value="v"></form><a href="https://x" target="_blank" rel="opener">l</a>',
    );
    expect(clean).toBe('<p>Text</p><a href="https://x">l</a>');
  });

  test("unknown elements are unwrapped (their text stays); white space around the HTML is trimmed", () => {
    expect(sanitizeFormattedHtml("\n <div><span>in <u>side</u></span></div>\n")).toBe("in side");
    expect(sanitizeFormattedHtml("")).toBe("");
  });

  test("the allow-lists are small and fixed", () => {
    expect(FORMATTED_HTML_TAGS).not.toContain("img");
    expect(FORMATTED_HTML_TAGS).not.toContain("span");
    expect(FORMATTED_HTML_ATTRIBUTES).toEqual(["href", "start", "colspan", "rowspan"]);
  });
});

describe("sanitizePreviewHtml", () => {
  test("keeps pictures and ordinary markup of a document preview, drops scripts and handlers", () => {
    expect(
      sanitizePreviewHtml('<p class="x"><img src="data:image/png;base64,AAAA" onerror="x()"></p><script>1</script>'),
    ).toBe('<p class="x"><img src="data:image/png;base64,AAAA"></p>');
  });
});
