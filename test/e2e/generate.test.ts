// Generate end to end in headless Chromium against the real local server: upload a fixture,
// generate from it, watch the stepper reach Ready, open the result in the browser tab's preview.
import { newContext } from "../support/browser";
import { openAndUpload, signIn, useServerAndBrowser, expectAnnounced } from "../support/e2e";

jest.setTimeout(120_000);

// A small pause between stages so the stepper's intermediate stages are visible.
const env = useServerAndBrowser({ SIDECAR_PIPELINE_STEP_DELAY_MS: "300" });

test("upload a fixture, generate from it, follow the stepper to Ready and open the result", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");

  await page.getByRole("tab", { name: "Generate" }).click();
  // The uploaded open document is preselected as a source.
  const source = page.getByRole("checkbox", { name: "openxml-sdk-nutrition-report.docx (this document)" });
  await source.waitFor();
  expect(await source.isChecked()).toBe(true);
  // Each section's Write button names it. The list is on screen before the template's sections
  // have loaded, so wait for the fourth before reading them.
  const writeButtons = page.getByRole("list", { name: "Sections of the template" }).getByRole("button");
  await writeButtons.nth(3).waitFor();
  const sectionNames = await writeButtons
    .evaluateAll((buttons) => buttons.map((button) => /“(.+)”/.exec(button.getAttribute("aria-label") ?? "")?.[1] ?? ""));
  expect(sectionNames.length).toBeGreaterThanOrEqual(4);
  await page.getByLabel("Name of the new document").fill("Nutrition brief");

  const started = Date.now();
  await page.getByRole("button", { name: "Generate" }).click();
  const card = page.getByRole("group", { name: "Generation Nutrition brief" });
  await card.waitFor();
  // The stepper shows a stage in progress, then Ready.
  await card.locator('[aria-current="step"]').first().waitFor({ timeout: 10_000 });
  await card.getByRole("button", { name: "Open in preview" }).waitFor({ timeout: 30_000 });
  // A screen reader heard both outcomes, in order.
  await expectAnnounced(page, [/^Upload complete: openxml-sdk-nutrition-report\.docx is ready in Sidecar\./, /^Generation of Nutrition brief(\.docx)? finished: ready to open\.$/]);
  console.log(`Generate → Ready on screen: ${Date.now() - started} ms (with 300 ms pauses between stages)`);

  await card.getByRole("button", { name: "Open in preview" }).click();
  await card.getByText("Opened in the preview.").waitFor();
  await page.getByText("Nutrition brief.docx", { exact: true }).first().waitFor();
  const preview = page.getByTestId("document-preview");
  for (const name of sectionNames) await preview.getByText(name, { exact: true }).first().waitFor();

  // The generated document is listed under My documents too.
  await page.getByRole("tab", { name: "Documents" }).click();
  await page.getByRole("table", { name: "My documents" }).getByText("Nutrition brief.docx").waitFor();
  await context.close();
});
