// The pane under the server's Content-Security-Policy (src/server/http/security-headers.ts): the
// built pages load and work in the browser tab and in Word (the real office.js with the stand-in
// host) without a single policy violation — no script, style, image, font or call blocked.
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Page, Route } from "playwright-core";
import { newContext } from "../support/browser";
import { openAndUpload, signIn, useServerAndBrowser } from "../support/e2e";
import { readFixture } from "../support/fixtures";
import { repoRoot } from "../support/local-server";
import { wordStandIn } from "../support/word-stand-in.mjs";

jest.setTimeout(90_000);

const env = useServerAndBrowser();

/** Records every CSP violation the page reports, and console lines about the policy. */
async function watchViolations(context: BrowserContext): Promise<{ violations: () => Promise<string[]>; page: Page }> {
  await context.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __violations: string[] }).__violations = []);
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
  });
  const page = await context.newPage();
  const logged: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) logged.push(message.text());
  });
  return {
    page,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)), ...logged],
  };
}

async function visitTabs(page: Page): Promise<void> {
  for (const name of ["Generate", "Sources", "Chat", "Batch", "Account", "Documents"]) {
    await page.getByRole("tab", { name }).click();
    await page.getByRole("tab", { name, selected: true }).waitFor();
  }
}

test("the browser-tab pane signs in, uploads and shows every tab with no policy violation", async () => {
  const context = await newContext(env.browser);
  const { page, violations } = await watchViolations(context);
  const response = await page.goto(`${env.server.url}/`);
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self'/);
  await signIn(page, env.server.url);
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");
  await visitTabs(page);
  expect(await violations()).toEqual([]);
  await context.close();
});

test("the Word pane (real office.js, stand-in host) loads and uploads with no policy violation", async () => {
  const docx = readFixture("openxml-sdk-nutrition-report.docx");
  const officeJs = fs.readFileSync(path.join(repoRoot, "dist/assets/office-js/office.js"), "utf8");
  const context = await newContext(env.browser);
  await context.route("**/assets/office-js/office.js", (route: Route) =>
    route.fulfill({
      status: 200,
      contentType: "application/javascript",
      body: officeJs + wordStandIn({ bytes: { base64: docx.toString("base64") }, documentName: "Nutrition report.docx", sliceData: "array", sliceCount: 2, delayMs: 0 }),
    }),
  );
  const { page, violations } = await watchViolations(context);
  const response = await page.goto(`${env.server.url}/taskpane.html`);
  expect(response?.headers()["content-security-policy"]).toMatch(/frame-ancestors 'self' https:\/\/\*\.officeapps\.live\.com/);
  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("tab", { name: "Documents" }).waitFor();
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText("Nutrition report.docx is in Sidecar.").waitFor();
  await visitTabs(page);
  expect(await violations()).toEqual([]);
  await context.close();
});
