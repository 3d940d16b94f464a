import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse, delay } from "msw";
import { setupServer } from "msw/node";
import type { DocumentSummary as Doc } from "../../src/shared/wire/documents";
import { documentIdSetting } from "../../src/taskpane/office/host-context";
import { FakeHost } from "../support/fake-host";
import { renderPane, server as origin } from "../support/render-pane";
import { announce } from "../../src/taskpane/ui/announcer";

// What the pane says to screen readers: the real announcer, watched.
jest.mock("../../src/taskpane/ui/announcer", () => {
  const actual = jest.requireActual("../../src/taskpane/ui/announcer");
  return { ...actual, announce: jest.fn(actual.announce) };
});
const announced = announce as jest.MockedFunction<typeof announce>;
/** The announcements about uploads, in order. */
const uploadAnnouncements = () => announced.mock.calls.map(([message]) => message).filter((message) => /upload/i.test(message));

let documents: Doc[] = [];
let validToken = "api-1";
const api = setupServer();

function handlers() {
  const authorized = (request: Request) => request.headers.get("authorization") === `Bearer ${validToken}`;
  return [
    http.post(`${origin}/auth-service/api/v2/login/access-token`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      if (form.get("password") !== "sidecar-demo") return HttpResponse.json({ detail: "Incorrect e-mail or password." }, { status: 401 });
      return HttpResponse.json({ access_token: "refresh-1", ejento_access_token: validToken, token_type: "bearer", expires_in: 3600 });
    }),
    // The server offers the password only (no e-mail code, no SSO).
    http.get(`${origin}/auth-service/api/v2/feature-flags/logins`, () => HttpResponse.json({ data: { items: [] } })),
    http.get(`${origin}/api/v2/users/me`, ({ request }) =>
      authorized(request)
        ? HttpResponse.json({ success: true, message: "", data: { id: 1, email: "demo@sidecar.local", organization: { id: "o1", name: "demo" } } })
        : HttpResponse.json({ success: false, message: "Not authenticated", data: null }, { status: 401 }),
    ),
    http.post(`${origin}/auth-service/api/v2/users/refresh-access-token`, () => HttpResponse.json({ detail: "expired" }, { status: 401 })),
    http.post(`${origin}/auth-service/api/v2/users/logout`, () => new HttpResponse(null, { status: 204 })),
    http.get(`${origin}/api/v1/documents/`, ({ request }) =>
      authorized(request) ? HttpResponse.json({ documents }) : HttpResponse.json({ detail: "Not authenticated" }, { status: 401 }),
    ),
    http.post(`${origin}/api/v1/documents/local`, async ({ request }) => {
      if (!authorized(request)) return HttpResponse.json({ detail: "Not authenticated" }, { status: 401 });
      const file = (await request.formData()).get("file") as File;
      // Long enough for a test to see the progress: a role query over the whole pane takes a few hundred ms in jsdom.
      await delay(500);
      const doc: Doc = {
        document_id: `doc-${documents.length + 1}`,
        document_name: file.name,
        created_at: "2026-11-24 10:00:00.000000",
        updated_at: "2026-11-24 10:00:00.000000",
        workspace_id: null,
        template: null,
      };
      documents = [doc, ...documents];
      return HttpResponse.json({ document_id: doc.document_id, document_name: doc.document_name, s3_key: "k", status: "Ready" }, { status: 201 });
    }),
  ];
}

beforeAll(() => api.listen({ onUnhandledRequest: "error" }));
beforeEach(() => {
  announced.mockClear();
  documents = [];
  validToken = "api-1";
  api.use(...handlers());
});
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
});
afterAll(() => api.close());

async function signIn(user: ReturnType<typeof userEvent.setup>, password = "sidecar-demo") {
  await user.type(screen.getByLabelText(/e-mail/i), "demo@sidecar.local");
  await user.type(screen.getByLabelText(/^password/i), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

test("a wrong password shows the server's words and keeps what was typed", async () => {
  const user = userEvent.setup();
  renderPane();
  await signIn(user, "wrong-password");
  expect(await screen.findByText("Incorrect e-mail or password.")).toBeInTheDocument();
  expect(screen.getByLabelText(/e-mail/i)).toHaveValue("demo@sidecar.local");
  expect(screen.getByLabelText(/^password/i)).toHaveValue("wrong-password");
  expect(screen.queryByRole("tab")).not.toBeInTheDocument();
});

test("Enter in the password field signs in; the pane shows who is signed in and the features", async () => {
  const user = userEvent.setup();
  renderPane();
  await user.type(screen.getByLabelText(/e-mail/i), "demo@sidecar.local");
  await user.type(screen.getByLabelText(/^password/i), "sidecar-demo{Enter}");
  expect(await screen.findByRole("tab", { name: "Documents" })).toHaveAttribute("aria-selected", "true");
  expect(screen.getByLabelText("Signed in as")).toHaveTextContent("demo@sidecar.local");
  expect(await screen.findByText(/nothing uploaded yet/i)).toBeInTheDocument();
  // Focus doesn't drop to the page: it is on the tab to work in, where the arrow keys reach every feature.
  await waitFor(() => expect(screen.getByRole("tab", { name: "Documents" })).toHaveFocus());
});

test("a pane that opens already signed in leaves focus where it is", async () => {
  const user = userEvent.setup();
  const first = renderPane();
  await signIn(user);
  await screen.findByText(/nothing uploaded yet/i);
  first.unmount();
  renderPane();
  await screen.findByText(/nothing uploaded yet/i);
  expect(screen.getByRole("tab", { name: "Documents" })).not.toHaveFocus();
});

test("upload reads the open document, sends it, remembers its id in the document and lists it", async () => {
  const user = userEvent.setup();
  const host = new FakeHost("Quarterly report.docx", new Uint8Array(64).fill(7), 16);
  renderPane(host);
  await signIn(user);
  await user.click(await screen.findByRole("button", { name: "Upload this document" }));
  expect(await screen.findByRole("status")).toHaveTextContent(/reading the document|sending to the server/i);
  expect(await screen.findByText(/is in Sidecar/)).toHaveTextContent("Quarterly report.docx is in Sidecar.");
  expect(host.settings.get(documentIdSetting)).toBe("doc-1");
  const table = await screen.findByRole("table", { name: "My documents" });
  expect(within(table).getByText("Quarterly report.docx")).toBeInTheDocument();
  // The document now knows it was uploaded.
  expect(await screen.findByRole("button", { name: "Upload again" })).toBeInTheDocument();
});

test("starting an upload brings its progress into view and moves focus to it; the outcome shows there and is announced once", async () => {
  // jsdom lays nothing out and has no scrollIntoView: record the calls.
  const scrolled = jest.fn();
  Element.prototype.scrollIntoView = scrolled;
  try {
    const user = userEvent.setup();
    renderPane(new FakeHost("Quarterly report.docx", new Uint8Array(64).fill(7), 16));
    await signIn(user);
    await screen.findByText(/nothing uploaded yet/i);
    announced.mockClear();
    await user.click(screen.getByRole("button", { name: "Upload this document" }));
    const progress = await screen.findByRole("group", { name: "Upload progress" });
    await waitFor(() => expect(progress).toHaveFocus());
    expect(scrolled).toHaveBeenCalledWith({ block: "nearest" });
    expect(scrolled.mock.contexts).toContain(progress);
    // The outcome replaces the progress in the same place, so focus stays where the person is.
    await within(progress).findByText(/is in Sidecar/);
    await screen.findByRole("button", { name: "Upload again" });
    expect(progress).toHaveFocus();
    // Said once, and not in the words on screen (a screen reader would read them twice).
    expect(uploadAnnouncements()).toEqual(["Upload complete: Quarterly report.docx is ready in Sidecar."]);
    expect(uploadAnnouncements()[0]).not.toContain("Quarterly report.docx is in Sidecar.");
    await user.click(screen.getByRole("tab", { name: "Sources" }));
    await user.click(screen.getByRole("tab", { name: "Documents" }));
    await screen.findByRole("table", { name: "My documents" });
    expect(uploadAnnouncements()).toHaveLength(1);
  } finally {
    delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
  }
});

test("an upload the server refuses says why and offers to try again", async () => {
  api.use(http.post(`${origin}/api/v1/documents/local`, () => HttpResponse.json({ detail: "This file is damaged: it is not a readable Word document." }, { status: 400 })));
  const user = userEvent.setup();
  renderPane();
  await signIn(user);
  await user.click(await screen.findByRole("button", { name: "Upload this document" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Upload failed");
  expect(alert).toHaveTextContent("This file is damaged");
  expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  expect(uploadAnnouncements()).toEqual(["The upload did not finish."]);
});

test("Stop ends an upload in progress and says it was stopped", async () => {
  api.use(
    http.post(`${origin}/api/v1/documents/local`, async () => {
      await delay(5_000);
      return HttpResponse.json({ document_id: "x", document_name: "x", s3_key: "x", status: "Ready" }, { status: 201 });
    }),
  );
  const user = userEvent.setup();
  renderPane();
  await signIn(user);
  await user.click(await screen.findByRole("button", { name: "Upload this document" }));
  await user.click(await screen.findByRole("button", { name: "Stop" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Upload stopped");
  expect(documents).toHaveLength(0);
  // The Stop button went away: focus is on the upload's progress, where the outcome now shows.
  expect(screen.getByRole("group", { name: "Upload progress" })).toHaveFocus();
  expect(uploadAnnouncements()).toEqual(["The upload was stopped."]);
});

test("an expired session asks to sign in again above the work, and the interrupted upload can be retried", async () => {
  const user = userEvent.setup();
  const host = new FakeHost();
  renderPane(host);
  await signIn(user);
  await screen.findByText(/nothing uploaded yet/i);
  validToken = "api-2"; // the server no longer accepts the pane's token; refresh is refused
  await user.click(screen.getByRole("button", { name: "Upload this document" }));
  const dialog = await screen.findByRole("alertdialog");
  expect(within(dialog).getByText(/session has expired/i)).toBeInTheDocument();
  expect(within(dialog).getByLabelText(/e-mail/i)).toHaveValue("demo@sidecar.local");
  // Sign in again (the server now hands out the token it accepts).
  await user.type(within(dialog).getByLabelText(/^password/i), "sidecar-demo{Enter}");
  await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent(/sign in again/i);
  await user.click(within(alert).getByRole("button", { name: "Try again" }));
  expect(await screen.findByText(/is in Sidecar/)).toBeInTheDocument();
  expect(host.settings.get(documentIdSetting)).toBe("doc-1");
});

test("a server that is down reads as words with the address to check", async () => {
  const user = userEvent.setup();
  renderPane();
  await signIn(user);
  await screen.findByText(/nothing uploaded yet/i);
  api.use(http.get(`${origin}/api/v1/documents/`, () => HttpResponse.error()));
  await user.click(screen.getByRole("button", { name: "Refresh my documents" }));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("Can't reach the server");
  expect(alert).toHaveTextContent(origin);
});

test("sign out returns to the sign-in form with the e-mail remembered", async () => {
  const user = userEvent.setup();
  renderPane();
  await signIn(user);
  await user.click(await screen.findByRole("tab", { name: "Account" }));
  expect(await screen.findByText("Organization: demo", { exact: false })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Sign out" }));
  expect(await screen.findByRole("button", { name: "Sign in" })).toBeInTheDocument();
  expect(screen.getByLabelText(/e-mail/i)).toHaveValue("demo@sidecar.local");
});
