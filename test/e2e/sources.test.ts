// Sources end to end in headless Chromium against the real local server: generate from a
// fixture, open the result, select a sentence in the preview and see the panel switch to its
// section and list the passages it was written from.
import { newContext } from "../support/browser";
import { askAndWait, openAndUpload, signIn, useServerAndBrowser } from "../support/e2e";

jest.setTimeout(120_000);

const env = useServerAndBrowser();

test("select a sentence of a generated document and see its section's sources", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");

  await page.getByRole("tab", { name: "Generate" }).click();
  await page.getByRole("checkbox", { name: "openxml-sdk-nutrition-report.docx (this document)" }).waitFor();
  await page.getByLabel("Name of the new document").fill("Sourced summary");
  await page.getByRole("button", { name: "Generate" }).click();
  const card = page.getByRole("group", { name: "Generation Sourced summary" });
  await card.getByRole("button", { name: "Open in preview" }).click({ timeout: 30_000 });
  await card.getByText("Opened in the preview.").waitFor();

  await page.getByRole("tab", { name: "Sources" }).click();
  const dropdown = page.getByRole("combobox", { name: "Section" });
  await dropdown.waitFor();
  // The dropdown lists the generated document's sections in document order.
  await dropdown.click();
  const options = await page.getByRole("option").allTextContents();
  expect(options.slice(0, 3)).toEqual(["Background", "Objectives", "Methods"]);
  await page.keyboard.press("Escape");

  // Select a sentence under "Objectives" in the preview, as a person would (triple-click a paragraph).
  const paragraph = page.getByTestId("document-preview").locator('h1:has-text("Objectives") + p');
  const sentence = (await paragraph.textContent())!.trim();
  expect(sentence.length).toBeGreaterThan(10);
  await paragraph.click({ clickCount: 3 });
  await page.getByRole("heading", { name: "Sources for the selected text" }).waitFor();
  expect(await dropdown.textContent()).toContain("Objectives");
  const firstSource = page.getByRole("group", { name: /^Source 1: / });
  await firstSource.waitFor();
  expect(await firstSource.textContent()).toContain("openxml-sdk-nutrition-report.docx");

  // One sentence of the last paragraph of the section written from the most passages (each
  // passage gives a paragraph): the passage it was written from comes first (the server recorded
  // it, sentence by sentence), and the panel says so.
  const sentenceOfLast = await page.evaluate(() => {
    const preview = document.querySelector('[data-testid="document-preview"]')!;
    const sections = [...preview.querySelectorAll("h1")].map((heading) => {
      const paragraphs: Element[] = [];
      for (let next = heading.nextElementSibling; next && next.tagName !== "H1"; next = next.nextElementSibling) {
        if (next.tagName === "P" && (next.textContent ?? "").trim()) paragraphs.push(next);
      }
      return paragraphs;
    });
    const paragraphs = sections.reduce((most, next) => (next.length > most.length ? next : most));
    const text = paragraphs[paragraphs.length - 1]!.firstChild as Text;
    const end = text.data.search(/[.!?]\s/) + 1 || text.data.length;
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(text, end);
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return range.toString();
  });
  const best = page.getByRole("region", { name: "Written from" });
  // The generated sentence is the passage's own, tidied (first letter, closing stop): its inner
  // words are there. (The paragraph selected before had its passage shown here too: wait for this one.)
  const inner = sentenceOfLast.replace(/\s+/g, " ").trim().split(" ").slice(1, -1).join(" ");
  expect(inner.length).toBeGreaterThan(10);
  await best.locator("blockquote").filter({ hasText: inner }).first().waitFor();
  expect(await best.locator("blockquote").count()).toBe(1);
  await page.getByRole("region", { name: "Other sources of this section" }).waitFor();

  // Choosing a section moves the document's selection to its heading.
  await dropdown.click();
  await page.getByRole("option", { name: "Methods" }).click();
  await page.getByRole("heading", { name: "Sources for this section" }).waitFor();
  const selected = await page.evaluate(() => window.getSelection()?.toString().trim());
  expect(selected).toBe("Methods");
  await context.close();
});

test("a citation in an answer about an uploaded document lands on the cited passage, which can be shown in context and selected in the document", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");
  await page.getByRole("tab", { name: "Chat" }).click();
  const answer = await askAndWait(page, "What share of people under 65 died because of cancer?");
  await answer.getByRole("link", { name: "Source 1" }).first().click();

  await page.getByRole("tab", { name: "Sources", selected: true }).waitFor();
  await page.getByRole("heading", { name: "Cited passage [1]" }).waitFor();
  const card = page.getByRole("group", { name: "Source 1: openxml-sdk-nutrition-report.docx" });
  const quoted = ((await card.locator("blockquote").textContent()) ?? "").trim();
  expect(quoted).toMatch(/cancer/i);
  // The passage is text of the open document, not a placeholder.
  const documentText = ((await page.getByTestId("document-preview").textContent()) ?? "").replace(/\s+/g, " ");
  expect(documentText).toContain(quoted.replace(/\s+/g, " ").slice(0, 60));
  expect(await page.getByText("No sources are recorded for this section.", { exact: false }).count()).toBe(0);

  await card.getByRole("button", { name: "Show in context" }).click();
  await card.getByLabel("Passage in context").waitFor();

  await page.getByRole("button", { name: "Select in document" }).click();
  await page.getByText("Selected in the document.").waitFor();
  const selected = await page.evaluate(() => window.getSelection()?.toString().replace(/\s+/g, " ").trim() ?? "");
  expect(selected.length).toBeGreaterThan(20);
  expect(quoted.replace(/\s+/g, " ")).toContain(selected.slice(0, 40));
  await context.close();
});

test("a cited passage that is a piece of a long paragraph is shown and selected exactly in the preview", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");
  await page.getByRole("tab", { name: "Chat" }).click();
  const composer = page.getByLabel(/ask the agent/i);
  // The server cuts the report's long paragraph 36 into three passages; this one starts mid-paragraph.
  await composer.fill("What did the researchers gain by means of categories like low fruit and vegetable consumption?");
  await composer.press("Enter");
  const answer = page.getByRole("article", { name: "Answer" }).last();
  await answer.getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  await answer.getByRole("link", { name: "Source 1" }).first().click();

  const cited = page.getByRole("region", { name: "Cited passage [1]" });
  await cited.waitFor();
  const quoted = ((await cited.locator("blockquote").textContent()) ?? "").replace(/\s+/g, " ").trim();
  expect(quoted.startsWith("By means of categories, like low fruit and vegetable consumption")).toBe(true);
  await cited.getByRole("button", { name: "Select in document" }).click();
  await cited.getByText("Selected in the document.").waitFor();
  // Exactly the passage: not the whole paragraph it is a piece of, and not "isn't in the document".
  const selected = await page.evaluate(() => window.getSelection()?.toString().replace(/\s+/g, " ").trim() ?? "");
  expect(selected.replace(/\u00ad/g, "")).toBe(quoted);
  await context.close();
});

test("a heading that is a whole paragraph (the report's title block) is a short section name, whole on hover and for screen readers", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");
  await page.getByRole("tab", { name: "Sources" }).click();
  const dropdown = page.getByRole("combobox", { name: "Section" });
  await dropdown.click();
  const whole =
    "5. EUROPEAN HEALTH FORUM GASTEIN – on the Future of Health in Europe 25 to 28 September 2002 Parallelforum IV: Health Determinants – Nutrition and Food Policy";
  const option = page.getByRole("option", { name: whole, exact: true });
  const shown = ((await option.textContent()) ?? "").trim();
  expect(shown.endsWith("…")).toBe(true);
  expect(shown.length).toBeLessThanOrEqual(48);
  expect(whole.startsWith(shown.slice(0, -1))).toBe(true);
  expect(await option.getAttribute("title")).toBe(whole);
  // Short headings are shown whole.
  expect(await page.getByRole("option", { name: "The West-East Divide", exact: true }).textContent()).toBe("The West-East Divide");
  await option.click();
  expect(((await dropdown.textContent()) ?? "").trim()).toBe(shown);
  expect(await dropdown.getAttribute("title")).toBe(whole);
  await context.close();
});
