// A long conversation in headless Chromium against the real local server: 60 turns (120
// messages) made through the API, opened from Past conversations. Only the messages on screen (and
// the newest ones) are rendered; the rest keep their place as empty boxes and are rendered as the
// person scrolls to them, with the keyboard as with the mouse.
import { newContext } from "../support/browser";
import { signIn, useServerAndBrowser } from "../support/e2e";

jest.setTimeout(120_000);

const env = useServerAndBrowser({ SIDECAR_CHAT_DELTA_DELAY_MS: "0" });
const TURNS = 60;

async function api<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(env.server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  const json = (await response.json()) as { data?: T } & T;
  return (json.data ?? json) as T;
}

test("a 120-message conversation renders what is on screen, and the rest as the person scrolls to it", async () => {
  const { ejento_access_token: token } = await api<{ ejento_access_token: string }>("/auth-service/api/v2/login/access-token", { username: "demo@sidecar.local", password: "sidecar-demo" });
  let threadId: number | null = null;
  for (let turn = 1; turn <= TURNS; turn++) {
    const answer: { thread_id: number } = await api<{ thread_id: number }>("/response-service/api/v2/agents/1/responses", { user_query: `Question number ${turn}: what can you help me with?`, chat_thread_id: threadId, query_source: "word-addin" }, token);
    threadId = answer.thread_id;
  }

  const context = await newContext(env.browser);
  const page = await context.newPage();
  await signIn(page, env.server.url);
  await page.getByRole("tab", { name: "Chat" }).click();
  await page.getByRole("button", { name: "Past conversations" }).click();
  await page.getByRole("region", { name: "Past conversations" }).getByRole("button", { name: /Question number 1\b/ }).first().click();

  const log = page.getByRole("log", { name: "Conversation" });
  await log.getByText(`Question number ${TURNS}:`).waitFor();
  const boxes = log.locator("[data-on-screen]");
  expect(await boxes.count()).toBe(TURNS * 2);
  // The newest messages are on screen; far fewer than all of them are rendered.
  const rendered = await log.locator('[data-on-screen="rendered"]').count();
  expect(rendered).toBeLessThan(TURNS);
  expect(await log.getByRole("article", { name: "Answer" }).count()).toBeLessThan(TURNS / 2 + 10);
  expect(await log.getByText("Question number 1:", { exact: false }).count()).toBe(0);

  // Scrolled to the top, the first question is there; the newest are emptied once far away.
  await boxes.first().scrollIntoViewIfNeeded();
  await log.getByText("Question number 1:").waitFor();
  expect(await boxes.first().getAttribute("data-on-screen")).toBe("rendered");

  // Keyboard: Tab from the first answer's buttons walks down the conversation, rendering as it goes.
  const firstAnswer = log.getByRole("article", { name: "Answer" }).first();
  await firstAnswer.getByRole("button", { name: "Copy" }).focus();
  for (let i = 0; i < 60; i++) await page.keyboard.press("Tab");
  const focusedInLog = await page.evaluate(() => {
    const box = document.activeElement?.closest("[data-on-screen]");
    return box ? [...(box.parentElement?.children ?? [])].indexOf(box) : -1;
  });
  expect(focusedInLog).toBeGreaterThan(2);
  await context.close();
});
