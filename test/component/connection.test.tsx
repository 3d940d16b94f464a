// Account → Connection and the sign-ins of separate services: each vendor's own way of signing in,
// each call carrying only its own service's credentials (msw sees three hosts), Test connection in
// words, one service's sign-out or expiry leaving the others and the work alone, tabs that name the
// sign-in they need, and SSO through a fake Office dialog.
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { renderPane, server as origin } from "../support/render-pane";

const EJENTO = "http://ejento.test";
const ARTOS = "http://artos.test";
const TAGGER = "http://tagger.test";
const EJENTO_KEY = "ej-key";
const APIM_REFUSAL = "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";

interface Seen {
  host: string;
  method: string;
  path: string;
  authorization: string | null;
  apimKey: string | null;
  body?: string;
}

let seen: Seen[] = [];
let flags: Array<{ name: string; is_active: boolean }> = [];
let ejentoTokens: Set<string>;
let artosTokens: Set<string>;
let artosUserToken: Map<string, string>;
let taggerTokens: Set<string>;
let otpRequests: Array<Record<string, unknown>> = [];

const api = setupServer();

function handlers() {
  const gated =
    <T extends { request: Request }>(respond: (info: T) => Response | Promise<Response>) =>
    (info: T) =>
      info.request.headers.get("ocp-apim-subscription-key") === EJENTO_KEY
        ? respond(info)
        : HttpResponse.json({ statusCode: 401, message: APIM_REFUSAL }, { status: 401 });
  const bearer = (request: Request) => request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  return [
    // The Sidecar server at the pane's origin: its flags (nothing turned on) and who is signed in.
    http.get(`${origin}/auth-service/api/v2/feature-flags/logins`, () => HttpResponse.json({ data: { items: [] } })),
    http.get(`${origin}/api/v2/users/me`, () => HttpResponse.json({ success: true, message: "", data: { id: 1, email: "demo@sidecar.local" } })),

    // Chat (Ejento), behind its APIM gateway.
    http.get(
      `${EJENTO}/auth-service/api/v2/feature-flags/logins`,
      gated(() => HttpResponse.json({ data: { items: flags } })),
    ),
    http.post(
      `${EJENTO}/auth-service/api/v2/login/access-token`,
      gated(async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        if (form.get("password") !== "ejento-pw") return HttpResponse.json({ detail: "Incorrect e-mail or password." }, { status: 401 });
        ejentoTokens.add("ej-1");
        return HttpResponse.json({
          success: true,
          message: "Login successful",
          data: { access_token: "ej-auth-1", ejento_access_token: "ej-1", token_type: "bearer" },
        });
      }),
    ),
    http.post(
      `${EJENTO}/auth-service/api/v2/users/passwordless-auth`,
      gated(async ({ request }) => {
        otpRequests.push((await request.json()) as Record<string, unknown>);
        return HttpResponse.json({ success: true, message: "Email sent", data: { otp_session_id: "otp-1" } });
      }),
    ),
    http.post(
      `${EJENTO}/auth-service/api/v2/users/verify-otp`,
      gated(async ({ request }) => {
        const body = (await request.json()) as { otp_session_id?: string; code?: string };
        if (body.otp_session_id !== "otp-1" || body.code !== "123456") return HttpResponse.json({ detail: "Invalid code. 2 tries left." }, { status: 401 });
        ejentoTokens.add("ej-2");
        return HttpResponse.json({ success: true, data: { access_token: "ej-auth-2", ejento_access_token: "ej-2" } });
      }),
    ),
    http.get(
      `${EJENTO}/api/v2/users/me`,
      gated(({ request }) =>
        ejentoTokens.has(bearer(request))
          ? HttpResponse.json({
              success: true,
              message: "",
              data: { id: 42, email: "writer@customer.example", first_name: "Ada", last_name: "Writer", name: "Ada Writer" },
            })
          : HttpResponse.json({ detail: "Could not validate credentials" }, { status: 401 }),
      ),
    ),
    http.post(
      `${EJENTO}/auth-service/api/v2/users/refresh-access-token`,
      gated(() => HttpResponse.json({ detail: "Token expired" }, { status: 401 })),
    ),
    http.post(
      `${EJENTO}/auth-service/api/v2/users/logout`,
      gated(() => new HttpResponse(null, { status: 204 })),
    ),

    // Documents (Artos): a token from the user id; 400 "Authentication failed" for a bad token.
    http.post(`${ARTOS}/get-access-token`, async ({ request }) => {
      const body = (await request.json()) as { user_id?: string };
      if (!body.user_id) return HttpResponse.json({ detail: [{ loc: ["body", "user_id"], msg: "Field required" }] }, { status: 422 });
      const token = artosUserToken.get(body.user_id);
      if (!token) return HttpResponse.json({ detail: "User not found" }, { status: 404 });
      artosTokens.add(token);
      return HttpResponse.json({ access_token: token });
    }),
    http.get(`${ARTOS}/api/v1/documents/`, ({ request }) =>
      artosTokens.has(bearer(request)) ? HttpResponse.json({ documents: [] }) : HttpResponse.json({ detail: "Authentication failed" }, { status: 400 }),
    ),

    // The tag generator.
    http.post(`${TAGGER}/api/auth/login`, async ({ request }) => {
      const body = (await request.json()) as { email?: string; password?: string };
      if (body.password !== "tag-pw") return HttpResponse.json({ detail: "Invalid email or password" }, { status: 401 });
      taggerTokens.add("tag-access-1");
      return HttpResponse.json({
        user: { id: "u1", email: "tagger@customer.example", full_name: "Tag Person" },
        tokens: { access_token: "tag-access-1", refresh_token: "tag-refresh-1", token_type: "bearer", expires_in: 1800 },
      });
    }),
    http.get(`${TAGGER}/api/auth/me`, ({ request }) =>
      taggerTokens.has(bearer(request))
        ? HttpResponse.json({ email: "tagger@customer.example" })
        : HttpResponse.json({ detail: "Not authenticated" }, { status: 401 }),
    ),
    http.post(`${TAGGER}/api/auth/logout`, () => new HttpResponse(null, { status: 204 })),
    http.all("http://down.test/*", () => HttpResponse.error()),
  ];
}

beforeAll(() => {
  api.listen({ onUnhandledRequest: "error" });
  api.events.on("request:start", ({ request }) => {
    const url = new URL(request.url);
    seen.push({
      host: url.origin,
      method: request.method,
      path: url.pathname,
      authorization: request.headers.get("authorization"),
      apimKey: request.headers.get("ocp-apim-subscription-key"),
    });
  });
});
beforeEach(() => {
  seen = [];
  otpRequests = [];
  flags = [];
  ejentoTokens = new Set();
  artosTokens = new Set();
  artosUserToken = new Map([["u-7", "artos-1"]]);
  taggerTokens = new Set();
  api.use(...handlers());
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
  delete (globalThis as { Office?: unknown }).Office;
});
afterAll(() => api.close());

// ------------------------------------------------------------------------------- setup helpers

function separateServices(overrides: Record<string, unknown> = {}) {
  localStorage.setItem(
    "sidecar.connection",
    JSON.stringify({
      mode: "separate",
      serverUrl: "",
      apiKey: "",
      ejento: { url: EJENTO, apiKey: EJENTO_KEY },
      indexing: { url: "", keyHeader: "", keyValue: "" },
      documents: { url: ARTOS },
      batch: { url: TAGGER, taggingApiKey: "", modelName: "" },
      ...overrides,
    }),
  );
}

const credentials = {
  ejento: { kind: "ejento", accessToken: "ej-auth-1", ejentoToken: "ej-1", who: "writer@customer.example", method: "password" },
  documents: { kind: "artos", token: "artos-1", userId: "u-7", who: "user u-7" },
  batch: { kind: "batch", accessToken: "tag-access-1", refreshToken: "tag-refresh-1", expiresAt: Date.now() + 3_600_000, who: "tagger@customer.example" },
  sidecar: { kind: "ejento", accessToken: "r", ejentoToken: "sidecar-1", who: "demo@sidecar.local", method: "password" },
};

/** Signed in already (a reopened pane), to these slots; the tokens are valid at the fake services. */
function signedInTo(...slots: Array<keyof typeof credentials>) {
  localStorage.setItem("sidecar.sessions", JSON.stringify(Object.fromEntries(slots.map((slot) => [slot, credentials[slot]]))));
  if (slots.includes("ejento")) ejentoTokens.add("ej-1");
  if (slots.includes("documents")) artosTokens.add("artos-1");
  if (slots.includes("batch")) taggerTokens.add("tag-access-1");
}

function openTab(tab: string) {
  localStorage.setItem("sidecar.tab", JSON.stringify(tab));
}

const group = (name: string) => screen.getByRole("region", { name });
const findGroup = (name: string) => screen.findByRole("region", { name });

/** Every call each host saw carried that host's credentials and nobody else's. */
function expectOwnCredentialsOnly() {
  const ownBearer: Record<string, string[]> = {
    [EJENTO]: ["ej-1", "ej-2", "ej-pasted", "not-a-token", "sso-ej"],
    [ARTOS]: ["artos-1", "artos-2"],
    [TAGGER]: ["tag-access-1"],
  };
  for (const call of seen) {
    const bearer = call.authorization?.replace(/^Bearer /, "");
    if (bearer)
      expect({ call: `${call.method} ${call.host}${call.path}`, bearer: ownBearer[call.host]?.includes(bearer) ? "own" : bearer }).toEqual({
        call: `${call.method} ${call.host}${call.path}`,
        bearer: "own",
      });
    expect({ call: `${call.method} ${call.host}${call.path}`, key: call.apimKey }).toEqual({
      call: `${call.method} ${call.host}${call.path}`,
      key: call.host === EJENTO ? EJENTO_KEY : null,
    });
  }
}

// ------------------------------------------------------------------------------------ the tests

test("switching the connection mode keeps the drafts on both sides and the work on the tabs", async () => {
  const user = userEvent.setup();
  signedInTo("sidecar");
  openTab("account");
  renderPane();
  const server = await screen.findByLabelText("Server address");
  await user.type(server, "http://other.test");
  await user.click(screen.getByRole("radio", { name: "Separate services" }));
  // The work stays: the tabs are still there, and Documents now names its missing sign-in.
  expect(screen.getByRole("tab", { name: "Documents" })).toBeInTheDocument();
  const chat = await findGroup("Chat (Ejento)");
  await user.type(within(chat).getByLabelText("Address"), "http://ejento.test");
  await user.click(screen.getByRole("radio", { name: "Sidecar server" }));
  expect(screen.getByLabelText("Server address")).toHaveValue("http://other.test");
  expect(screen.queryByRole("region", { name: "Chat (Ejento)" })).not.toBeInTheDocument(); // hidden, not gone
  await user.click(screen.getByRole("radio", { name: "Separate services" }));
  expect(within(group("Chat (Ejento)")).getByLabelText("Address")).toHaveValue("http://ejento.test");
  await user.click(screen.getByRole("tab", { name: "Documents" }));
  expect(await screen.findByText("Sign in to Documents (Artos)")).toBeInTheDocument();
});

test("the first screen switches to separate services and back without losing what was typed", async () => {
  const user = userEvent.setup();
  renderPane();
  await user.type(await screen.findByLabelText(/^e-mail/i), "demo@sidecar.local");
  await user.click(screen.getByRole("button", { name: "Connect to separate services instead" }));
  const documents = await findGroup("Documents (Artos)");
  await user.type(within(documents).getByLabelText("Address"), "http://artos.test");
  await user.click(screen.getByRole("button", { name: "Use one Sidecar server instead" }));
  expect(screen.getByRole("textbox", { name: /e-mail/i })).toHaveValue("demo@sidecar.local");
  await user.click(screen.getByRole("button", { name: "Connect to separate services instead" }));
  expect(within(group("Documents (Artos)")).getByLabelText("Address")).toHaveValue("http://artos.test");
});

test("separate services: sign in to each vendor its way, each call carrying only its own service's credentials", async () => {
  const user = userEvent.setup();
  separateServices();
  flags = [{ name: "otp", is_active: true }];
  openTab("documents");
  renderPane();
  // Ejento: password (a wrong one first: the server's words, and what was typed stays).
  const chat = await findGroup("Chat (Ejento)");
  await user.type(within(chat).getByLabelText(/^e-mail/i), "writer@customer.example");
  await user.type(within(chat).getByLabelText(/^password/i), "wrong{Enter}");
  expect(await within(chat).findByText("Incorrect e-mail or password.")).toBeInTheDocument();
  expect(within(chat).getByLabelText(/^e-mail/i)).toHaveValue("writer@customer.example");
  await user.clear(within(chat).getByLabelText(/^password/i));
  await user.type(within(chat).getByLabelText(/^password/i), "ejento-pw{Enter}");
  // Signed in to one service: the work opens; Documents still needs its own sign-in.
  expect(await screen.findByLabelText("Signed in as")).toHaveTextContent("writer@customer.example");
  expect(await screen.findByText("Sign in to Documents (Artos)")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Open Account" }));

  // Artos: a user id, traded for a token at /get-access-token.
  const documents = await findGroup("Documents (Artos)");
  await user.type(within(documents).getByLabelText(/user id/i), "u-7{Enter}");
  expect(await within(documents).findByText("Signed in as user u-7")).toBeInTheDocument();
  // The tag generator: e-mail and password.
  const batch = group("Batch tagging");
  await user.type(within(batch).getByLabelText(/^e-mail/i), "tagger@customer.example");
  await user.type(within(batch).getByLabelText(/^password/i), "tag-pw");
  await user.click(within(batch).getByRole("button", { name: "Sign in" }));
  expect(await within(batch).findByText("Signed in as tagger@customer.example")).toBeInTheDocument();
  expect(within(group("Chat (Ejento)")).getByText("Signed in as writer@customer.example")).toBeInTheDocument();
  expect(within(group("Ejento indexing")).getByText(/Uses the Chat \(Ejento\) sign-in: signed in as writer@customer.example/)).toBeInTheDocument();

  // Documents works now, from Artos with Artos's token.
  await user.click(screen.getByRole("tab", { name: "Documents" }));
  expect(await screen.findByText(/nothing uploaded yet/i)).toBeInTheDocument();

  expect(seen.some((c) => c.host === ARTOS && c.path === "/get-access-token")).toBe(true);
  expect(seen.some((c) => c.host === ARTOS && c.path === "/api/v1/documents/" && c.authorization === "Bearer artos-1")).toBe(true);
  expect(seen.some((c) => c.host === TAGGER && c.path === "/api/auth/login" && c.authorization === null)).toBe(true);
  expectOwnCredentialsOnly();
});

test("e-mail code: a wrong code shows the server's words and stays typed; a new code, then the right one, signs in", async () => {
  const user = userEvent.setup();
  separateServices();
  flags = [{ name: "otp", is_active: true }];
  openTab("account");
  renderPane();
  const chat = await findGroup("Chat (Ejento)");
  await user.click(await within(chat).findByRole("button", { name: "Use an e-mail code" }));
  await user.type(within(chat).getByLabelText(/^e-mail/i), "writer@customer.example");
  await user.click(within(chat).getByRole("button", { name: "Send code" }));
  const code = await within(chat).findByLabelText(/^code/i);
  expect(within(chat).getByText(/We sent a 6-digit code to writer@customer.example/)).toBeInTheDocument();
  await user.type(code, "111111{Enter}");
  expect(await within(chat).findByText("Invalid code. 2 tries left.")).toBeInTheDocument();
  expect(within(chat).getByLabelText(/^code/i)).toHaveValue("111111");
  await user.click(within(chat).getByRole("button", { name: "Send a new code" }));
  expect(await within(chat).findByText(/A new code is on its way/)).toBeInTheDocument();
  expect(otpRequests).toEqual([
    expect.objectContaining({ email: "writer@customer.example" }),
    expect.objectContaining({ email: "writer@customer.example", otp_session_id: "otp-1" }),
  ]);
  await user.type(within(chat).getByLabelText(/^code/i), "123456");
  await user.click(within(chat).getByRole("button", { name: "Verify" }));
  expect(await screen.findByLabelText("Signed in as")).toHaveTextContent("writer@customer.example");
  expectOwnCredentialsOnly();
});

test("a pasted Ejento token is checked against users/me before it is kept", async () => {
  const user = userEvent.setup();
  separateServices();
  openTab("account");
  renderPane();
  const chat = await findGroup("Chat (Ejento)");
  await user.click(within(chat).getByRole("button", { name: "Paste a token" }));
  await user.type(within(chat).getByLabelText(/access token/i), "not-a-token{Enter}");
  expect(await within(chat).findByText("That token didn't work")).toBeInTheDocument();
  expect(within(chat).getByText("Could not validate credentials")).toBeInTheDocument();
  ejentoTokens.add("ej-pasted");
  await user.clear(within(chat).getByLabelText(/access token/i));
  await user.type(within(chat).getByLabelText(/access token/i), "ej-pasted{Enter}");
  expect(await screen.findByLabelText("Signed in as")).toHaveTextContent("writer@customer.example");
  expect(seen.filter((c) => c.path === "/api/v2/users/me").map((c) => c.authorization)).toEqual(["Bearer not-a-token", "Bearer ej-pasted"]);
  expectOwnCredentialsOnly();
});

test("Artos can also take a pasted organization token", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento");
  artosTokens.add("artos-2");
  openTab("account");
  renderPane();
  const documents = await findGroup("Documents (Artos)");
  await user.click(within(documents).getByRole("button", { name: "Paste an organization token" }));
  await user.type(within(documents).getByLabelText(/organization token/i), "artos-2{Enter}");
  expect(await within(documents).findByText("Signed in as organization token")).toBeInTheDocument();
  expectOwnCredentialsOnly();
});

test("Ejento offers only the methods its feature flags turn on", async () => {
  separateServices();
  flags = [
    { name: "password", is_active: false },
    { name: "otp", is_active: false },
    { name: "microsoft_sso", is_active: true },
    { name: "google_sso", is_active: false },
  ];
  openTab("account");
  renderPane();
  const chat = await findGroup("Chat (Ejento)");
  expect(await within(chat).findByRole("button", { name: "Sign in with Microsoft" })).toBeInTheDocument();
  expect(within(chat).queryByRole("button", { name: "Sign in with Google" })).not.toBeInTheDocument();
  expect(within(chat).queryByLabelText(/^password/i)).not.toBeInTheDocument();
  expect(within(chat).queryByRole("button", { name: "Use an e-mail code" })).not.toBeInTheDocument();
  expect(within(chat).getByLabelText(/access token/i)).toBeInTheDocument(); // a pasted token is always possible
});

test("the Sidecar server's first screen adds an e-mail code and SSO buttons when its flags turn them on", async () => {
  const user = userEvent.setup();
  api.use(
    http.get(`${origin}/auth-service/api/v2/feature-flags/logins`, () =>
      HttpResponse.json({
        data: {
          items: [
            { name: "otp", is_active: true },
            { name: "okta_sso", is_active: true },
          ],
        },
      }),
    ),
  );
  renderPane();
  expect(await screen.findByRole("button", { name: "Sign in with Okta" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Use an e-mail code instead" }));
  expect(await screen.findByRole("button", { name: "Send code" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Use a password instead" }));
  expect(screen.getByLabelText(/^password/i)).toBeInTheDocument();
});

test("Test connection says in words what works: reachable, key refused, signed in as whom; unreachable", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento");
  openTab("account");
  renderPane();
  const chat = await findGroup("Chat (Ejento)");
  await user.click(within(chat).getByRole("button", { name: "Test connection" }));
  const lines = await within(chat).findByRole("list", { name: "Connection test" });
  expect(
    within(lines)
      .getAllByRole("listitem")
      .map((li) => li.textContent),
  ).toEqual(["Reached Chat (Ejento) at http://ejento.test.", "The key was accepted.", "Signed in as writer@customer.example."]);
  expect(within(chat).getByText("The connection works")).toBeInTheDocument();

  // A wrong key: saved, then tested.
  const key = within(chat).getByLabelText("API key");
  await user.clear(key);
  await user.type(key, "wrong-key{Enter}");
  await user.click(within(chat).getByRole("button", { name: "Test connection" }));
  expect(await within(chat).findByText(`The key was refused: ${APIM_REFUSAL}`)).toBeInTheDocument();
  expect(within(chat).getByText("The connection needs attention")).toBeInTheDocument();

  // A service that can't be reached names its address.
  const documents = group("Documents (Artos)");
  const address = within(documents).getByLabelText("Address");
  await user.clear(address);
  await user.type(address, "http://down.test{Enter}");
  await user.click(within(documents).getByRole("button", { name: "Test connection" }));
  expect(await within(documents).findByText(/Can't reach Documents \(Artos\) at http:\/\/down\.test/)).toBeInTheDocument();
});

test("addresses and header names are checked, with words under the field", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento");
  openTab("account");
  renderPane();
  const indexing = await findGroup("Ejento indexing");
  await user.type(within(indexing).getByLabelText("Key header name"), "X Indexing Key");
  expect(within(indexing).getByText(/A header name has only letters, digits and -/)).toBeInTheDocument();
  await user.clear(within(indexing).getByLabelText("Key header name"));
  await user.type(within(indexing).getByLabelText("Key header name"), "X-Indexing-Key");
  expect(within(indexing).getByText("Give the key's value too, or leave both empty.")).toBeInTheDocument();
  await user.type(within(indexing).getByLabelText("Key value"), "idx-1{Enter}");
  expect(within(indexing).queryByText("Not saved yet.")).not.toBeInTheDocument();
  const documents = group("Documents (Artos)");
  await user.clear(within(documents).getByLabelText("Address"));
  await user.type(within(documents).getByLabelText("Address"), "http://");
  expect(within(documents).getByText(/This is not a web address/)).toBeInTheDocument();
  expect(JSON.parse(localStorage.getItem("sidecar.connection") ?? "{}").indexing).toEqual({ url: "", keyHeader: "X-Indexing-Key", keyValue: "idx-1" });
});

test("signing out of one service leaves the others signed in and the work open", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento", "documents", "batch");
  openTab("account");
  renderPane();
  const batch = await findGroup("Batch tagging");
  await user.click(within(batch).getByRole("button", { name: "Sign out" }));
  expect(await within(batch).findByRole("button", { name: "Sign in" })).toBeInTheDocument();
  expect(within(batch).getByLabelText(/^e-mail/i)).toHaveValue("tagger@customer.example");
  expect(within(group("Chat (Ejento)")).getByText("Signed in as writer@customer.example")).toBeInTheDocument();
  expect(within(group("Documents (Artos)")).getByText("Signed in as user u-7")).toBeInTheDocument();
  expect(screen.getByRole("tab", { name: "Batch" })).toBeInTheDocument();
  expect(seen.filter((c) => c.path.endsWith("logout")).map((c) => `${c.host} ${c.authorization}`)).toEqual([`${TAGGER} Bearer tag-access-1`]);
  await user.click(screen.getByRole("tab", { name: "Batch" }));
  expect(await screen.findByText("Sign in to Batch tagging")).toBeInTheDocument();
});

test("an expired Documents sign-in asks for Artos in a dialog above the work; what was typed stays", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento", "documents");
  openTab("account");
  renderPane();
  // Unsaved work on screen.
  const batch = await findGroup("Batch tagging");
  await user.type(within(batch).getByLabelText("Model name"), "gpt-tagger");
  // Artos stops accepting the token, and the user id no longer gets a new one.
  artosTokens.clear();
  artosUserToken.delete("u-7");
  await user.click(within(group("Documents (Artos)")).getByRole("button", { name: "Test connection" }));
  const dialog = await screen.findByRole("alertdialog");
  expect(within(dialog).getByText("Your Documents (Artos) sign-in has expired")).toBeInTheDocument();
  expect(within(dialog).getByLabelText(/user id/i)).toHaveValue("u-7");
  expect(screen.getByRole("tab", { name: "Account", hidden: true })).toBeInTheDocument();
  // Ejento is untouched: no refresh, still signed in.
  expect(seen.some((c) => c.host === EJENTO && c.path.endsWith("refresh-access-token"))).toBe(false);
  // Artos hands out a token again: sign in there.
  artosUserToken.set("u-7", "artos-2");
  await user.click(within(dialog).getByRole("button", { name: "Sign in" }));
  await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
  expect(within(group("Batch tagging")).getByLabelText("Model name")).toHaveValue("gpt-tagger");
  expect(within(group("Chat (Ejento)")).getByText("Signed in as writer@customer.example")).toBeInTheDocument();
  expectOwnCredentialsOnly();
});

test("saving a new address for a signed-in service asks to sign in there, with the reason; the others stay", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento", "documents");
  openTab("account");
  renderPane();
  const documents = await findGroup("Documents (Artos)");
  const address = within(documents).getByLabelText("Address");
  await user.clear(address);
  await user.type(address, "artos2.test{Enter}");
  const dialog = await screen.findByRole("alertdialog");
  expect(within(dialog).getByText("Your Documents (Artos) sign-in has expired")).toBeInTheDocument();
  expect(within(dialog).getByText(/The Documents \(Artos\) address changed to https:\/\/artos2\.test/)).toBeInTheDocument();
  // Not now: sign out of Documents; Chat stays signed in, and the tabs stay.
  await user.click(within(dialog).getByRole("button", { name: "Sign out of Documents (Artos)" }));
  await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
  expect(within(group("Chat (Ejento)")).getByText("Signed in as writer@customer.example")).toBeInTheDocument();
  expect(within(group("Documents (Artos)")).getByLabelText(/user id/i)).toHaveValue("u-7");
});

test("several expired sign-ins are asked for one after the other", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("ejento", "documents", "batch");
  openTab("account");
  const view = renderPane();
  await findGroup("Batch tagging");
  act(() => {
    view.session.expire("documents");
    view.session.expire("batch");
  });
  const first = await screen.findByRole("alertdialog");
  expect(within(first).getByText("Your Documents (Artos) sign-in has expired")).toBeInTheDocument();
  await user.type(within(first).getByLabelText(/user id/i), "{Enter}");
  const second = await screen.findByText("Your Batch tagging sign-in has expired");
  const dialog = second.closest("[role=alertdialog]") as HTMLElement;
  await user.type(within(dialog).getByLabelText(/^password/i), "tag-pw{Enter}");
  await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
  expectOwnCredentialsOnly();
});

test("a tab whose service has no sign-in says which one, and its button opens Account", async () => {
  const user = userEvent.setup();
  separateServices();
  signedInTo("documents");
  openTab("chat");
  renderPane();
  const tabpanel = await screen.findByRole("tabpanel", { name: "Chat" });
  expect(await within(tabpanel).findByText("Sign in to Chat (Ejento)")).toBeInTheDocument();
  await user.click(within(tabpanel).getByRole("button", { name: "Open Account" }));
  expect(screen.getByRole("tab", { name: "Account" })).toHaveAttribute("aria-selected", "true");
  expect(await findGroup("Chat (Ejento)")).toBeInTheDocument();
  await user.click(screen.getByRole("tab", { name: "Batch" }));
  expect(await screen.findByText("Sign in to Batch tagging")).toBeInTheDocument();
  // No call went to a service without its sign-in.
  expect(seen.filter((c) => c.host === EJENTO && c.authorization)).toEqual([]);
  expect(seen.filter((c) => c.host === TAGGER)).toEqual([]);
});

/** An Office global whose dialog the test answers (the pane's FakeHost is a Word host). */
function fakeOfficeDialog() {
  const handlers = new Map<string, (arg: unknown) => void>();
  const dialog = { addEventHandler: (type: string, handler: (arg: unknown) => void) => void handlers.set(type, handler), close: jest.fn() };
  const opened: string[] = [];
  (globalThis as { Office?: unknown }).Office = {
    context: {
      ui: {
        displayDialogAsync: (url: string, _options: unknown, callback: (result: unknown) => void) => {
          opened.push(url);
          setTimeout(() => callback({ status: "succeeded", value: dialog }), 0);
        },
      },
    },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    AsyncResultStatus: { Succeeded: "succeeded" },
  };
  return {
    opened,
    dialog,
    send: (message: unknown) => handlers.get("dialogMessageReceived")?.({ message: JSON.stringify(message) }),
    close: () => handlers.get("dialogEventReceived")?.({ error: 12006 }),
  };
}

test("SSO: the provider's page in an Office dialog; the tokens it sends back sign in to Ejento", async () => {
  const user = userEvent.setup();
  separateServices();
  flags = [{ name: "microsoft_sso", is_active: true }];
  openTab("account");
  const office = fakeOfficeDialog();
  renderPane();
  const chat = await findGroup("Chat (Ejento)");
  // Closed by the person first: words, and another try is possible.
  await user.click(await within(chat).findByRole("button", { name: "Sign in with Microsoft" }));
  await waitFor(() => expect(office.opened).toHaveLength(1));
  act(() => office.close());
  expect(await within(chat).findByText(/The sign-in window was closed/)).toBeInTheDocument();

  await user.click(within(chat).getByRole("button", { name: "Sign in with Microsoft" }));
  await waitFor(() => expect(office.opened).toHaveLength(2));
  const start = new URL(office.opened[1] ?? "");
  expect(start.pathname).toBe("/auth-dialog.html");
  const provider = new URL(start.searchParams.get("start") ?? "");
  expect(provider.origin + provider.pathname).toBe(`${EJENTO}/auth-service/api/v2/sso/microsoft/login`);
  expect(provider.searchParams.get("next")).toBe(new URL("auth-dialog.html", location.href).toString());
  ejentoTokens.add("sso-ej");
  act(() => office.send({ token: "sso-auth", ejento_access_token: "sso-ej" }));
  expect(await screen.findByLabelText("Signed in as")).toHaveTextContent("writer@customer.example");
  expect(office.dialog.close).toHaveBeenCalled();
  expect(meCalls()).toEqual(["Bearer sso-ej"]);
});

function meCalls() {
  return seen.filter((c) => c.path === "/api/v2/users/me").map((c) => c.authorization);
}
