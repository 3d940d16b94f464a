// Sources end to end in headless Chromium against the real local server: generate from a
// fixture, open the result, select a sentence in the preview and see the panel switch to its
// section and list the passages it was written from.
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchBrowser, newContext } from "../support/browser";
import { fixturesDir } from "../support/fixtures";
import { startLocalServer, type RunningServer } from "../support/local-server";

jest.setTimeout(120_000);

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startLocalServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("select a sentence of a generated document and see its section's sources", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Choose a Word document").setInputFiles(path.join(fixturesDir, "openxml-sdk-nutrition-report.docx"));
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText("openxml-sdk-nutrition-report.docx is in Sidecar.").waitFor();

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

  // Select a sentence under "Results" in the preview, as a person would (triple-click a paragraph).
  const paragraph = page.getByTestId("document-preview").locator('h1:has-text("Results") + p');
  const sentence = (await paragraph.textContent())!.trim();
  expect(sentence.length).toBeGreaterThan(10);
  await paragraph.click({ clickCount: 3 });
  await page.getByRole("heading", { name: "Sources for the selected text" }).waitFor();
  expect(await dropdown.textContent()).toContain("Results");
  const firstSource = page.getByRole("group", { name: /^Source 1: / });
  await firstSource.waitFor();
  expect(await firstSource.textContent()).toContain("openxml-sdk-nutrition-report.docx");

  // Choosing a section moves the document's selection to its heading.
  await dropdown.click();
  await page.getByRole("option", { name: "Methods" }).click();
  await page.getByRole("heading", { name: "Sources for this section" }).waitFor();
  const selected = await page.evaluate(() => window.getSelection()?.toString().trim());
  expect(selected).toBe("Methods");
  await context.close();
});
