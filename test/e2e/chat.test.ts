// Chat end to end in headless Chromium against the real local server: ask about an uploaded
// fixture, watch the answer stream in with a working citation; readable links and hint in the dark
// theme (axe); Insert at cursor puts the content and a Sources list into the document, and the
// follow-ups name topics; HTML in an answer stays inert; Stop keeps the partial answer; a cut
// stream offers Retry.
import { Document, Packer, Paragraph, HeadingLevel } from "docx";
import type { Locator, Page } from "playwright-core";
import { newContext } from "../support/browser";
import { askAndWait, openAndUpload, signIn, useServerAndBrowser, expectAnnounced } from "../support/e2e";

jest.setTimeout(120_000);

const env = useServerAndBrowser({ SIDECAR_CHAT_DELTA_DELAY_MS: "25" });

async function signInWithDocument(page: Page, file: Parameters<typeof openAndUpload>[1]) {
  await signIn(page, env.server.url);
  await openAndUpload(page, file);
  await page.getByRole("tab", { name: "Chat" }).click();
}

test("a grounded, streamed answer about the open document, with a citation that opens its section", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signInWithDocument(page, "openxml-sdk-nutrition-report.docx");
  const composer = page.getByLabel(/ask the agent/i);
  await composer.fill("What share of people under 65 died because of cancer?");
  await composer.press("Enter");
  const answer = page.getByRole("article", { name: "Answer" }).last();
  // While streaming, Stop is offered; at the end the answer has its actions.
  await page.getByRole("button", { name: "Stop" }).waitFor();
  await answer.getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  expect(await answer.getByTestId("answer-text").textContent()).toMatch(/cancer/i);
  const citation = answer.getByRole("link", { name: /^Source \d+$/ }).first();
  await citation.click();
  await page.getByRole("tab", { name: "Sources", selected: true }).waitFor();
  await page.getByRole("combobox", { name: "Section" }).waitFor();
  await context.close();
});

type AxeNode = { html: string; failureSummary?: string };
type AxeResult = { violations: Array<{ nodes: AxeNode[] }>; incomplete: Array<{ nodes: AxeNode[] }>; passes: Array<{ nodes: AxeNode[] }> };

/**
 * axe's color-contrast rule on one element, scrolled into view first: axe leaves out what its
 * scroller has scrolled away, and a check of nothing would pass. What it measured and passed,
 * what it could not decide, and what failed.
 */
async function contrastOf(target: Locator): Promise<{ passed: number; undecided: string[]; failing: string[] }> {
  await target.scrollIntoViewIfNeeded();
  return target.evaluate(async (element) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResult> } }).axe;
    const result = await axe.run(element, { runOnly: { type: "rule", values: ["color-contrast"] } });
    const describe = (groups: Array<{ nodes: AxeNode[] }>) => groups.flatMap((group) => group.nodes.map((node) => `${node.html.slice(0, 80)}: ${node.failureSummary ?? ""}`));
    return { passed: result.passes.flatMap((group) => group.nodes).length, undecided: describe(result.incomplete), failing: describe(result.violations) };
  });
}

test("in the dark theme the answer's citation links, its source list and the composer's hint pass axe's color-contrast check", async () => {
  const context = await newContext(env.browser, { colorScheme: "dark", injectsScripts: true });
  const page = await context.newPage();
  await signInWithDocument(page, "openxml-sdk-nutrition-report.docx");
  const answer = await askAndWait(page, "What share of people under 65 died because of cancer?");
  // The pane really is dark (the check would mean little on the light theme).
  const background = await page.evaluate(() => getComputedStyle(document.querySelector(".fui-FluentProvider") as Element).backgroundColor);
  expect(background).not.toBe("rgb(255, 255, 255)");
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const targets: Array<[string, Locator]> = [
    ["a citation in the answer", answer.getByTestId("answer-text").getByRole("link", { name: /^Source \d+$/ }).first()],
    ["the answer's source list", answer.getByRole("list", { name: "Sources of this answer" }).getByRole("button").first()],
    ["the composer's hint", page.getByText("Enter sends · Shift+Enter adds a line · Esc stops")],
  ];
  const results = [];
  for (const [what, target] of targets) {
    const contrast = await contrastOf(target);
    results.push({ what, measured: contrast.passed > 0, undecided: contrast.undecided, failing: contrast.failing });
  }
  expect(results).toEqual(targets.map(([what]) => ({ what, measured: true, undecided: [], failing: [] })));
  // Nor does anything else the pane shows with the answer in view.
  await answer.scrollIntoViewIfNeeded();
  expect((await contrastOf(page.locator("main"))).failing).toEqual([]);
  await context.close();
});

test("Insert at cursor puts the answer's content and a Sources list (document and section per cited number) into the document; follow-ups name topics", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signInWithDocument(page, "openxml-sdk-nutrition-report.docx");
  const composer = page.getByLabel(/ask the agent/i);
  await composer.fill("Which nutrition problems does the WHO see in Europe?");
  await composer.press("Enter");
  const answer = page.getByRole("article", { name: "Answer" }).last();
  await answer.getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  // The chat's source list, by number.
  const listed = new Map(
    await answer
      .getByRole("list", { name: "Sources of this answer" })
      .evaluate((list) => Array.from(list.querySelectorAll("li")).map((item) => [(item as HTMLLIElement).value, (item.textContent ?? "").trim()] as const)),
  );
  await answer.getByRole("button", { name: "Insert at cursor" }).click();
  await answer.getByText("Inserted at the cursor.").waitFor();

  const inserted = await page.getByTestId("document-preview").evaluate((preview) =>
    Array.from(preview.querySelectorAll("[data-sidecar-inserted]")).map((block) => (block.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
  const heading = inserted.indexOf("Sources");
  expect(heading).toBeGreaterThan(0);
  const content = inserted.slice(0, heading).join("\n");
  // Only the answer's content: no lead-in, citations as [n].
  expect(content).not.toMatch(/^(Here is|Here are)|says about this|main points of/);
  expect(content).toMatch(/\[1\]/);
  // One line per cited number, naming the document and the section (as the chat's source list does).
  const cited = [...new Set([...content.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])))].sort((a, b) => a - b);
  expect(inserted.slice(heading + 1)).toEqual(cited.map((n) => `[${n}] ${listed.get(n)}`));
  for (const line of inserted.slice(heading + 1)) expect(line).toMatch(/^\[\d+\] openxml-sdk-nutrition-report\.docx — \S/);

  // The follow-ups offered name a section or a topic of several words.
  const followups = await answer.getByRole("group", { name: "Follow-up questions" }).getByRole("button").allTextContents();
  expect(followups.length).toBeGreaterThan(0);
  for (const followup of followups) expect(followup).toMatch(/^What does the section “.+” say\?$|^What else do the documents say about \S+( \S+)+\?$/);
  await context.close();
});

test("HTML inside an answer renders as inert text", async () => {
  const evil = 'The attacker wrote <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> into the minutes.';
  const doc = new Document({
    sections: [{ children: [new Paragraph({ text: "Minutes", heading: HeadingLevel.HEADING_1 }), new Paragraph(evil), new Paragraph("The attacker was not invited again.")] }],
  });
  const buffer = await Packer.toBuffer(doc);
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signInWithDocument(page, { name: "Minutes.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer });
  const answer = await askAndWait(page, "What did the attacker write into the minutes?");
  const text = answer.getByTestId("answer-text");
  expect(await text.textContent()).toContain("<img src=x onerror=");
  expect(await text.locator("img, script").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await context.close();
});

test("Stop keeps the partial answer; a cut stream offers Retry, which does not repeat the question", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signInWithDocument(page, "openxml-sdk-nutrition-report.docx");
  const composer = page.getByLabel(/ask the agent/i);
  await composer.fill("Summarise this document");
  await composer.press("Enter");
  const first = page.getByRole("article", { name: "Answer" }).last();
  // Wait for the first words of the answer itself (not the "Thinking…" spinner).
  await page.waitForFunction(() => {
    const answers = document.querySelectorAll('[data-testid="answer-text"]');
    const text = answers[answers.length - 1]?.textContent ?? "";
    return text.length > 10 && !text.includes("Thinking");
  });
  await page.keyboard.press("Escape");
  await first.getByText("Stopped.").waitFor();
  const partial = (await first.getByTestId("answer-text").textContent()) ?? "";
  expect(partial.length).toBeGreaterThan(0);

  // The next answer's stream is cut after its first bytes.
  let cut = true;
  await page.route("**/responses/stream", async (route) => {
    if (!cut) return route.continue();
    cut = false;
    const response = await route.fetch();
    const body = (await response.text()).split("\n\n").slice(0, 3).join("\n\n") + "\n\n";
    await route.fulfill({ status: 200, headers: { "content-type": "text/event-stream" }, body });
  });
  await composer.fill("What are the key findings?");
  await composer.press("Enter");
  const second = page.getByRole("article", { name: "Answer" }).last();
  await second.getByRole("alert").getByText(/interrupted/i).waitFor({ timeout: 30_000 });
  await second.getByRole("button", { name: "Retry" }).click();
  await second.getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  // Stopped, broken off, then ready after Retry: each said to a screen reader, in order.
  await expectAnnounced(page, [/^Answer stopped\.$/, /^The answer broke off: /, /^(New )?[Aa]nswer ready\.$/]);
  expect(await page.getByLabel("Your question").count()).toBe(2);
  expect(await page.getByRole("article", { name: "Answer" }).count()).toBe(2);
  await context.close();
});
