// Shared steps of the end-to-end tests: the real local server and Debian's Chromium for a test
// file, and the sign-in / open-a-document / upload steps a person takes first.
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { announcements, launchBrowser } from "./browser";
import { fixturesDir } from "./fixtures";
import { startLocalServer, type RunningServer } from "./local-server";

export interface E2eEnvironment {
  server: RunningServer;
  browser: Browser;
}

/** Starts the server (with extra environment) and the browser before the file's tests; stops both after. */
export function useServerAndBrowser(env: Record<string, string> = {}): E2eEnvironment {
  const environment = {} as E2eEnvironment;
  beforeAll(async () => {
    [environment.server, environment.browser] = await Promise.all([startLocalServer({ env }), launchBrowser()]);
  });
  afterAll(async () => {
    await environment.browser?.close();
    await environment.server?.stop();
  });
  return environment;
}

export async function signIn(page: Page, url: string, path_ = "/"): Promise<void> {
  await page.goto(`${url}${path_}`);
  await page.getByLabel("E-mail").fill("demo@sidecar.local");
  await page.getByLabel("Password").fill("sidecar-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("tab", { name: "Documents" }).waitFor();
}

type PickedFile = string | { name: string; mimeType: string; buffer: Buffer };

/** Browser tab: opens a fixture (by name) or a built file as the open document and uploads it. */
export async function openAndUpload(page: Page, file: PickedFile): Promise<void> {
  await page.getByLabel("Choose a Word document").setInputFiles(typeof file === "string" ? path.join(fixturesDir, file) : file);
  await page.getByRole("button", { name: "Upload this document" }).click();
  await page.getByText(/is in Sidecar\./).waitFor();
}

/** Asks the Chat tab a question and waits until the answer has finished (its actions show); returns the answer. */
export async function askAndWait(page: Page, question: string): Promise<Locator> {
  const composer = page.getByLabel(/ask the agent/i);
  await composer.fill(question);
  await composer.press("Enter");
  const answer = page.getByRole("article", { name: "Answer" }).last();
  await answer.getByRole("button", { name: "Insert at cursor" }).waitFor({ timeout: 30_000 });
  return answer;
}

/**
 * Waits until the pane's live region has said each of `expected`, in this order (other messages
 * may come between), and returns everything it said.
 */
export async function expectAnnounced(page: Page, expected: RegExp[]): Promise<string[]> {
  const sources = expected.map((pattern) => [pattern.source, pattern.flags]);
  await page
    .waitForFunction(
      (patterns) => {
        const said = (window as unknown as { __announced: string[] }).__announced;
        let at = 0;
        for (const [source, flags] of patterns) {
          const pattern = new RegExp(source!, flags);
          while (at < said.length && !pattern.test(said[at]!)) at += 1;
          if (at === said.length) return false;
          at += 1;
        }
        return true;
      },
      sources,
      { timeout: 10_000 },
    )
    .catch(async () => {
      throw new Error(`The live region did not say ${expected.join(", ")} in order; it said: ${JSON.stringify(await announcements(page))}`);
    });
  return announcements(page);
}
