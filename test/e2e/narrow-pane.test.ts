// The pane as Word shows it: 320 px wide, in English, German and the pseudo-locale, inside the real
// office.js with the stand-in Word host (its display language set as Word would). Every tab: one
// row of tabs, nothing wider than the pane, a screenshot kept in test-results/screenshots/, axe
// finds no critical or serious problem in the pane's markup, German shows no English catalog
// string, the pseudo-locale shows no string that skipped the catalogs.
import fs from "node:fs";
import path from "node:path";
import type { Page, Route } from "playwright-core";
import { english, german } from "../../src/taskpane/i18n/catalogs";
import { newContext } from "../support/browser";
import { useServerAndBrowser } from "../support/e2e";
import { readFixture } from "../support/fixtures";
import { repoRoot } from "../support/local-server";
import { wordDocumentStandIn } from "../support/word-document-stand-in.mjs";
import { wordStandIn } from "../support/word-stand-in.mjs";

jest.setTimeout(240_000);

const env = useServerAndBrowser();
const WIDTH = 320;
const TABS = ["documents", "generate", "sources", "chat", "batch", "account"];
const DOCUMENT_NAME = "Nutrition brief.docx";
export const screenshotDir = path.join(repoRoot, "test-results", "screenshots");

type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ html: string; target: string[] }> };

/** English messages a German pane must never show: those without placeholders that German words differently. */
const englishOnly = new Set(
  Object.entries(english as Record<string, string>)
    .filter(([id, message]) => !/[{<]/.test(message) && german[id] !== message)
    .map(([, message]) => message),
);

/** Every piece of text the pane shows or gives assistive technology: visible text nodes and labels. */
function paneTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector("main")!;
    const out: string[] = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (text && parent && parent.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions)) out.push(text);
    }
    for (const element of main.querySelectorAll("[aria-label], [title], [placeholder], [aria-description]")) {
      for (const name of ["aria-label", "title", "placeholder", "aria-description"]) {
        const value = element.getAttribute(name)?.trim();
        if (value) out.push(value);
      }
    }
    return out;
  });
}

/** Waits until the tab's panel has loaded (no spinner in it, twice in a row). */
async function settled(page: Page) {
  await page.getByRole("tabpanel").waitFor();
  for (let quiet = 0; quiet < 2; ) {
    await page.waitForTimeout(150);
    quiet = (await page.locator('[role="tabpanel"] .fui-Spinner').count()) === 0 ? quiet + 1 : 0;
  }
}

/** Every string in the server's answers the pane shows as they are (agents, templates, document sets): data, not words to translate. */
async function serverStrings(page: Page, url: string): Promise<string[]> {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("sidecar.sessions") ?? "{}").sidecar?.ejentoToken as string);
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") strings.push(value.trim());
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const route of ["/api/v2/agents", "/api/v1/templates/", "/api/v1/document-sets/"]) {
    const response = await fetch(`${url}${route}`, { headers: { Authorization: `Bearer ${token}` } });
    expect({ route, status: response.status }).toEqual({ route, status: 200 });
    collect(await response.json());
  }
  return strings.filter((text) => /[a-zA-Z]{2,}/.test(text));
}

/** Dates, sizes and addresses as Intl and the server write them (the pseudo-locale formats them as English does). */
const FORMATTED = /^(\d[\d.,]* (byte|kB|MB|GB)|[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M|https?:\/\/\S+)$/;

async function axeOnPane(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: path.join(repoRoot, "node_modules/axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    // Fluent's focus-trap helpers (tabster's dummy inputs, data-tabster-dummy) are focusable and
    // aria-hidden by design — they catch Tab at a trap's edges and pass focus on — so they are
    // left out: the findings that remain are the pane's own markup.
    const result = await axe.run(
      { include: [["main"]], exclude: [["[data-tabster-dummy]"]] },
      { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } },
    );
    return result.violations
      .filter((violation) => violation.impact === "critical" || violation.impact === "serious")
      .map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ html, target }) => ({ html: html.slice(0, 120), target })) }));
  });
}

test("at 320 px every tab fits one row of tabs, never scrolls sideways, passes axe, and speaks English, German or the pseudo-locale throughout", async () => {
  const docx = readFixture("openxml-sdk-nutrition-report.docx");
  const officeJs = fs.readFileSync(path.join(repoRoot, "dist/assets/office-js/office.js"), "utf8");
  const paragraphs = [
    { text: "Nutrition brief", style: "Title" },
    { text: "Objectives", style: "Heading1" },
    { text: "Our own notes on the objectives.", style: "Normal" },
  ];
  let displayLanguage = "en-US";
  const context = await newContext(env.browser, { width: WIDTH, injectsScripts: true });
  await context.route("**/assets/office-js/office.js", (route: Route) =>
    route.fulfill({
      status: 200,
      contentType: "application/javascript",
      body: officeJs + wordStandIn({ bytes: { base64: docx.toString("base64") }, documentName: DOCUMENT_NAME, displayLanguage }) + wordDocumentStandIn({ paragraphs }),
    }),
  );
  const page = await context.newPage();
  await page.goto(`${env.server.url}/taskpane.html`);
  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText(`${DOCUMENT_NAME} is in Sidecar.`).waitFor();

  // The shortcuts are listed in the pane's help; Esc closes it and focus goes back to its button.
  const help = page.getByRole("button", { name: "Keyboard shortcuts" });
  await help.click();
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await dialog.getByText("In Chat's question box: ask the question.").waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  expect(await help.evaluate((button) => button === document.activeElement)).toBe(true);

  const data = [DOCUMENT_NAME, "demo@sidecar.local", ...paragraphs.map((paragraph) => paragraph.text), ...(await serverStrings(page, env.server.url))];
  const problems: Record<string, unknown[]> = {};
  const note = (what: string, found: unknown[]) => {
    if (found.length) problems[what] = found;
  };
  for (const [language, locale] of [
    ["en-US", "en"],
    ["de-DE", "de"],
    ["qps-ploc", "pseudo"],
  ] as const) {
    displayLanguage = language;
    await page.reload();
    const tabs = page.getByRole("tab");
    await tabs.first().waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale === "pseudo" ? "en" : locale);
    fs.mkdirSync(path.join(screenshotDir, locale), { recursive: true });
    for (const [index, tab] of TABS.entries()) {
      await tabs.nth(index).click();
      await settled(page);
      const where = `${locale}/${tab}`;
      // Nothing wider than the pane: neither the page nor the pane scrolls sideways (naming what sticks out).
      note(
        `too wide in ${where}`,
        await page.evaluate(() => {
          const main = document.querySelector("main")!;
          if (document.documentElement.scrollWidth <= document.documentElement.clientWidth && main.scrollWidth <= main.clientWidth) return [];
          const edge = main.getBoundingClientRect().right;
          return [...main.querySelectorAll("*")]
            .filter((element) => element.getBoundingClientRect().right > edge + 1)
            .slice(-3)
            .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].slice(0, 2).join(".")} "${(element.textContent ?? "").slice(0, 40)}" right=${Math.round(element.getBoundingClientRect().right)}`);
        }),
      );
      // One row of tabs, each wholly inside the tab list.
      const boxes = await tabs.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect()).map(({ top, right }) => ({ top, right })));
      const list = (await page.getByRole("tablist").boundingBox())!;
      const rows = new Set(boxes.map((box) => Math.round(box.top))).size;
      if (rows !== 1 || !boxes.every((box) => box.right <= list.x + list.width + 1)) note(`tab row in ${where}`, [{ rows, boxes }]);
      await page.screenshot({ path: path.join(screenshotDir, locale, `${index + 1}-${tab}.png`), fullPage: true });
      if (locale !== "pseudo") note(`axe ${where}`, await axeOnPane(page));
      const texts = await paneTexts(page);
      if (locale === "de") note(`English in ${where}`, texts.filter((text) => englishOnly.has(text)));
      if (locale === "pseudo") {
        // Text with plain letters and no pseudo accents skipped the catalogs, unless it is data.
        note(
          `untranslated in ${where}`,
          texts.filter((text) => /[a-zA-Z]{2,}/.test(text) && !/[åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ]/.test(text) && !FORMATTED.test(text) && !data.includes(text) && !text.includes(DOCUMENT_NAME)),
        );
      }
    }
  }
  expect(problems).toEqual({});
  await context.close();
});
