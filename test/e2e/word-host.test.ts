// The real office.js from the build, with a stand-in Word host: office.js itself is served as
// built, and a few lines appended to it (test/support/word-stand-in.mjs) make Office report a Word
// host whose document hands out the .docx in slices. This proves the Word implementation (not the browser one) reads every
// slice, reports progress, closes the file, and uploads exactly the document's bytes.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Route } from "playwright-core";
import { newContext } from "../support/browser";
import { useServerAndBrowser } from "../support/e2e";
import { readFixture } from "../support/fixtures";
import { repoRoot } from "../support/local-server";
import { type WordStub, wordStandIn } from "../support/word-stand-in.mjs";

jest.setTimeout(90_000);

const env = useServerAndBrowser();

test("the Word implementation reads every slice through the real office.js, reports progress and uploads the exact bytes", async () => {
  const docx = readFixture("openxml-sdk-nutrition-report.docx");
  const sliceCount = 5;
  const officeJs = fs.readFileSync(path.join(repoRoot, "dist/assets/office-js/office.js"), "utf8");
  const context = await newContext(env.browser);
  await context.route("**/assets/office-js/office.js", (route: Route) =>
    route.fulfill({ status: 200, contentType: "application/javascript", body: officeJs + wordStandIn({ bytes: { base64: docx.toString("base64") }, documentName: "Nutrition report.docx", sliceData: "array", sliceCount, delayMs: 5 }) }),
  );
  const page = await context.newPage();
  await page.goto(`${env.server.url}/taskpane.html`);

  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  // In Word there is no document picker: the pane works on the open document.
  await page.getByRole("tab", { name: "Documents" }).waitFor();
  expect(await page.getByLabel("Choose a Word document").count()).toBe(0);
  await page.getByText("Nutrition report.docx").first().waitFor();

  // Record every progress label the pane shows while it reads and sends.
  await page.evaluate(() => {
    const seen: string[] = ((window as unknown as { __progress: string[] }).__progress = []);
    new MutationObserver(() => {
      const status = document.querySelector('[role="status"]');
      if (status?.textContent && seen[seen.length - 1] !== status.textContent) seen.push(status.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText("Nutrition report.docx is in Sidecar.").waitFor();

  const stub = await page.evaluate(() => (window as unknown as { __wordStub: WordStub }).__wordStub);
  expect(stub.slicesRead).toEqual([0, 1, 2, 3, 4]);
  expect(stub.closeCalls).toBe(1);
  expect(stub.requestedSliceSize).toBe(4 * 1024 * 1024);
  expect(stub.saved).toBeGreaterThanOrEqual(1);
  const documentId = stub.settings["sidecar.documentId"];
  expect(documentId).toBeTruthy();

  const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(progress.some((label) => /Reading the document/.test(label))).toBe(true);

  // The server stored exactly the document's bytes under the id the document now carries.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("sidecar.sessions") ?? "{}").sidecar?.ejentoToken as string);
  const listed = await (await fetch(`${env.server.url}/api/v1/documents/`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const stored = listed.documents.find((d: { document_id: string }) => d.document_id === documentId);
  expect(stored.document_name).toBe("Nutrition report.docx");
  const files = fs.readdirSync(path.join(env.server.dataDir, "files")).map((f) => fs.readFileSync(path.join(env.server.dataDir, "files", f)));
  const digest = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
  expect(files.map(digest)).toContain(digest(docx));
  await context.close();
});
