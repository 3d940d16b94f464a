// Drafting in the document through the Word implementation: the real office.js with the stand-in
// Word host (word-stand-in.mjs: the file in slices, settings, events) and the stand-in document
// (word-document-stand-in.mjs: Word.run over paragraphs, ranges, content controls, footnotes,
// Track Changes), against the real local server with a fake OpenAI-compatible model. Writes a
// section under its heading, finds it again by its content control from a selection inside it,
// and rewrites a selection in two drafts, keeping the second.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Page, Route } from "playwright-core";
import { newContext } from "../support/browser";
import { useServerAndBrowser } from "../support/e2e";
import { readFixture } from "../support/fixtures";
import { PROGRAMMATIC_SELECTION_MS } from "../../src/taskpane/office/word-host";
import { repoRoot } from "../support/local-server";
import { wordDocumentStandIn } from "../support/word-document-stand-in.mjs";
import { wordStandIn } from "../support/word-stand-in.mjs";

jest.setTimeout(120_000);

/** The model: sections cite passage [1]; a rewording answers "Draft number N." */
let rewrites = 0;
const model = http.createServer((request, response) => {
  let raw = "";
  request.on("data", (chunk: Buffer) => (raw += chunk.toString()));
  request.on("end", () => {
    const body = JSON.parse(raw) as { stream?: boolean; messages: Array<{ role: string; content: string }> };
    const rewording = /Rewrite the user's selected text/.test(body.messages[0]?.content ?? "");
    const text = rewording ? `Draft number ${++rewrites}.` : "Europeans underrate their nutrition problems [1].";
    if (body.stream) {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: text } }] })}\n\n`);
      response.end("data: [DONE]\n\n");
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: text } }] }));
  });
});
const serverEnv: Record<string, string> = { SIDECAR_CHAT_DELTA_DELAY_MS: "0", SIDECAR_LLM_MODEL: "tiny-model" };
beforeAll(async () => {
  await new Promise<void>((resolve) => model.listen(0, "127.0.0.1", resolve));
  serverEnv.SIDECAR_LLM_BASE_URL = `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise((resolve) => model.close(resolve)));
const env = useServerAndBrowser(serverEnv);

interface StandInParagraph {
  text: string;
  style: string;
  control: { tag: string; title: string; appearance?: string } | null;
  footnotes: string[];
  tracked: boolean;
}
const paragraphs = (page: Page) => page.evaluate(() => (window as unknown as { __wordDoc: { paragraphs: StandInParagraph[] } }).__wordDoc.paragraphs);
const trackingSets = (page: Page) => page.evaluate(() => (window as unknown as { __wordDoc: { trackingSets: string[] } }).__wordDoc.trackingSets);
const select = (page: Page, paragraph: number) => page.evaluate((index) => (window as unknown as { __wordDoc: { select: (p: number) => void } }).__wordDoc.select(index), paragraph);

test("in Word: write a section under its heading in a tagged content control with footnotes, find its sources from inside it, rewrite a selection in two drafts and keep the second", async () => {
  const docx = readFixture("openxml-sdk-nutrition-report.docx");
  const officeJs = fs.readFileSync(path.join(repoRoot, "dist/assets/office-js/office.js"), "utf8");
  const document = [
    { text: "Nutrition brief", style: "Title" },
    { text: "Objectives", style: "Heading1" },
    { text: "Our own notes on the objectives.", style: "Normal" },
    { text: "Next steps", style: "Heading1" },
    { text: "The committee met on Tuesday and decided to go ahead.", style: "Normal" },
  ];
  const context = await newContext(env.browser);
  await context.route("**/assets/office-js/office.js", (route: Route) =>
    route.fulfill({
      status: 200,
      contentType: "application/javascript",
      body: officeJs + wordStandIn({ bytes: { base64: docx.toString("base64") }, documentName: "Nutrition brief.docx" }) + wordDocumentStandIn({ paragraphs: document }),
    }),
  );
  const page = await context.newPage();
  await page.goto(`${env.server.url}/taskpane.html`);
  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText("Nutrition brief.docx is in Sidecar.").waitFor();

  // Write "Objectives": under the heading of that name, before the writer's own notes.
  await page.getByRole("tab", { name: "Generate" }).click();
  await page.getByRole("checkbox", { name: "Nutrition brief.docx (this document)" }).waitFor();
  await page.getByRole("button", { name: "Write “Objectives” into this document" }).click();
  await page.getByText("Written under its heading, as tracked changes").waitFor({ timeout: 30_000 });

  const after = await paragraphs(page);
  expect(after[1]!.text).toBe("Objectives");
  const written = after[2]!;
  expect(written.control).toMatchObject({ title: "Sidecar: Objectives", appearance: "BoundingBox" });
  expect(written.control!.tag).toMatch(/^sidecar:section:[^:]+:[^:]+$/);
  // The model's citation became a footnote naming the source; the mark gave way to Word's number.
  expect(written.text).toBe("Europeans underrate their nutrition problems.");
  expect(written.footnotes).toEqual([expect.stringMatching(/^Nutrition brief\.docx, “.+”\.$/)]);
  expect(written.tracked).toBe(true);
  expect(after[3]!.text).toBe("Our own notes on the objectives.");
  // Track Changes on for the write, then back to the writer's own setting.
  expect(await trackingSets(page)).toEqual(["TrackAll", "Off"]);

  // Select inside it (after renaming the heading): the Sources panel finds it by its control.
  await page.getByRole("tab", { name: "Sources" }).click();
  await page.evaluate(() => {
    (window as unknown as { __wordDoc: { paragraphs: StandInParagraph[] } }).__wordDoc.paragraphs[1]!.text = "What we aim for";
  });
  // Word reports Sidecar's own moves (the cursor after the section) like the person's: a selection
  // within PROGRAMMATIC_SELECTION_MS of one counts as Sidecar's (word/state.ts). The person's comes later.
  await page.waitForTimeout(PROGRAMMATIC_SELECTION_MS + 100);
  await select(page, 2);
  await page.getByText("Written in place by Sidecar: Objectives").waitFor();
  const behind = page.getByRole("region", { name: "Written from" });
  await behind.waitFor();
  expect(await behind.getByRole("group").first().textContent()).toContain("Nutrition brief.docx");

  // Rewrite the committee's sentence: two drafts, keep the second, though the cursor moved.
  await page.getByRole("tab", { name: "Chat" }).click();
  await page.getByRole("button", { name: "Rewrite selection" }).click();
  const panel = page.getByRole("region", { name: "Rewrite the selection" });
  // The local server's drafting agent writes the drafts, whichever agent the chat is with.
  await panel.getByText("Drafts by Drafting assistant.").waitFor();
  await select(page, 5);
  await panel.getByRole("button", { name: "Rewrite" }).click();
  await panel.getByText("Draft 1 of 1").waitFor({ timeout: 30_000 });
  await panel.getByRole("button", { name: "Regenerate" }).click();
  await panel.getByText("Draft 2 of 2").waitFor({ timeout: 30_000 });
  expect(await panel.getByTestId("rewrite-draft").textContent()).toBe(`Draft number ${rewrites}.`);
  await select(page, 0);
  await panel.getByRole("button", { name: "Keep" }).click();
  await panel.getByText("Suggested in place of the text: accept or reject it in Word's Review tab.").waitFor();
  const final = await paragraphs(page);
  expect(final[5]!.text).toBe(`Draft number ${rewrites}.`);
  expect(final[5]!.tracked).toBe(true);
  expect(final[0]!.text).toBe("Nutrition brief");
  await context.close();
});
