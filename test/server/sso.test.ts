// SSO in its development form, over real HTTP (docs/vendors.md Ejento A2.5): the login page a browser opens
// lists the server's users, choosing one comes back to `next` with both tokens, and only trusted
// `next` addresses get them. A browser navigation sends no headers, so these two routes work
// without the API key while every other API route still needs it.
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { addUser } from "../../src/server/services/users";
import { DEMO, bearer, startServer, type TestServer } from "./helpers";

const PANE = "https://pane.example";
const NEXT = `${PANE}/auth-dialog.html?from=sso`;
const KEY = "sso-test-api-key";
const WITH_KEY = { "ocp-apim-subscription-key": KEY };

function loginUrl(server: TestServer, provider: string, next: string): string {
  return `${server.url}${fillPath(endpoints.ssoLogin.path, { provider })}?${new URLSearchParams({ next })}`;
}

async function openPage(server: TestServer, provider = "microsoft", next = NEXT) {
  const response = await fetch(loginUrl(server, provider, next));
  return { response, html: await response.text() };
}

/** What a browser posts when the person clicks the account's button. */
function formOf(html: string, email: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1];
  const next = /name="next" value="([^"]+)"/.exec(html)?.[1];
  const button = new RegExp(`name="user_id" value="([^"]+)">${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}<`).exec(html);
  if (!action || !nonce || !next || !button?.[1]) throw new Error(`not the SSO page:\n${html}`);
  const unescape = (value: string) => value.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
  return { action: unescape(action), fields: { nonce, next: unescape(next), user_id: button[1] } };
}

async function choose(server: TestServer, form: { action: string; fields: Record<string, string> }) {
  return fetch(server.url + form.action, { method: "POST", body: new URLSearchParams(form.fields), redirect: "manual" });
}

describe("development SSO", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      SIDECAR_LOGIN_METHODS: "password,otp,microsoft_sso,okta_sso",
      SIDECAR_ALLOWED_ORIGINS: PANE,
      SIDECAR_API_KEY: KEY,
    });
    await addUser(server.app.sidecar.storage, {
      organizationName: `<b>Acme & "Co"</b>`,
      email: "<i>pat</i>@acme.example",
      password: "pat-password",
    });
  });
  afterAll(() => server.close());

  test("the login page lists the server's users as buttons, every value escaped, under a strict policy", async () => {
    const { response, html } = await openPage(server);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${PANE}; base-uri 'none'`,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain("<title>Development sign-in — Microsoft</title>");
    expect(html).toContain(`>${DEMO.email}<span>demo</span></button>`);
    expect(html).toContain("&lt;i&gt;pat&lt;/i&gt;@acme.example<span>&lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt;</span>");
    expect(html).not.toContain("<i>pat</i>");
    expect(html).not.toContain("<b>Acme");
    expect(html).toContain(`name="next" value="${NEXT.replace(/&/g, "&amp;")}"`);
    expect(html).not.toMatch(/<script/i);
  });

  test("choosing an account comes back to next with both tokens, which work", async () => {
    const { html } = await openPage(server);
    const form = formOf(html, DEMO.email);
    expect(form.action).toBe(fillPath(endpoints.ssoDevCallback.path, { provider: "microsoft" }));
    const response = await choose(server, form);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location") as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${PANE}/auth-dialog.html`);
    expect(location.searchParams.get("from")).toBe("sso");
    const token = location.searchParams.get("token") as string;
    const ejentoToken = location.searchParams.get("ejento_access_token") as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ejentoToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await fetch(server.url + endpoints.me.path, { headers: { ...bearer(ejentoToken), ...WITH_KEY } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { data: { email: string } }).data.email).toBe(DEMO.email);
    const refreshed = await fetch(server.url + endpoints.refresh.path, { method: "POST", headers: { ...bearer(token), ...WITH_KEY } });
    expect(refreshed.status).toBe(200);
  });

  test("the escaped account signs in as itself", async () => {
    const { html } = await openPage(server);
    const response = await choose(server, formOf(html, "&lt;i&gt;pat&lt;/i&gt;@acme.example"));
    const ejentoToken = new URL(response.headers.get("location") as string).searchParams.get("ejento_access_token") as string;
    const me = await fetch(server.url + endpoints.me.path, { headers: { ...bearer(ejentoToken), ...WITH_KEY } });
    expect(((await me.json()) as { data: { email: string; organization: { name: string } } }).data).toMatchObject({
      email: "<i>pat</i>@acme.example",
      organization: { name: `<b>Acme & "Co"</b>` },
    });
  });

  test("a page's nonce works once", async () => {
    const form = formOf((await openPage(server)).html, DEMO.email);
    expect((await choose(server, form)).status).toBe(303);
    const again = await choose(server, form);
    expect(again.status).toBe(400);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/expired or was already used/);
    const made = await choose(server, { ...form, fields: { ...form.fields, nonce: "made-up" } });
    expect(made.status).toBe(400);
  });

  test("a next changed in the form, or a nonce of another provider, gets no tokens", async () => {
    const form = formOf((await openPage(server)).html, DEMO.email);
    const changed = await choose(server, { ...form, fields: { ...form.fields, next: `${PANE}/elsewhere.html` } });
    expect(changed.status).toBe(400);
    expect(changed.headers.get("location")).toBeNull();
    const okta = formOf((await openPage(server, "microsoft")).html, DEMO.email);
    const crossed = await choose(server, { ...okta, action: fillPath(endpoints.ssoDevCallback.path, { provider: "okta" }) });
    expect(crossed.status).toBe(400);
  });

  test.each([
    ["another origin", "https://evil.example/steal"],
    ["a relative address", "/auth-dialog.html"],
    ["a javascript: address", "javascript:alert(1)"],
    ["a listed origin with credentials in it", "https://user:pw@pane.example/x"],
  ])("a next on %s is refused with 400 and words, before any page", async (_case, next) => {
    const { response, html } = await openPage(server, "microsoft", next);
    expect(response.status).toBe(400);
    expect((JSON.parse(html) as { detail: string }).detail).toMatch(/return address \(next\)/);
  });

  test("a next on this server's own origin is trusted, and the policy lets the form go there", async () => {
    const { response, html } = await openPage(server, "okta", `${server.url}/auth-dialog.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain(`form-action 'self' ${server.url};`);
    expect(html).toContain("<title>Development sign-in — Okta</title>");
    const location = (await choose(server, formOf(html, DEMO.email))).headers.get("location") as string;
    expect(location.startsWith(`${server.url}/auth-dialog.html?token=`)).toBe(true);
  });

  test("a provider that is off is 403, an unknown one 404, a missing next 422 — with words", async () => {
    const off = await openPage(server, "google");
    expect(off.response.status).toBe(403);
    expect(off.html).toMatch(/Google is turned off/);
    const unknown = await openPage(server, "myspace");
    expect(unknown.response.status).toBe(404);
    expect(unknown.html).toMatch(/no sign-in provider/);
    const noNext = await fetch(`${server.url}${fillPath(endpoints.ssoLogin.path, { provider: "microsoft" })}`);
    expect(noNext.status).toBe(422);
  });

  test("the page and its post need no API key; other API routes still do", async () => {
    // Everything above ran without the key; the rest of the API refuses it.
    for (const path of [endpoints.loginFeatureFlags.path, endpoints.me.path]) {
      const response = await fetch(server.url + path);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/Ocp-Apim-Subscription-Key/);
    }
    const withKey = await fetch(server.url + endpoints.loginFeatureFlags.path, { headers: WITH_KEY });
    expect(withKey.status).toBe(200);
  });
});
