// The stand-in Word document: a script appended to the real office.js after word-stand-in.mjs,
// defining the `Word` global (Word.run) over a small document model in the page, so that the
// pane's Word implementation runs end to end in headless Chromium: paragraphs with built-in
// styles, ranges between points in them, search (with Word's ^w, ^t, ^s and ^^), inserting text,
// HTML and paragraphs, rich-text content controls with tag and title, footnotes, comments, Track
// Changes and the selection. Changes take effect at once (the unit tests' fakes keep Office.js's
// load/sync rules strictly; this one is for behaviour across the whole pane).
//
// In the page, window.__wordDoc holds the model:
//   paragraphs: [{ text, style, control: { tag, title, appearance } | null, footnotes, comments, tracked }]
//   trackingSets: every changeTrackingMode Sidecar set, in order;
//   select(paragraph, from, to): the person selects characters of a paragraph (DocumentSelectionChanged fires);
//   selectedText(): the selected text.

/**
 * @param {{ paragraphs: Array<{ text: string; style?: string }> }} options the document's paragraphs ("Normal", "Heading1", "Title", ...)
 * @returns {string} the script
 */
export function wordDocumentStandIn({ paragraphs }) {
  return `
;(function () {
  var P = ${JSON.stringify(paragraphs)}.map(function (p) { return para(p.text, p.style || "Normal"); });
  function para(text, style) { return { text: text, style: style, control: null, footnotes: [], comments: [], tracked: false }; }
  var doc = window.__wordDoc = { paragraphs: P, tracking: "Off", trackingSets: [] };
  var idx = function (p) { return P.indexOf(p); };
  var pt = function (p, o) { return { p: p, o: o }; };
  var cmp = function (a, b) { var d = idx(a.p) - idx(b.p); return d !== 0 ? d : a.o - b.o; };
  var selection = { s: pt(P[0], 0), e: pt(P[0], 0) };
  var mark = function (p) { if (doc.tracking === "TrackAll") p.tracked = true; return p; };

  function textBetween(s, e) {
    var out = [];
    for (var i = idx(s.p); i <= idx(e.p); i++) {
      var t = P[i].text;
      out.push(t.slice(i === idx(s.p) ? s.o : 0, i === idx(e.p) ? e.o : t.length));
    }
    return out.join("\\r");
  }
  function htmlLines(html) {
    var body = new DOMParser().parseFromString(html, "text/html").body;
    var blocks = Array.prototype.slice.call(body.children);
    var lines = blocks.length ? blocks.map(function (b) { return b.textContent || ""; }) : [body.textContent || ""];
    return lines.map(function (l) { return l.replace(/\\s+/g, " ").trim(); });
  }
  function pattern(text) {
    var source = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c !== "^") { source += c.replace(/[.*+?^$\{}()|[\\]\\\\/]/g, "\\\\$&"); continue; }
      var code = text[++i];
      source += code === "^" ? "\\\\^" : code === "w" ? "[ \\\\t\\\\u00a0]+" : code === "t" ? "\\\\t" : code === "s" ? "\\\\u00a0" : "";
    }
    return new RegExp(source, "g");
  }
  function search(s, e, text) {
    var found = [];
    var re = pattern(text);
    for (var i = idx(s.p); i <= idx(e.p); i++) {
      var p = P[i];
      var from = i === idx(s.p) ? s.o : 0;
      var to = i === idx(e.p) ? e.o : p.text.length;
      re.lastIndex = from;
      for (var m = re.exec(p.text); m && m.index + m[0].length <= to; m = re.exec(p.text)) {
        found.push(range(pt(p, m.index), pt(p, m.index + m[0].length)));
        if (!m[0].length) re.lastIndex++;
      }
    }
    return found;
  }
  /** Deletes s..e; returns the point where it was. */
  function remove(s, e) {
    if (s.p === e.p) { s.p.text = s.p.text.slice(0, s.o) + s.p.text.slice(e.o); return pt(s.p, s.o); }
    s.p.text = s.p.text.slice(0, s.o) + e.p.text.slice(e.o);
    P.splice(idx(s.p) + 1, idx(e.p) - idx(s.p));
    return pt(s.p, s.o);
  }
  /** Inserts lines at a point (the first into its paragraph, the rest as new paragraphs); returns the inserted range. */
  function insertAt(at, lines) {
    var p = at.p, tail = p.text.slice(at.o);
    p.text = p.text.slice(0, at.o) + lines[0];
    mark(p);
    var last = p;
    for (var i = 1; i < lines.length; i++) {
      var added = mark(para(lines[i], "Normal"));
      added.control = p.control;
      P.splice(idx(last) + 1, 0, added);
      last = added;
    }
    var end = pt(last, last.text.length);
    last.text += tail;
    return range(at, end);
  }
  function place(s, e, lines, loc) {
    if (loc === "Replace") return insertAt(remove(s, e), lines);
    return insertAt(loc === "Start" || loc === "Before" ? s : e, lines);
  }
  function nullObject() { return { isNullObject: true, load: function () { return this; } }; }
  function collection(items) { return { items: items, load: function () { return this; }, getFirst: function () { return items[0]; } }; }
  function range(s, e) {
    var r = {
      _s: s, _e: e, isNullObject: false,
      get text() { return textBetween(s, e); },
      load: function () { return r; },
      get paragraphs() { return collection(P.slice(idx(s.p), idx(e.p) + 1).map(paragraph)); },
      getRange: function (loc) { return loc === "Start" ? range(s, s) : loc === "End" ? range(e, e) : range(s, e); },
      expandTo: function (o) { return range(cmp(o._s, s) < 0 ? o._s : s, cmp(o._e, e) > 0 ? o._e : e); },
      select: function (how) { selection = how === "End" ? { s: e, e: e } : how === "Start" ? { s: s, e: s } : { s: s, e: e }; moved(); },
      search: function (text) { return collection(search(s, e, text)); },
      insertText: function (text, loc) { return place(s, e, text.split("\\n"), loc); },
      insertHtml: function (html, loc) { return place(s, e, htmlLines(html), loc); },
      insertParagraph: function (text, loc) { return paragraph(s.p).insertParagraph(text, loc === "Before" ? "Before" : "After"); },
      insertFootnote: function (t) { e.p.footnotes.push(t); },
      insertComment: function (t) { s.p.comments.push(t); },
      insertContentControl: function () { var c = { tag: "", title: "" }; P.slice(idx(s.p), idx(e.p) + 1).forEach(function (p) { p.control = c; }); return control(c); },
      get parentContentControlOrNullObject() { return s.p.control ? control(s.p.control) : nullObject(); },
    };
    return r;
  }
  function paragraph(p) {
    var heading = function () { return /^Heading([1-9])$/.exec(p.style); };
    return {
      isNullObject: false,
      get text() { return p.text; },
      get style() { var h = heading(); return h ? "Heading " + h[1] : p.style; },
      get styleBuiltIn() { return p.style; },
      set styleBuiltIn(v) { p.style = v; },
      get outlineLevel() { var h = heading(); return h ? Number(h[1]) : 10; },
      isListItem: false,
      load: function () { return this; },
      getRange: function (loc) { return loc === "Start" ? range(pt(p, 0), pt(p, 0)) : loc === "End" ? range(pt(p, p.text.length), pt(p, p.text.length)) : range(pt(p, 0), pt(p, p.text.length)); },
      insertParagraph: function (text, loc) { var added = mark(para(text, "Normal")); P.splice(idx(p) + (loc === "Before" ? 0 : 1), 0, added); return paragraph(added); },
      insertContentControl: function () { var c = { tag: "", title: "" }; p.control = c; return control(c); },
      select: function () { selection = { s: pt(p, 0), e: pt(p, p.text.length) }; moved(); },
    };
  }
  function control(c) {
    var inside = function () { return P.filter(function (p) { return p.control === c; }); };
    var whole = function () { var ps = inside(); return range(pt(ps[0], 0), pt(ps[ps.length - 1], ps[ps.length - 1].text.length)); };
    var replace = function (lines) {
      var ps = inside(), at = idx(ps[0]);
      P.splice(at, ps.length);
      lines.forEach(function (line, i) { var added = mark(para(line, "Normal")); added.control = c; P.splice(at + i, 0, added); });
    };
    return {
      isNullObject: false,
      get tag() { return c.tag; }, set tag(v) { c.tag = v; },
      get title() { return c.title; }, set title(v) { c.title = v; },
      set appearance(v) { c.appearance = v; },
      load: function () { return this; },
      insertHtml: function (html) { replace(htmlLines(html)); return whole(); },
      insertText: function (text) { replace(text.split("\\n")); return whole(); },
      search: function (text) { return whole().search(text); },
      getRange: function (loc) { return whole().getRange(loc); },
      select: function (how) { whole().select(how); },
    };
  }
  var documentObject = {
    getSelection: function () { return range(selection.s, selection.e); },
    body: {
      get paragraphs() { return collection(P.map(paragraph)); },
      getRange: function (loc) { var last = P[P.length - 1]; return range(pt(P[0], 0), pt(last, last.text.length)).getRange(loc); },
      search: function (text) { return this.getRange("Whole").search(text); },
    },
    get contentControls() {
      var seen = [];
      P.forEach(function (p) { if (p.control && seen.indexOf(p.control) < 0) seen.push(p.control); });
      return collection(seen.map(control));
    },
    get changeTrackingMode() { return doc.tracking; },
    set changeTrackingMode(mode) { doc.tracking = mode; doc.trackingSets.push(mode); },
    load: function () { return this; },
    properties: { customProperties: { getItemOrNullObject: function () { return nullObject(); } } },
  };
  var context = { document: documentObject, sync: function () { return Promise.resolve(); } };
  window.Word = { run: function (batch) { return Promise.resolve().then(function () { return batch(context); }); } };
  /** DocumentSelectionChanged, as Word sends it after any move (Sidecar's own too), a moment later. */
  function moved() {
    setTimeout(function () {
      (window.__wordStub ? window.__wordStub.handlers : []).forEach(function (handler) { handler({ type: "documentSelectionChanged" }); });
    }, 0);
  }
  doc.select = function (paragraph, from, to) {
    var p = P[paragraph];
    selection = { s: pt(p, from === undefined ? 0 : from), e: pt(p, to === undefined ? p.text.length : to) };
    moved();
  };
  doc.selectedText = function () { return textBetween(selection.s, selection.e); };
})();
`;
}
