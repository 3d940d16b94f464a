// The whole product in headless Chromium: the built pane served by the real local server, in
// browser-tab mode (a picked .docx stands for the open document). No mocks at this level.
import path from "node:path";
import { newContext } from "../support/browser";
import { signIn, useServerAndBrowser } from "../support/e2e";
import { fixturesDir as fixtures } from "../support/fixtures";

jest.setTimeout(90_000);

const env = useServerAndBrowser();

test("sign in, pick a fixture .docx, upload it, see it listed — and find it all again after a reload", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  // The sign-in form is gone; focus is not left on the page body but on the tab to work in.
  const documentsTab = page.getByRole("tab", { name: "Documents", selected: true });
  await page.waitForFunction(() => document.activeElement !== document.body && document.activeElement?.getAttribute("role") === "tab", undefined, { timeout: 10_000 }).catch(() => undefined);
  expect(await documentsTab.evaluate((tab) => tab === document.activeElement)).toBe(true);

  await page.getByLabel("Choose a Word document").setInputFiles(path.join(fixtures, "openxml-sdk-nutrition-report.docx"));
  const preview = page.getByTestId("document-preview");
  await preview.getByText("Nutrition", { exact: false }).first().waitFor();

  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText("openxml-sdk-nutrition-report.docx is in Sidecar.").waitFor();
  const table = page.getByRole("table", { name: "My documents" });
  await table.getByText("openxml-sdk-nutrition-report.docx").waitFor();

  // The server really has it.
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("sidecar.sessions") ?? "{}").sidecar?.ejentoToken as string);
  const listed = await (await fetch(`${env.server.url}/api/v1/documents/`, { headers: { Authorization: `Bearer ${token}` } })).json();
  expect(listed.documents.map((d: { document_name: string }) => d.document_name)).toContain("openxml-sdk-nutrition-report.docx");

  // Close and reopen: still signed in, the same document is open, and it knows it was uploaded.
  await page.reload();
  await page.getByRole("tab", { name: "Documents" }).waitFor();
  await page.getByTestId("document-preview").getByText("Nutrition", { exact: false }).first().waitFor();
  await page.getByRole("button", { name: "Upload again" }).waitFor();
  await context.close();
});

test("a file that is not a Word document is refused with words, and the pane keeps working", async () => {
  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await page.getByLabel("Choose a Word document").setInputFiles({ name: "notes.docx", mimeType: "text/plain", buffer: Buffer.from("just some text") });
  await page.getByRole("alert").getByText(/not a Word document|\.docx/i).first().waitFor();
  // A good file still opens afterwards.
  await page.getByLabel("Choose a Word document").setInputFiles(path.join(fixtures, "mammoth-single-paragraph.docx"));
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText("mammoth-single-paragraph.docx is in Sidecar.").waitFor();
  await context.close();
});

test("a long document: its first pages on screen first, the rest converted in a Web Worker and shown where the person reads", async () => {
  const { Document, HeadingLevel, Packer, Paragraph } = await import("docx");
  const children = [];
  for (let c = 1; c <= 80; c++) {
    children.push(new Paragraph({ text: `Chapter ${c}`, heading: HeadingLevel.HEADING_1 }));
    for (let p = 1; p <= 12; p++) children.push(new Paragraph({ text: `Chapter ${c} paragraph ${p}. ${"Lorem ipsum dolor sit amet consectetur. ".repeat(12)}` }));
  }
  const buffer = await Packer.toBuffer(new Document({ sections: [{ children }] }));
  const context = await newContext(env.browser);
  const page = await context.newPage();
  const workers: string[] = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  await signIn(page, env.server.url);
  await page.getByLabel("Choose a Word document").setInputFiles({ name: "Long report.docx", mimeType: "application/octet-stream", buffer });
  const preview = page.getByTestId("document-preview");
  // The first chapter shows while the rest is on its way (said so), then the last one is there too.
  await preview.getByRole("heading", { name: "Chapter 1", exact: true }).waitFor();
  await preview.getByRole("heading", { name: "Chapter 80", exact: true }).waitFor({ timeout: 30_000 });
  await page.getByText("the rest of the document is on its way").waitFor({ state: "detached" });
  expect(await preview.getByRole("heading").count()).toBe(80);
  expect(workers.some((url) => /preview-worker/.test(url))).toBe(true);
  await context.close();
});
