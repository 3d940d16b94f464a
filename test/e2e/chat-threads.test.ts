// Conversations end to end in headless Chromium against the real local server, in Ejento's
// shapes: "Ground in this document" indexes the open document into a corpus (progress shown),
// then the answer cites it; the pane is reopened and the conversation continues in the same
// thread; the conversation is renamed and deleted from "Past conversations".
import type { Page } from "playwright-core";
import path from "node:path";
import { newContext } from "../support/browser";
import { signIn, useServerAndBrowser } from "../support/e2e";
import { fixturesDir } from "../support/fixtures";

jest.setTimeout(120_000);

// Indexing takes a visible moment, so that its progress can be seen.
const env = useServerAndBrowser({ SIDECAR_CHAT_DELTA_DELAY_MS: "5", SIDECAR_INDEXING_DELAY_MS: "800" });
const FIXTURE = "openxml-sdk-nutrition-report.docx";

async function openDocument(page: Page) {
  await page.getByLabel("Choose a Word document").setInputFiles(path.join(fixturesDir, FIXTURE));
  await page.getByRole("tab", { name: "Chat" }).click();
  // The document is open (its preview on screen) before anything is asked about it: until then
  // "Ground in this document" is off, and a question would be asked without it.
  await page.getByTestId("document-preview").locator("p").first().waitFor();
  expect(await page.getByRole("switch", { name: "Ground in this document" }).isChecked()).toBe(true);
}

async function ask(page: Page, question: string) {
  const composer = page.getByLabel(/ask the agent/i);
  await composer.fill(question);
  await composer.press("Enter");
}

async function pastConversations(page: Page) {
  await page.getByRole("button", { name: "Past conversations" }).click();
  return page.getByRole("region", { name: "Past conversations" });
}

test("grounded through a corpus with progress, continued after reopening the pane, renamed and deleted", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  const calls: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/v2/") || url.pathname.includes("/responses")) calls.push(`${request.method()} ${url.pathname}`);
  });
  // The pane runs under its Content-Security-Policy without a single violation.
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, env.server.url);
  expect((await page.request.get(env.server.url + "/")).headers()["content-security-policy"]).toContain("script-src 'self'");
  await openDocument(page);

  // Grounding: the document is indexed first (no upload in the Documents tab needed).
  await ask(page, "What share of people under 65 died because of cancer?");
  await page.getByText("Indexing this document…").waitFor();
  const answer = page.getByRole("article", { name: "Answer" }).last();
  await answer.getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  expect(await answer.getByTestId("answer-text").textContent()).toMatch(/cancer/i);
  const sources = answer.getByRole("list", { name: "Sources of this answer" });
  expect(await sources.getByRole("listitem").first().textContent()).toContain(FIXTURE);
  expect(calls).toEqual(
    expect.arrayContaining([
      "POST /api/v2/corpora",
      expect.stringMatching(/^POST \/api\/v2\/corpora\/\d+\/documents$/),
      expect.stringMatching(/^GET \/api\/v2\/documents\/\d+$/),
      expect.stringMatching(/^POST \/api\/v2\/chat-threads\/\d+\/corpora\/\d+$/),
    ]),
  );
  const threadId = calls.find((c) => /^POST \/api\/v2\/chat-threads\/\d+\/corpora/.test(c))!.split("/")[4];

  // Reopen the pane: the conversation is still there and the next question continues its thread.
  await page.reload();
  await page.getByRole("tab", { name: "Chat" }).click();
  await page.getByLabel("Your question").filter({ hasText: "What share of people under 65 died because of cancer?" }).waitFor();
  await openDocument(page);
  const asked: Array<Record<string, unknown>> = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/responses/stream")) asked.push(request.postDataJSON() as Record<string, unknown>);
  });
  const uploadsBefore = calls.filter((c) => /\/corpora\/\d+\/documents$/.test(c)).length;
  await ask(page, "And what about heart disease?");
  await page.getByRole("article", { name: "Answer" }).nth(1).getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  expect(asked[0]).toMatchObject({ chat_thread_id: Number(threadId), is_file_attached: true });
  expect((asked[0]!.history as unknown[]).length).toBe(1);
  // The unchanged document was not uploaded again.
  expect(calls.filter((c) => /\/corpora\/\d+\/documents$/.test(c)).length).toBe(uploadsBefore);

  // Rename it in the list, then delete it.
  const list = await pastConversations(page);
  const items = list.getByRole("listitem");
  await items.first().waitFor();
  expect(await items.count()).toBe(1);
  await list.getByRole("button", { name: /^Rename/ }).click();
  const title = list.getByRole("textbox", { name: /^New title for/ });
  await title.fill("Cancer statistics");
  await title.press("Enter");
  await list.getByRole("button", { name: /^Cancer statistics, .*\(open\)$/ }).waitFor();
  await page.getByText("Cancer statistics").first().waitFor();

  await list.getByRole("button", { name: "Delete “Cancer statistics”" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await list.getByText("No past conversations with this agent.").waitFor();
  expect(await page.getByLabel("Your question").count()).toBe(0);
  await dialog.waitFor({ state: "detached" });

  expect(calls).toContain(`DELETE /api/v2/chat-threads/${threadId}`);
  expect(violations).toEqual([]);
  await context.close();
});
