// The pane against three separately started local servers, the way a customer's vendor services
// are deployed: the Ejento faces on one (which also serves the pane), the documents service on a
// second and the tag generator on a third, each with its own user. The person connects to each,
// signs in the vendor's way (password for Ejento, user id for Artos, e-mail + password for the
// tagger), uploads the open document (it lands on the documents server only), generates, chats
// and tags; an expired Documents token is renewed from the user id without touching Ejento's
// sign-in; and SSO runs through the browser popup round trip.
import type { Page, Request } from "playwright-core";
import { launchBrowser, newContext } from "../support/browser";
import { openAndUpload } from "../support/e2e";
import { startLocalServer, type RunningServer } from "../support/local-server";

jest.setTimeout(180_000);

let ejento: RunningServer;
let documents: RunningServer;
let tagger: RunningServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let artosUserId: string;

const EJENTO_PASSWORD = "ejento-password";
const TAGGER_PASSWORD = "tagger-password";
/** Documents tokens live this long, so the test sees one expire and be renewed. */
const DOCUMENTS_TOKEN_TTL_S = 6;

beforeAll(async () => {
  [ejento, browser] = await Promise.all([
    startLocalServer({
      env: { SIDECAR_SERVICES: "ejento,indexing", SIDECAR_DEMO_PASSWORD: EJENTO_PASSWORD, SIDECAR_LOGIN_METHODS: "password,otp,microsoft_sso", SIDECAR_CHAT_DELTA_DELAY_MS: "0", LOG_LEVEL: "info" },
    }),
    launchBrowser(),
  ]);
  [documents, tagger] = await Promise.all([
    startLocalServer({ env: { SIDECAR_SERVICES: "documents", SIDECAR_ALLOWED_ORIGINS: ejento.url, SIDECAR_TOKEN_TTL_SECONDS: String(DOCUMENTS_TOKEN_TTL_S), LOG_LEVEL: "info" } }),
    startLocalServer({ env: { SIDECAR_SERVICES: "batch", SIDECAR_ALLOWED_ORIGINS: ejento.url, SIDECAR_DEMO_PASSWORD: TAGGER_PASSWORD, LOG_LEVEL: "info" } }),
  ]);
  const printed = /Artos user id[^:]*:\s*(\S+)/.exec(documents.output());
  if (!printed?.[1]) throw new Error(`the documents server did not print its Artos user id:\n${documents.output()}`);
  artosUserId = printed[1];
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([ejento?.stop(), documents?.stop(), tagger?.stop()]);
});

/** Which server each request of the page went to, with the credentials it carried. */
function recordRequests(page: Page) {
  const seen: Array<{ origin: string; path: string; authorization: string | null; key: string | null }> = [];
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith("/api/") && !url.pathname.startsWith("/auth-service/") && !url.pathname.startsWith("/get-") && !url.pathname.startsWith("/response-service/")) return;
    const headers = request.headers();
    seen.push({ origin: url.origin, path: url.pathname, authorization: headers.authorization ?? null, key: headers["ocp-apim-subscription-key"] ?? null });
  });
  return seen;
}

async function connectAndSignIn(page: Page) {
  await page.goto(`${ejento.url}/`);
  await page.getByRole("button", { name: "Connect to separate services instead" }).click();
  for (const [group, url] of [["Chat (Ejento)", ejento.url], ["Documents (Artos)", documents.url], ["Batch tagging", tagger.url]] as const) {
    const region = page.getByRole("region", { name: group });
    await region.getByLabel("Address", { exact: true }).fill(url);
    await region.getByLabel("Address", { exact: true }).press("Enter");
  }
  // Ejento: e-mail and password.
  const chat = page.getByRole("region", { name: "Chat (Ejento)" });
  await chat.getByLabel(/^E-mail/).fill("demo@sidecar.local");
  await chat.getByLabel(/^Password/).fill(EJENTO_PASSWORD);
  await chat.getByLabel(/^Password/).press("Enter");
  await page.getByLabel("Signed in as").waitFor();
  // The others from Account.
  await page.getByRole("tab", { name: "Account" }).click();
  const artos = page.getByRole("region", { name: "Documents (Artos)" });
  await artos.getByLabel("User id").fill(artosUserId);
  await artos.getByLabel("User id").press("Enter");
  await artos.getByText(`Signed in as user ${artosUserId}`).waitFor();
  const batch = page.getByRole("region", { name: "Batch tagging" });
  await batch.getByLabel(/^E-mail/).fill("demo@sidecar.local");
  await batch.getByLabel(/^Password/).fill(TAGGER_PASSWORD);
  await batch.getByRole("button", { name: "Sign in" }).click();
  await batch.getByText("Signed in as demo@sidecar.local").waitFor();
}

test("three services, three sign-ins: upload, generate, chat and tag, each call with its own service's credentials", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const seen = recordRequests(page);
  await connectAndSignIn(page);

  // Upload the open document: it lands on the documents server only.
  await page.getByRole("tab", { name: "Documents" }).click();
  await openAndUpload(page, "openxml-sdk-nutrition-report.docx");
  const artosToken = (await (await fetch(`${documents.url}/get-access-token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: artosUserId }) })).json()) as { access_token: string };
  const listed = (await (await fetch(`${documents.url}/api/v1/documents/`, { headers: { authorization: `Bearer ${artosToken.access_token}` } })).json()) as { documents: Array<{ document_name: string }> };
  expect(listed.documents.map((d) => d.document_name)).toContain("openxml-sdk-nutrition-report.docx");
  expect((await fetch(`${ejento.url}/api/v1/documents/`)).status).toBe(404);
  expect((await fetch(`${tagger.url}/api/v1/documents/`)).status).toBe(404);

  // Generate on the documents server.
  await page.getByRole("tab", { name: "Generate" }).click();
  await page.getByRole("checkbox", { name: "openxml-sdk-nutrition-report.docx (this document)" }).waitFor();
  await page.getByLabel("Name of the new document").fill("Separate brief");
  await page.getByRole("button", { name: "Generate" }).click();
  const card = page.getByRole("group", { name: "Generation Separate brief" });
  await card.getByRole("button", { name: "Open in preview" }).waitFor({ timeout: 30_000 });

  // Chat with the Ejento server's agent.
  await page.getByRole("tab", { name: "Chat" }).click();
  const composer = page.getByLabel(/ask the agent/i);
  await composer.fill("What can you help me with?");
  await composer.press("Enter");
  await page.getByRole("article", { name: "Answer" }).last().getByRole("button", { name: "Copy" }).waitFor({ timeout: 30_000 });

  // Tag on the tagger, which reads the document through a presigned link of the documents server.
  await page.getByRole("tab", { name: "Batch" }).click();
  const picker = page.getByRole("form", { name: "Tag documents" });
  await picker.getByRole("checkbox", { name: "openxml-sdk-nutrition-report.docx" }).check();
  await picker.getByRole("button", { name: /^Start tagging 1 document/ }).click();
  await page.getByText("Tagging complete").waitFor({ timeout: 30_000 });
  const tags = await page.getByRole("list", { name: "Tags of openxml-sdk-nutrition-report.docx" }).getByRole("listitem").allTextContents();
  expect(tags.length).toBeGreaterThan(0);

  // Every call went to its own service with only that service's credentials.
  const byOrigin = (origin: string) => seen.filter((r) => r.origin === origin);
  expect(byOrigin(documents.url).some((r) => r.path === "/api/v1/documents/local")).toBe(true);
  expect(byOrigin(documents.url).some((r) => r.path === "/api/v1/documents/generate")).toBe(true);
  expect(byOrigin(ejento.url).some((r) => r.path.endsWith("/responses/stream"))).toBe(true);
  expect(byOrigin(tagger.url).some((r) => r.path === "/api/batch/start")).toBe(true);
  const tokensOf = (origin: string) => new Set(byOrigin(origin).map((r) => r.authorization).filter(Boolean));
  for (const [a, b] of [[ejento.url, documents.url], [ejento.url, tagger.url], [documents.url, tagger.url]] as const) {
    for (const token of tokensOf(a)) expect(tokensOf(b).has(token)).toBe(false);
  }
  await context.close();
});

test("an expired Documents token is obtained again from the user id; Ejento's sign-in is not refreshed", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const seen = recordRequests(page);
  await connectAndSignIn(page);
  await page.getByRole("tab", { name: "Documents" }).click();
  await page.getByRole("table", { name: "My documents" }).waitFor();
  const tokenRequestsBefore = seen.filter((r) => r.path === "/get-access-token").length;
  await page.waitForTimeout(DOCUMENTS_TOKEN_TTL_S * 1000 + 500);
  // Reopen the pane: the list is asked for again with the now expired token.
  await page.reload();
  await page.getByRole("tab", { name: "Documents" }).click();
  await page.getByRole("table", { name: "My documents" }).getByText("openxml-sdk-nutrition-report.docx").first().waitFor();
  expect(seen.filter((r) => r.path === "/get-access-token").length).toBe(tokenRequestsBefore + 1);
  expect(seen.filter((r) => r.path === "/auth-service/api/v2/users/refresh-access-token")).toHaveLength(0);
  expect(seen.filter((r) => r.path === "/api/auth/refresh")).toHaveLength(0);
  // The Account screen still shows every service signed in.
  await page.getByRole("tab", { name: "Account" }).click();
  await page.getByRole("region", { name: "Chat (Ejento)" }).getByText("Signed in as demo@sidecar.local").waitFor();
  await page.getByRole("region", { name: "Documents (Artos)" }).getByText(`Signed in as user ${artosUserId}`).waitFor();
  await page.getByRole("region", { name: "Batch tagging" }).getByText("Signed in as demo@sidecar.local").waitFor();
  await context.close();
});

test("SSO through the popup: the development sign-in page, back to the add-in's return page, signed in", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${ejento.url}/`);
  await page.getByRole("button", { name: "Connect to separate services instead" }).click();
  const chat = page.getByRole("region", { name: "Chat (Ejento)" });
  await chat.getByLabel("Address", { exact: true }).fill(ejento.url);
  await chat.getByLabel("Address", { exact: true }).press("Enter");
  const [popup] = await Promise.all([context.waitForEvent("page"), chat.getByRole("button", { name: "Sign in with Microsoft" }).click()]);
  const popupErrors: string[] = [];
  popup.on("pageerror", (error) => popupErrors.push(error.message));
  await popup.getByRole("button", { name: /demo@sidecar\.local/ }).click();
  await page.getByLabel("Signed in as").waitFor({ timeout: 15_000 });
  // The return page took the tokens out of its address (office.js nulls history.replaceState).
  if (!popup.isClosed()) expect(popup.url()).not.toContain("token=");
  expect(popupErrors).toEqual([]);
  await page.getByRole("tab", { name: "Account" }).click();
  await page.getByRole("region", { name: "Chat (Ejento)" }).getByText(/Signed in as/).waitFor();
  await context.close();
});
