// auth-dialog.html, the sign-in window's page: goes on to the provider, then hands the tokens back
// (messageParent in an Office dialog, postMessage to the opener in a browser) and clears them from
// the address bar at once.
import { allowedStart, runSignInPage, type PageEnvironment } from "../../src/auth-dialog/auth-dialog-page";

const origin = "https://addin.test";
const provider = "https://ejento.test/auth-service/api/v2/sso/microsoft/login?next=https%3A%2F%2Faddin.test%2Fauth-dialog.html";

function env(href: string, parts: Partial<PageEnvironment> = {}) {
  const events: string[] = [];
  const said: string[] = [];
  const location = { href, origin, pathname: new URL(href).pathname, replace: jest.fn((url: string) => void events.push(`replace ${url}`)) };
  const history = { replaceState: jest.fn((_d: unknown, _u: string, url?: string) => void events.push(`replaceState ${url}`)) };
  const page: PageEnvironment = { location, history, say: (words) => void said.push(words), officeTimeoutMs: 20, ...parts };
  return { page, events, said, location, history };
}

test("?start= goes on to the provider's sign-in address", async () => {
  const { page, location } = env(`${origin}/auth-dialog.html?start=${encodeURIComponent(provider)}`);
  await runSignInPage(page);
  expect(location.replace).toHaveBeenCalledWith(provider);
});

test.each(["javascript:alert(1)", "https://evil.test/phish", "https://ejento.test/auth-service/api/v2/sso/microsoft/login/../../../../x", "not a url"])(
  "?start= never follows %s",
  async (start) => {
    expect(allowedStart(start)).toBeUndefined();
    const { page, location, said } = env(`${origin}/auth-dialog.html?start=${encodeURIComponent(start)}`);
    await runSignInPage(page);
    expect(location.replace).not.toHaveBeenCalled();
    expect(said.at(-1)).toMatch(/not a sign-in address Sidecar opens/);
  },
);

test("in an Office dialog: the tokens leave the address bar first, then go to Word's pane with messageParent", async () => {
  const messageParent = jest.fn();
  const { page, events, said } = env(`${origin}/auth-dialog.html?token=auth-1&ejento_access_token=ej-1`, {
    office: { onReady: async () => ({ host: "Word" }), context: { ui: { messageParent: (m: string) => (events.push("messageParent"), messageParent(m)) } } },
    opener: { postMessage: jest.fn() },
  });
  await runSignInPage(page);
  expect(events).toEqual(["replaceState /auth-dialog.html", "messageParent"]);
  expect(JSON.parse(messageParent.mock.calls[0][0])).toEqual({ token: "auth-1", ejento_access_token: "ej-1" });
  expect(said.at(-1)).toMatch(/Signed in/);
});

test("in a browser popup: postMessage to the opener, to the add-in's origin only", async () => {
  const postMessage = jest.fn();
  const { page, history } = env(`${origin}/auth-dialog.html?token=auth-1&ejento_access_token=ej-1`, {
    office: { onReady: async () => ({ host: null }) },
    opener: { postMessage },
  });
  await runSignInPage(page);
  expect(history.replaceState).toHaveBeenCalledWith(null, "", "/auth-dialog.html");
  expect(postMessage).toHaveBeenCalledWith(JSON.stringify({ token: "auth-1", ejento_access_token: "ej-1" }), origin);
});

test("missing tokens: words for the pane and on the page", async () => {
  const postMessage = jest.fn();
  const { page, said } = env(`${origin}/auth-dialog.html?token=auth-1`, { opener: { postMessage } });
  await runSignInPage(page);
  expect(JSON.parse(postMessage.mock.calls[0][0])).toEqual({ error: expect.stringMatching(/without the tokens/) });
  expect(said.at(-1)).toMatch(/without the tokens Sidecar needs/);
});

test("opened on its own (an e-mailed link in a browser): says where to sign in instead", async () => {
  const { page, said, history } = env(`${origin}/auth-dialog.html?token=auth-1&ejento_access_token=ej-1`, { opener: null });
  await runSignInPage(page);
  expect(history.replaceState).toHaveBeenCalled();
  expect(said.at(-1)).toMatch(/isn't connected to Sidecar/);
});

test("an Office dialog whose office.js names no host still answers with messageParent when there is no opener", async () => {
  const messageParent = jest.fn();
  const { page } = env(`${origin}/auth-dialog.html?token=auth-1&ejento_access_token=ej-1`, {
    office: { onReady: () => new Promise(() => undefined), context: { ui: { messageParent } } },
    opener: null,
  });
  await runSignInPage(page);
  expect(messageParent).toHaveBeenCalledWith(JSON.stringify({ token: "auth-1", ejento_access_token: "ej-1" }));
});
