// Figure group "scale" (issue 17): the server's costs on long documents, with documents it builds
// itself (the `docx` package: ~450 words a page in four paragraphs, a Heading 1 every two pages,
// words drawn from a 3,000-word vocabulary so that search has real work to do). Fresh server per
// document size. Figures:
//
//   - chat first delta grounded on a 2,000-page document: the first question after upload, and a
//     second one (warm); the growth exponent of the warm figure from 500 to 2,000 pages;
//   - Generate → Ready with the 2,000-page document as the only source;
//   - the longest wait of a cheap route (GET /api/v1/templates/) probed every 20 ms while the
//     2,000-page document is uploaded, outlined and generated from (and, printed without a target,
//     the same while chat questions about it are answered: their search runs on the main thread);
//   - server RSS growth after uploading and using the 2,000-page document (3 s later, settled);
//   - get-sources-for-selected-text p99 (autocannon, 10 connections, 8 s) while 10 clients keep
//     asking chat questions grounded on a 500-page document (each waits 0.5 s after an answer)
//     and one more generates documents from it, one after another;
//   - the browser tab (Chromium): a 500-page document's preview, first content on screen; the
//     Sources dropdown of a 550-section document, open;
//   - tagging in an organization of 1,000 small documents: one document the first time, and the
//     time per document of 50-document jobs (median of three) at 3,000 documents ÷ the same at 1,000.
//
//   node bench/scale.mjs        (every figure)
//   node bench/scale.mjs pane   (the browser-tab figures only)
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import autocannon from "autocannon";
import { call, ensureBuild, figure, launchBrowser, login, median, newContext, round, runAlone, signIn, sleep, startGeneration, startServer, upload, waitReady, ROOT } from "./lib.mjs";

const require = createRequire(import.meta.url);
const cache = path.join(ROOT, "bench-results", "docs");

function vocabulary(size = 3000) {
  const syllables = "ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo".split(" ");
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const words = new Set();
  while (words.size < size) words.add(Array.from({ length: 2 + (next() % 3) }, () => syllables[next() % syllables.length]).join(""));
  return [...words];
}

/** A document of `pages` pages, built once and cached under bench-results/docs. */
export async function pagesDocx(pages) {
  const file = path.join(cache, `pages-${pages}.docx`);
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const { Document, HeadingLevel, Packer, Paragraph } = require(path.join(ROOT, "node_modules/docx"));
  const words = vocabulary();
  let seed = 5;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  // Zipf-like: common words often, rare words seldom.
  const word = () => words[Math.floor(words.length * Math.pow((next() % 10000) / 10000, 2.5))];
  const sentence = () => {
    const n = 10 + (next() % 14);
    return `${Array.from({ length: n }, word).join(" ").replace(/^./, (c) => c.toUpperCase())}.`;
  };
  const paragraph = () => {
    let text = "";
    while (text.split(" ").length < 110) text += `${sentence()} `;
    return text.trim();
  };
  const children = [new Paragraph({ text: `A ${pages}-page report`, heading: HeadingLevel.TITLE })];
  for (let page = 0; page < pages; page++) {
    if (page % 2 === 0) children.push(new Paragraph({ text: `Chapter ${page / 2 + 1}: ${word()} ${word()}`, heading: HeadingLevel.HEADING_1 }));
    for (let p = 0; p < 4; p++) children.push(new Paragraph({ text: paragraph() }));
  }
  const bytes = await Packer.toBuffer(new Document({ sections: [{ children }] }));
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes;
}

/** Milliseconds from sending a question to the first piece of its answer (SSE assistant_stream). */
async function firstDelta(url, token, question, documentId) {
  const started = performance.now();
  const response = await fetch(`${url}/response-service/api/v2/agents/1/responses/stream`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ user_query: question, chat_thread_id: null, query_source: "bench", history: [], overrides: { document_ids: [documentId] } }),
  });
  if (!response.ok) throw new Error(`chat answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let at = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    if (at === null && buffer.includes('"step":"assistant_stream"')) at = performance.now() - started;
    if (buffer.includes('"step":"end"') || buffer.includes('"step":"error"')) break;
  }
  await reader.cancel().catch(() => undefined);
  if (at === null) throw new Error(`no answer piece: ${buffer.slice(0, 300)}`);
  return at;
}

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** Probes a cheap route every 20 ms until stopped; the longest wait seen in each step (by the step it began in). */
function probe(url, token) {
  let stop = false;
  const state = { step: "start" };
  const done = (async () => {
    const longest = {};
    while (!stop) {
      const t = performance.now();
      const step = state.step;
      await call(url, "/api/v1/templates/", { token, method: "GET" });
      const waited = performance.now() - t;
      longest[step] = Math.max(longest[step] ?? 0, waited);
      await sleep(20);
    }
    return longest;
  })();
  return { state, stop: () => ((stop = true), done) };
}

/** The longest of `steps`' waits, and the step it was in. */
function longestOf(waits, steps) {
  let longest = null;
  for (const step of steps) if (waits?.[step] !== undefined && (longest === null || waits[step] > longest.ms)) longest = { ms: waits[step], step };
  return longest;
}

async function measure(pages, { withProbe = false } = {}) {
  const bytes = await pagesDocx(pages);
  const server = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
  try {
    const token = await login(server.url);
    // Questions with words the document uses (its vocabulary), so retrieval has matches to rank.
    const words = vocabulary();
    const questions = [
      `What about ${words[3]} ${words[40]} and ${words[700]}?`,
      `Which parts mention ${words[12]} or ${words[1500]}?`,
      `Is ${words[90]} related to ${words[2200]}?`,
      `How does ${words[7]} affect ${words[350]}?`,
      `What is said of ${words[25]} ${words[999]}?`,
      `Where do ${words[60]} and ${words[1800]} appear?`,
      `Why ${words[5]} ${words[420]}?`,
    ];
    await sleep(300);
    const rssBefore = rssMb(server.pid);
    const probing = withProbe ? probe(server.url, token) : null;
    const step = (name) => probing && (probing.state.step = name);
    step("upload");
    const t0 = performance.now();
    const uploaded = await upload(server.url, token, bytes, `Report ${pages} pages.docx`);
    const uploadMs = performance.now() - t0;
    step("outline");
    const t1 = performance.now();
    await call(server.url, "/get-sections-for-document", { token, body: { document_id: uploaded.document_id } });
    const outlineMs = performance.now() - t1;
    step("first question");
    const cold = await firstDelta(server.url, token, questions[0], uploaded.document_id);
    step("more questions");
    const warm = [];
    for (const question of questions.slice(1)) warm.push(await firstDelta(server.url, token, question, uploaded.document_id));
    step("generation");
    const t2 = Date.now();
    const id = await startGeneration(server.url, token, [uploaded.s3_key], `From ${pages} pages`);
    const generationMs = (await waitReady(server.url, token, id, { everyMs: 20, timeoutMs: 300_000 })) - t2;
    const probed = probing ? await probing.stop() : null;
    // Settled: the document reader's worker ends after 2 s idle (its heap with it).
    await sleep(3000);
    const rssAfter = rssMb(server.pid);
    // The figure is the issue's: while the document is uploaded, outlined and generated from. The
    // chat questions in between are reported on their own (their search runs on the main thread).
    const documentWork = longestOf(probed, ["upload", "outline", "generation"]);
    const chatting = longestOf(probed, ["first question", "more questions"]);
    return {
      pages,
      bytes: bytes.length,
      uploadMs,
      outlineMs,
      cold,
      warm: median(warm),
      generationMs,
      longestProbeMs: documentWork?.ms ?? null,
      longestProbeDuring: documentWork?.step ?? null,
      longestChatProbeMs: chatting?.ms ?? null,
      longestChatProbeDuring: chatting?.step ?? null,
      rssGrowthMb: rssAfter - rssBefore,
    };
  } finally {
    await server.stop();
  }
}

/** Sources-panel latency (autocannon, 10 connections, 8 s) while 10 clients keep asking about a 500-page document. */
export async function sourcesUnderChats() {
  const bytes = await pagesDocx(500);
  const server = await startServer({ SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
  try {
    const token = await login(server.url);
    const doc = await upload(server.url, token, bytes, "Report 500 pages.docx");
    const { sections } = await call(server.url, "/get-sections-for-document", { token, body: { document_id: doc.document_id } });
    const words = vocabulary();
    let stop = false;
    let chats = 0;
    const chatting = Array.from({ length: 10 }, async (_, i) => {
      for (let n = 0; !stop; n++) {
        await firstDelta(server.url, token, `What about ${words[(i * 37 + n * 11) % 3000]} and ${words[(i * 13 + n * 7) % 500]}?`, doc.document_id);
        chats++;
        // A person reads the answer before asking again (half a second: ~20 questions a second in all).
        await sleep(500);
      }
    });
    // And generations from the same document, one after another.
    let generations = 0;
    const generating = (async () => {
      while (!stop) {
        const id = await startGeneration(server.url, token, [doc.s3_key], `Under load ${generations + 1}`);
        await waitReady(server.url, token, id, { everyMs: 100, timeoutMs: 120_000 });
        generations++;
      }
    })();
    await sleep(500);
    const result = await autocannon({
      url: `${server.url}/get-sources-for-selected-text`,
      method: "POST",
      connections: 10,
      duration: 8,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ document_id: doc.document_id, section_id: sections[Math.floor(sections.length / 2)].section_id }),
    });
    stop = true;
    await Promise.all([...chatting, generating]);
    return { p99: result.latency.p99, p50: result.latency.p50, requests: result.requests.total, errors: result.errors + result.non2xx, chats, generations };
  } finally {
    await server.stop();
  }
}

/** A document of `count` Heading 1 sections, each with a short paragraph, built once and cached. */
async function sectionsDocx(count) {
  const file = path.join(cache, `sections-${count}.docx`);
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const { Document, HeadingLevel, Packer, Paragraph } = require(path.join(ROOT, "node_modules/docx"));
  const words = vocabulary();
  const children = [];
  for (let i = 0; i < count; i++) {
    children.push(new Paragraph({ text: `${i + 1}. ${words[(i * 7) % 3000]} ${words[(i * 13 + 5) % 3000]}`, heading: HeadingLevel.HEADING_1 }));
    children.push(new Paragraph({ text: Array.from({ length: 40 }, (_, j) => words[(i * 31 + j * 17) % 3000]).join(" ") }));
  }
  const bytes = await Packer.toBuffer(new Document({ sections: [{ children }] }));
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes;
}

/**
 * The browser tab (Chromium, the production build): a 500-page document picked as the open
 * document, from the file input's change to its first paragraph painted, and to the whole
 * document in the preview; then a 550-section document uploaded and the Sources tab's Section
 * dropdown opened (click → options painted), 5 times, median.
 */
async function pane() {
  ensureBuild();
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signIn(page, server.url);
    const long = await pagesDocx(500);
    await page.evaluate(() => {
      const input = document.querySelector('input[type="file"]');
      const preview = document.querySelector('[data-testid="document-preview"]');
      const marks = (window.__previewMarks = {});
      input.addEventListener("change", () => (marks.picked = performance.now()), { capture: true });
      new MutationObserver(() => {
        if (marks.first === undefined && preview.querySelector("p")) requestAnimationFrame(() => (marks.first ??= performance.now()));
      }).observe(preview, { childList: true, subtree: true });
    });
    await page.getByLabel("Choose a Word document").setInputFiles({ name: "Report 500 pages.docx", mimeType: "application/octet-stream", buffer: long });
    await page.getByTestId("document-preview").locator("p").first().waitFor({ timeout: 60_000 });
    await page.getByText("the rest of the document is on its way").waitFor({ state: "detached", timeout: 120_000 });
    const whole = await page.evaluate(() => performance.now());
    const marks = await page.evaluate(() => window.__previewMarks);
    const previewFirstMs = marks.first - marks.picked;
    const previewWholeMs = whole - marks.picked;
    console.error(`[scale] preview: first ${Math.round(marks.first - marks.picked)} ms, whole ${Math.round(previewWholeMs)} ms`);
    const headings = await page.getByTestId("document-preview").locator("h1").count();

    // 550 sections: uploaded, then the dropdown opened.
    await page.getByLabel("Choose a Word document").setInputFiles({ name: "550 sections.docx", mimeType: "application/octet-stream", buffer: await sectionsDocx(550) });
    await page.getByRole("button", { name: "Upload this document" }).click();
    await page.getByText(/is in Sidecar\./).waitFor({ timeout: 60_000 });
    await page.getByRole("tab", { name: "Sources" }).click();
    const dropdown = page.getByRole("combobox", { name: "Section" });
    await dropdown.waitFor({ timeout: 30_000 });
    await page.getByLabel("Filter sections by title").waitFor();
    const opens = [];
    for (let i = 0; i < 5; i++) {
      opens.push(
        await dropdown.evaluate(
          (button) =>
            new Promise((resolve, reject) => {
              const started = performance.now();
              setTimeout(() => reject(new Error(`the Section dropdown did not open: ${document.querySelector('[role="listbox"]')?.outerHTML.slice(0, 200) ?? "no listbox"}`)), 10_000);
              // Open: a listbox on screen (Fluent may keep a hidden one in the page) with its options.
              const open = () => [...document.querySelectorAll('[role="listbox"]')].some((box) => box.getBoundingClientRect().height > 0 && box.querySelector('[role="option"]'));
              const observer = new MutationObserver(() => {
                if (!open()) return;
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - started));
              });
              observer.observe(document.body, { childList: true, subtree: true, attributes: true });
              button.focus();
              button.click();
            }),
        ),
      );
      await dropdown.press("Escape");
      await page.waitForFunction(() => ![...document.querySelectorAll('[role="listbox"]')].some((box) => box.getBoundingClientRect().height > 0));
    }
    const options = await (async () => {
      await dropdown.click();
      const count = await page.getByRole("option").count();
      await page.keyboard.press("Escape");
      return count;
    })();
    await context.close();
    return { previewFirstMs, previewWholeMs, headings, dropdownOpenMs: median(opens), dropdownOpenMaxMs: Math.max(...opens), options };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** `count` small documents (~200 words each, words from the same vocabulary), as .docx bytes. */
async function smallDocs(count, start = 0) {
  const { Document, Packer, Paragraph } = require(path.join(ROOT, "node_modules/docx"));
  const words = vocabulary();
  const out = [];
  for (let i = start; i < start + count; i++) {
    let seed = 1000 + i;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const text = Array.from({ length: 200 }, () => words[Math.floor(words.length * Math.pow((next() % 10000) / 10000, 2.5))]).join(" ");
    out.push(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ text: `${text}.` })] }] })));
  }
  return out;
}

/** Tags the documents in one batch job; milliseconds from start to completed. */
async function tagJob(url, token, documents) {
  const started = performance.now();
  const { job_id } = await call(url, "/api/batch/start", {
    token,
    body: { documents: documents.map((d, i) => ({ title: `Document ${i}`, file_path: d.s3_key, file_source_type: "s3" })), config: { num_tags: 5, num_pages: 2 } },
  });
  for (;;) {
    const status = await call(url, `/api/batch/jobs/${job_id}/status`, { token, method: "GET" });
    if (status.status === "completed") return performance.now() - started;
    if (status.status === "failed" || status.status === "cancelled") throw new Error(`tagging job ${status.status}`);
    await sleep(5);
  }
}

/** Tagging in an organization of 1,000 and then 3,000 small documents. */
async function tagging() {
  const server = await startServer({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: "0", SIDECAR_MAX_QUEUED_BATCHES: "100" });
  try {
    const token = await login(server.url);
    const uploaded = [];
    const add = async (count) => {
      for (const bytes of await smallDocs(count, uploaded.length)) uploaded.push(await upload(server.url, token, bytes, `Small ${uploaded.length}.docx`));
    };
    // Per document: the median of three 50-document jobs (different documents each time), taken
    // after the uploads have settled (a few milliseconds a document is easily swayed otherwise).
    const sample = 50;
    const perDocument = async (from) => {
      const times = [];
      for (let i = 0; i < 3; i++) times.push((await tagJob(server.url, token, uploaded.slice(from + i * sample, from + (i + 1) * sample))) / sample);
      return median(times);
    };
    await add(1000);
    await sleep(3000);
    const firstMs = await tagJob(server.url, token, [uploaded[0]]);
    const at1000 = await perDocument(1);
    await add(2000);
    await sleep(3000);
    const at3000 = await perDocument(1000);
    return { firstMs, at1000, at3000 };
  } finally {
    await server.stop();
  }
}

export async function run() {
  const small = await measure(500);
  const big = await measure(2000, { withProbe: true });
  const exponent = Math.log(big.warm / small.warm) / Math.log(4);
  const tags = await tagging();
  const sources = await sourcesUnderChats();
  const browserTab = await pane();
  const details = { small: roundAll(small), big: roundAll(big) };
  return [
    figure({ figure: "scale: chat first delta, 2,000 pages, warm", unit: "ms", measured: big.warm, target: 100, targetKind: "absolute", details }),
    figure({ figure: "scale: chat first delta, 2,000 pages, first question", unit: "ms", measured: big.cold, target: 400, targetKind: "absolute" }),
    { ...figure({ figure: "scale: warm first delta growth exponent 500 → 2,000 pages", unit: "", measured: round(exponent, 2), target: null }), target: "≤ 0.3", pass: exponent <= 0.3 },
    figure({ figure: "scale: Generate → Ready, 2,000-page source", unit: "ms", measured: big.generationMs, target: 1500, targetKind: "absolute" }),
    figure({ figure: "scale: longest 20 ms probe wait during upload, outline, generation", unit: "ms", measured: big.longestProbeMs, target: 50, targetKind: "absolute", details: { during: big.longestProbeDuring, uploadMs: round(big.uploadMs), outlineMs: round(big.outlineMs) } }),
    figure({ figure: "scale: longest 20 ms probe wait during chat questions (no target; printed to watch)", unit: "ms", measured: big.longestChatProbeMs, target: null, details: { during: big.longestChatProbeDuring } }),
    figure({ figure: "scale: server RSS growth, 2,000-page document", unit: "MB", measured: big.rssGrowthMb, target: 100, targetKind: "absolute" }),
    figure({ figure: "scale: Sources p99 while 10 chats and generations on a 500-page document run", unit: "ms", measured: sources.p99, target: 50, targetKind: "absolute", details: sources }),
    figure({ figure: "scale: browser-tab preview of a 500-page document, first content on screen", unit: "ms", measured: browserTab.previewFirstMs, target: 500, targetKind: "absolute", details: { wholeDocumentMs: round(browserTab.previewWholeMs), headings: browserTab.headings } }),
    figure({ figure: "scale: Sources dropdown of 550 sections, open (median of 5)", unit: "ms", measured: browserTab.dropdownOpenMs, target: 50, targetKind: "absolute", details: { slowestMs: round(browserTab.dropdownOpenMaxMs), optionsRendered: browserTab.options } }),
    figure({ figure: "scale: tag one document in an organization of 1,000, first time", unit: "ms", measured: tags.firstMs, target: 300, targetKind: "absolute" }),
    {
      ...figure({ figure: "scale: tagging time per document at 3,000 documents ÷ at 1,000", unit: "", measured: round(tags.at3000 / tags.at1000, 2), target: null, details: { at1000Ms: round(tags.at1000, 1), at3000Ms: round(tags.at3000, 1) } }),
      target: "≤ 1.3",
      pass: tags.at3000 / tags.at1000 <= 1.3,
    },
  ];
}

function roundAll(object) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, typeof value === "number" ? round(value) : value]));
}

runAlone(import.meta.url, process.argv[2] === "pane" ? async () => {
  const r = await pane();
  return [r];
} : run);
