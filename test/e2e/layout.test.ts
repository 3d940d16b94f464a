// The browser tab's layout in headless Chromium: the document and the pane scroll on their own.
// Choosing a section (which selects its heading in the preview, far down a long document) or
// clicking a chat citation must never scroll the page so the pane's controls (or the cited
// passage) leave the screen, side by side and stacked at 350 px.
import type { Page } from "playwright-core";
import { newContext } from "../support/browser";
import { askAndWait, openAndUpload, signIn, useServerAndBrowser } from "../support/e2e";

jest.setTimeout(120_000);

const env = useServerAndBrowser();

/** The page has not scrolled, and the element is wholly inside the viewport. */
async function expectInView(page: Page, name: string, box: { x: number; y: number; width: number; height: number } | null) {
  const viewport = page.viewportSize()!;
  expect({ name, scrollY: await page.evaluate(() => window.scrollY) }).toEqual({ name, scrollY: 0 });
  expect(box).not.toBeNull();
  const { y, height } = box!;
  expect({ name, top: y >= 0, bottom: y + height <= viewport.height }).toEqual({ name, top: true, bottom: true });
}

describe.each([
  ["side by side", 1280],
  ["stacked at 350 px", 350],
])("%s", (_label, width) => {
  test("choosing a late section and clicking a citation keep the pane's controls on screen", async () => {
    const context = await newContext(env.browser, { width });
    const page = await context.newPage();
    await signIn(page, env.server.url);
    await openAndUpload(page, "openxml-sdk-nutrition-report.docx");

    await page.getByRole("tab", { name: "Sources" }).click();
    const dropdown = page.getByRole("combobox", { name: "Section" });
    await dropdown.waitFor();
    // The pane is its own scroller: moving the document's selection leaves where it is scrolled to alone.
    const paneScroll = () => page.evaluate(() => document.querySelector('aside[aria-label="Sidecar pane"]')!.scrollTop);
    const paneScrollBefore = await paneScroll();
    await dropdown.click();
    const options = page.getByRole("option");
    const count = await options.count();
    expect(count).toBeGreaterThan(3);
    await options.nth(count - 1).click();
    // The preview's selection is on that heading (the document area moved, not the page).
    await page.waitForFunction(() => (window.getSelection()?.toString().trim().length ?? 0) > 0);
    const headingShown = await page.evaluate(() => {
      const heading = window.getSelection()!.getRangeAt(0).getBoundingClientRect();
      const preview = document.querySelector('[data-testid="document-preview"]')!.getBoundingClientRect();
      return heading.top >= preview.top - 1 && heading.top < preview.bottom;
    });
    expect(headingShown).toBe(true);
    expect(await paneScroll()).toBe(paneScrollBefore);
    await page.getByRole("heading", { name: "Sources for this section" }).waitFor();
    await expectInView(page, "Section dropdown", await dropdown.boundingBox());
    await expectInView(page, "tab list", await page.getByRole("tablist", { name: "Sidecar features" }).boundingBox());

    await page.getByRole("tab", { name: "Chat" }).click();
    const answer = await askAndWait(page, "What share of people under 65 died because of cancer?");
    await answer.getByRole("link", { name: /^Source \d+$/ }).first().click();
    await page.getByRole("tab", { name: "Sources", selected: true }).waitFor();
    // The citation lands on its passage, which shows at the top of the tab.
    const cited = page.getByRole("heading", { name: /^Cited passage \[\d+\]$/ });
    await cited.waitFor();
    await expectInView(page, "cited passage after a citation", await cited.boundingBox());
    await expectInView(page, "tab list after a citation", await page.getByRole("tablist", { name: "Sidecar features" }).boundingBox());
    await context.close();
  });
});
