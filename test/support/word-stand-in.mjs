// The stand-in Word host: a script appended to the real office.js (served as built, in headless
// Chromium) that makes Office report a Word host whose document hands out a .docx in slices through
// getFileAsync / getSliceAsync / closeAsync, keeps settings in memory and accepts handlers.
// Used by test/e2e/word-host.test.ts (bytes embedded) and bench/read20mb.mjs (bytes fetched).
// Plain ES module so the benchmarks (plain Node) can import it; types in word-stand-in.d.mts.
//
// In the page, window.__wordStub records what the pane did:
//   slicesRead (indexes, in order), closeCalls, requestedSliceSize (the sliceSize the pane asked
//   for), settings (key → value), saved (settings.saveAsync calls), handlers (the event handlers
//   the pane added: word-document-stand-in.mjs calls them when the selection moves), and times.getFile /
//   times.lastSlice (performance.now() at the getFileAsync call / as the last slice is handed over).
// window.__wordStubReady resolves to the document's length once its bytes are in the page.

/**
 * @param {object} options
 * @param {{ base64: string } | { url: string }} options.bytes the document: embedded, or fetched from a URL when the script runs
 * @param {string} options.documentName the file name Office.context.document.url ends with
 * @param {"copy" | "view" | "array"} [options.sliceData] slice data as a fresh Uint8Array per slice (default), a view of one buffer, or number[] as Word desktop gives
 * @param {number} [options.sliceCount] always hand out this many slices, whatever slice size the pane asks for
 * @param {number} [options.sliceSize] slice size when the pane asks for none (and sliceCount is not set); 4 MB by default
 * @param {number} [options.delayMs] delay before each getFileAsync / getSliceAsync answer; 0 by default
 * @param {string} [options.displayLanguage] Office.context.displayLanguage, Word's language ("en-US" by default)
 * @returns {string} the script
 */
export function wordStandIn({ bytes, documentName, sliceData = "copy", sliceCount, sliceSize = 4 * 1024 * 1024, delayMs = 0, displayLanguage = "en-US" }) {
  if (!["copy", "view", "array"].includes(sliceData)) throw new Error(`sliceData must be copy, view or array, not ${sliceData}`);
  const source = "base64" in bytes ? { base64: bytes.base64 } : { url: bytes.url };
  const config = {
    source,
    documentUrl: `https://contoso.sharepoint.com/sites/team/Shared%20Documents/${encodeURIComponent(documentName)}?web=1`,
    sliceData,
    sliceCount: sliceCount ?? null,
    sliceSize,
    delayMs,
    displayLanguage,
  };
  return `
;(function () {
  var config = ${JSON.stringify(config)};
  var stub = window.__wordStub = { slicesRead: [], closeCalls: 0, requestedSliceSize: 0, settings: {}, saved: 0, times: {}, handlers: [] };
  var bytes = null;
  if (config.source.base64 !== undefined) {
    bytes = Uint8Array.from(atob(config.source.base64), function (c) { return c.charCodeAt(0); });
    window.__wordStubReady = Promise.resolve(bytes.length);
  } else {
    window.__wordStubReady = fetch(config.source.url)
      .then(function (r) { return r.arrayBuffer(); })
      .then(function (b) { bytes = new Uint8Array(b); return b.byteLength; });
  }
  var later = function (fn) { setTimeout(fn, config.delayMs); };
  Office.FileType = Office.FileType || { Compressed: "compressed", Text: "text", Pdf: "pdf" };
  Office.AsyncResultStatus = Office.AsyncResultStatus || { Succeeded: "succeeded", Failed: "failed" };
  Office.EventType = Office.EventType || {};
  Office.EventType.DocumentSelectionChanged = Office.EventType.DocumentSelectionChanged || "documentSelectionChanged";
  var ok = function (value) { return { status: Office.AsyncResultStatus.Succeeded, value: value }; };
  var openFile = function (requested, callback) {
    var sliceSize = config.sliceCount ? Math.ceil(bytes.length / config.sliceCount) : requested || config.sliceSize;
    var count = config.sliceCount || Math.ceil(bytes.length / sliceSize);
    later(function () {
      callback(ok({
        size: bytes.length,
        sliceCount: count,
        getSliceAsync: function (index, cb) {
          later(function () {
            stub.slicesRead.push(index);
            var data = config.sliceData === "view"
              ? bytes.subarray(index * sliceSize, (index + 1) * sliceSize)
              : bytes.slice(index * sliceSize, (index + 1) * sliceSize);
            if (config.sliceData === "array") data = Array.prototype.slice.call(data);
            stub.times.lastSlice = performance.now();
            cb(ok({ index: index, size: data.length, data: data }));
          });
        },
        closeAsync: function (cb) { stub.closeCalls += 1; if (cb) cb(ok()); },
      }));
    });
  };
  var documentStub = {
    url: config.documentUrl,
    getFileAsync: function (type, options, callback) {
      stub.times.getFile = performance.now();
      stub.requestedSliceSize = options && options.sliceSize;
      var requested = options && options.sliceSize;
      if (bytes) openFile(requested, callback);
      else window.__wordStubReady.then(function () { openFile(requested, callback); });
    },
    addHandlerAsync: function (type, handler, options, cb) { stub.handlers.push(handler); var done = typeof options === "function" ? options : cb; if (done) done(ok()); },
    removeHandlerAsync: function (type, options, cb) { var done = typeof options === "function" ? options : cb; if (done) done(ok()); },
    settings: {
      get: function (key) { return stub.settings[key] === undefined ? null : stub.settings[key]; },
      set: function (key, value) { stub.settings[key] = value; },
      remove: function (key) { delete stub.settings[key]; },
      saveAsync: function (options, cb) { stub.saved += 1; var done = typeof options === "function" ? options : cb; if (done) done(ok()); },
    },
  };
  // office.js sets Office.context up while it initialises: let the real onReady finish first,
  // then put the stand-in document in place and answer as Word would.
  var define = function (name, value) {
    try { Object.defineProperty(Office.context, name, { value: value, configurable: true, writable: true }); } catch (e) { Office.context[name] = value; }
  };
  var realOnReady = Office.onReady.bind(Office);
  var info = { host: Office.HostType.Word, platform: "PC" };
  Office.onReady = function (callback) {
    return realOnReady().then(function () {
      define("document", documentStub);
      define("requirements", { isSetSupported: function () { return true; } });
      define("displayLanguage", config.displayLanguage);
      define("officeTheme", { bodyBackgroundColor: "#ffffff" });
      if (callback) callback(info);
      return info;
    });
  };
})();
`;
}
