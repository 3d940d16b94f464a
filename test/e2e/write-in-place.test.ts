// Writing sections into the open document, end to end in the browser tab against the real local
// server: one section, then all of them with progress and Stop (and a question before the one
// written already), and the Sources panel finding a written sentence's passage by the section's
// element (Word's content control) rather than by the open document's headings.
import { newContext } from "../support/browser";
import { openAndUpload, signIn, useServerAndBrowser } from "../support/e2e";

jest.setTimeout(150_000);

// Each generation takes a little while (four stages of 400 ms), so that Stop lands mid-run.
const env = useServerAndBrowser({ SIDECAR_PIPELINE_STEP_DELAY_MS: "400" });

/** A fresh pane, signed in, with the nutrition report open and uploaded, on the Generate tab. */
async function onGenerate() {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");
  await page.getByRole("tab", { name: "Generate" }).click();
  await page.getByRole("checkbox", { name: "openxml-sdk-nutrition-report.docx (this document)" }).waitFor();
  // The list is on screen before the template's sections have loaded (all at once when they do).
  const list = page.getByRole("list", { name: "Sections of the template" });
  await list.getByRole("button").first().waitFor();
  return { context, page, preview: page.getByTestId("document-preview"), list };
}

test("write one section in place, see its sources by selecting in it; write all with a question, progress and Stop", async () => {
  const { context, page, preview, list } = await onGenerate();
  await page.getByLabel("Name of the new document").fill("In place");
  const names = await list.getByRole("button").evaluateAll((buttons) => buttons.map((button) => /“(.+)”/.exec(button.getAttribute("aria-label") ?? "")?.[1] ?? ""));
  expect(names.length).toBeGreaterThanOrEqual(3);
  const [first, second, third] = names as [string, string, string];
  const item = (name: string) => list.getByRole("listitem").filter({ has: page.getByRole("button", { name: `Write “${name}” into this document` }) });

  // One section: the report has no heading of that name, so it goes in at the cursor (the end of
  // the preview: nothing is selected), after a heading of its own, in an element tagged with it.
  await page.getByRole("button", { name: `Write “${second}” into this document` }).click();
  await item(second).getByText("Written at the cursor (no heading with this title)").waitFor({ timeout: 30_000 });
  const written = preview.locator(`[data-sidecar-title="Sidecar: ${second}"]`);
  await written.waitFor();
  expect(await written.locator("xpath=preceding-sibling::*[1]").textContent()).toBe(second);
  const paragraph = written.locator("p").first();
  expect(((await paragraph.textContent()) ?? "").length).toBeGreaterThan(20);

  // Select a sentence in it: the Sources panel shows that section's sources, and first the passage
  // the sentence was written from, though the open document (the report) has no such section.
  await page.getByRole("tab", { name: "Sources" }).click();
  await paragraph.click({ clickCount: 3 });
  await page.getByText(`Written in place by Sidecar: ${second}`).waitFor();
  const behind = page.getByRole("region", { name: "Written from" });
  await behind.waitFor();
  expect(await behind.getByRole("group").first().textContent()).toContain("openxml-sdk-nutrition-report.docx");

  // Write all: the first section is written, the pane asks before the second (written already),
  // and Stop while the third is being generated leaves it and the rest unwritten.
  await page.getByRole("tab", { name: "Generate" }).click();
  await item(second).getByText("· in this document").waitFor();
  await page.getByRole("button", { name: "Write all sections" }).click();
  await page.getByRole("progressbar", { name: "Writing sections" }).waitFor();
  await page.getByText(`Sidecar wrote “${second}” into this document before. Replace it with a new version?`).waitFor({ timeout: 30_000 });
  expect(await item(first).getByRole("status").textContent()).toMatch(/^Written/);
  await page.getByRole("button", { name: "Keep it" }).click();
  await item(third).getByRole("status").filter({ hasText: /Asking|Queued|Reading|Writing/ }).waitFor();
  await page.getByRole("button", { name: "Stop" }).click();

  await item(third).getByText("Stopped: not written").waitFor();
  expect(await item(second).getByRole("status").textContent()).toBe("Kept what was there");
  for (const rest of names.slice(3)) expect(await item(rest).getByRole("status").textContent()).toBe("Stopped: not written");
  expect(await page.getByRole("button", { name: "Stop" }).count()).toBe(0);
  expect(await page.getByRole("button", { name: "Write all sections" }).isEnabled()).toBe(true);
  // In the preview: the two written sections, nothing of the third.
  expect(await preview.locator("[data-sidecar-section]").evaluateAll((elements) => elements.map((element) => element.getAttribute("data-sidecar-title")))).toEqual(
    expect.arrayContaining([`Sidecar: ${first}`, `Sidecar: ${second}`]),
  );
  expect(await preview.locator("[data-sidecar-section]").count()).toBe(2);
  await context.close();
});

test("in the browser tab a section written as tracked changes is a suggestion in the preview: reject removes it, accept keeps it", async () => {
  const { context, page, preview, list } = await onGenerate();
  const write = list.getByRole("button").first();
  const name = /“(.+)”/.exec((await write.getAttribute("aria-label")) ?? "")![1]!;

  // Off by default in the browser tab; turned on, the write is a suggestion.
  const tracked = page.getByRole("switch", { name: "As tracked changes" });
  expect(await tracked.isChecked()).toBe(false);
  await tracked.click();
  await write.click();
  const suggestions = page.getByRole("region", { name: "Suggestions" });
  await suggestions.getByText("1 suggestion from Sidecar").waitFor({ timeout: 30_000 });
  await list.getByText("Written at the cursor (no heading with this title), as tracked changes").waitFor();
  const written = preview.locator(`[data-sidecar-title="Sidecar: ${name}"]`);
  expect(await written.getAttribute("data-sidecar-suggestion")).toBeTruthy();

  await suggestions.getByRole("button", { name: "Reject" }).click();
  await suggestions.waitFor({ state: "detached" });
  expect(await written.count()).toBe(0);
  expect(await preview.getByText(name, { exact: true }).count()).toBe(0);

  await write.click();
  await suggestions.getByRole("button", { name: "Accept" }).click({ timeout: 30_000 });
  await suggestions.waitFor({ state: "detached" });
  expect(await written.count()).toBe(1);
  expect(await written.getAttribute("data-sidecar-suggestion")).toBeNull();
  await context.close();
});

test("the open document's own headings as the outline: a section written under its own heading", async () => {
  const { context, page, preview } = await onGenerate();
  await page.getByRole("button", { name: "Use this document's headings" }).click();
  await page.getByText("Its headings are the template now: write each section under its heading.").waitFor();
  await page.getByRole("button", { name: "Write “The West-East Divide” into this document" }).click();
  await page.getByText("Written under its heading").waitFor({ timeout: 30_000 });
  // In the preview: right after that heading, tagged with the section.
  const heading = preview.locator("h2", { hasText: "The West-East Divide" });
  expect(await heading.locator("xpath=following-sibling::*[1]").getAttribute("data-sidecar-title")).toBe("Sidecar: The West-East Divide");
  await context.close();
});
