// Batch tagging end to end in headless Chromium against the real local server: upload three
// fixtures, tag them from the Batch tab while following the job live over the WebSocket, pause
// (no new document starts), reopen the pane (the job is attached again), resume to the end, and
// find the tags in My documents.
import { newContext } from "../support/browser";
import { openAndUpload, signIn, useServerAndBrowser, expectAnnounced } from "../support/e2e";

jest.setTimeout(120_000);

// Each document waits this long before it is tagged, so a person (and this test) can pause mid-job.
const DOCUMENT_DELAY_MS = 2000;
const env = useServerAndBrowser({ SIDECAR_BATCH_DOCUMENT_DELAY_MS: String(DOCUMENT_DELAY_MS) });

const FIXTURES = ["openxml-sdk-nutrition-report.docx", "openxml-sdk-complex0.docx", "python-docx-par-known-styles.docx"];

test("tag three documents with pause and resume, then see their tags in My documents", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  for (const name of FIXTURES) await openAndUpload(page, name);
  await expectAnnounced(page, FIXTURES.map((name) => new RegExp(`^Upload complete: ${name.replace(/\./g, "\\.")} is ready in Sidecar\\.`)));

  await page.getByRole("tab", { name: "Batch" }).click();
  const picker = page.getByRole("form", { name: "Tag documents" });
  for (const name of FIXTURES) await picker.getByRole("checkbox", { name }).check();
  await picker.getByLabel("Number of tags").fill("5");
  await picker.getByLabel("Words to leave out").fill("nutrition");
  await picker.getByRole("button", { name: "Start tagging 3 documents" }).click();

  // Followed live: the socket's first message turns the connection words to "Live".
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor();
  const counts = page.getByText(/^\d+ of 3 documents · \d+ tagged · \d+ failed$/);
  await page.getByText(/^1 of 3 documents · 1 tagged · 0 failed$/).waitFor({ timeout: 30_000 });

  // Pause: the document being tagged may finish, but no further one starts.
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("heading", { name: "Tagging job · Paused" }).waitFor();
  expect(await page.getByRole("button", { name: "Resume" }).isEnabled()).toBe(true);
  expect(await page.getByRole("button", { name: "Pause" }).isEnabled()).toBe(false);
  await page.waitForTimeout(DOCUMENT_DELAY_MS + 300); // let an in-flight document finish
  const settled = await counts.textContent();
  const doneWhenPaused = Number(/^(\d+) of/.exec(settled ?? "")?.[1]);
  expect(doneWhenPaused).toBeLessThan(3);
  await page.waitForTimeout(DOCUMENT_DELAY_MS * 2); // paused: nothing more happens
  expect(await counts.textContent()).toBe(settled);
  const jobRows = page.getByRole("list", { name: "Documents in this job" });
  expect(await jobRows.getByText("waiting", { exact: true }).count()).toBeGreaterThanOrEqual(1);

  // Close and reopen the pane: the paused job is attached again, with its results so far.
  await page.reload();
  await page.getByRole("heading", { name: "Tagging job · Paused" }).waitFor();
  expect(await counts.textContent()).toBe(settled);

  // Resume to the end.
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByText("Tagging complete").waitFor({ timeout: 30_000 });
  expect(await counts.textContent()).toBe("3 of 3 documents · 3 tagged · 0 failed");
  // The job's end was said to a screen reader (the pane reopened on the paused job and saw it end).
  await expectAnnounced(page, [/^Batch tagging is done: 3 documents got new tags\.$/]);
  expect(await jobRows.getByText("tagged", { exact: true }).count()).toBe(3);

  const tagsOf = new Map<string, string[]>();
  for (const name of FIXTURES) {
    const tags = (await page.getByRole("list", { name: `Tags of ${name}` }).getByRole("listitem").allTextContents()).map((t) => t.trim());
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.length).toBeLessThanOrEqual(5);
    expect(tags.some((tag) => tag.includes("nutrition"))).toBe(false);
    tagsOf.set(name, tags);
  }
  // Keywords that set each document apart: not the same list for every document.
  expect(new Set([...tagsOf.values()].map((tags) => tags.join("|"))).size).toBe(3);

  // The tags are on the documents: My documents shows them under each name.
  await page.getByRole("tab", { name: "Documents" }).click();
  const table = page.getByRole("table", { name: "My documents" });
  for (const name of FIXTURES) {
    const row = table.getByRole("row").filter({ hasText: name });
    await row.first().getByText((tagsOf.get(name) ?? []).join(", ")).waitFor();
  }
  await context.close();
});
