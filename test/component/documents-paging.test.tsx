// My documents and the document pickers load the list a page at a time ("Show more"), and still
// list everything from a server that answers the whole list at once (Artos).
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { FakeHost } from "../support/fake-host";
import { renderPane, server as origin } from "../support/render-pane";

const api = setupServer();
beforeAll(() => api.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => {
  api.resetHandlers();
  localStorage.clear();
});
afterAll(() => api.close());

const doc = (i: number) => ({
  document_id: `d-${i}`,
  document_name: `Report ${i}.docx`,
  created_at: "2026-12-01 10:00:00.000000",
  updated_at: "2026-12-01 10:00:00.000000",
  workspace_id: null,
  template: null,
  status: "Ready",
});

function openTab(tab: "documents" | "generate" | "batch") {
  localStorage.setItem("sidecar.session", JSON.stringify({ accessToken: "r", ejentoToken: "e", expiresAt: Date.now() + 3_600_000, email: "demo@sidecar.local" }));
  localStorage.setItem("sidecar.tab", JSON.stringify(tab));
  return renderPane(new FakeHost());
}

const openDocuments = () => openTab("documents");

/** A server with 53 documents that answers pages (limit, offset, total); records each query. */
function pagedServer(asked: string[]) {
  return http.get(`${origin}/api/v1/documents/`, ({ request }) => {
    const url = new URL(request.url);
    asked.push(url.search);
    const limit = Number(url.searchParams.get("limit"));
    const offset = Number(url.searchParams.get("offset"));
    const all = Array.from({ length: 53 }, (_, i) => doc(53 - i));
    return HttpResponse.json({ documents: all.slice(offset, offset + limit), total: all.length, limit, offset });
  });
}

test("My documents shows the first page and loads the next with Show more, asking for limit and offset", async () => {
  const asked: string[] = [];
  api.use(pagedServer(asked));
  const user = userEvent.setup();
  openDocuments();
  const table = await screen.findByRole("table", { name: "My documents" });
  await within(table).findByText("Report 53.docx");
  expect(within(table).getAllByRole("row")).toHaveLength(51); // a header and 50
  expect(within(table).queryByText("Report 1.docx")).toBeNull();
  await user.click(screen.getByRole("button", { name: "Show more documents" }));
  await within(table).findByText("Report 1.docx");
  expect(within(table).getAllByRole("row")).toHaveLength(54);
  await waitFor(() => expect(screen.queryByRole("button", { name: "Show more documents" })).toBeNull());
  expect(asked).toEqual(["?limit=50&offset=0", "?limit=50&offset=50"]);
});

test("a server that answers the whole list without a total (Artos) is listed whole, with no Show more", async () => {
  api.use(http.get(`${origin}/api/v1/documents/`, () => HttpResponse.json({ documents: Array.from({ length: 60 }, (_, i) => doc(i + 1)) })));
  openDocuments();
  const table = await screen.findByRole("table", { name: "My documents" });
  await within(table).findByText("Report 60.docx");
  expect(within(table).getAllByRole("row")).toHaveLength(61);
  expect(screen.queryByRole("button", { name: /Show more/ })).toBeNull();
});

test("the Generate tab's source picker shows a page of documents and the rest with Show more", async () => {
  const asked: string[] = [];
  api.use(
    pagedServer(asked),
    http.get(`${origin}/api/v1/templates/`, () => HttpResponse.json({ templates: [] })),
    http.get(`${origin}/api/v1/document-sets/`, () => HttpResponse.json({ document_sets: [] })),
  );
  const user = userEvent.setup();
  openTab("generate");
  const sources = await screen.findByRole("group", { name: "Source documents" });
  await within(sources).findByRole("checkbox", { name: "Report 53.docx" });
  expect(within(sources).getAllByRole("checkbox")).toHaveLength(50);
  expect(within(sources).queryByRole("checkbox", { name: "Report 1.docx" })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Show more documents" }));
  // A document from the second page can be chosen as a source.
  await user.click(await within(sources).findByRole("checkbox", { name: "Report 1.docx" }));
  expect(within(sources).getByRole("checkbox", { name: "Report 1.docx" })).toBeChecked();
  expect(within(sources).getAllByRole("checkbox")).toHaveLength(53);
  await waitFor(() => expect(screen.queryByRole("button", { name: "Show more documents" })).toBeNull());
  expect(asked).toEqual(["?limit=50&offset=0", "?limit=50&offset=50"]);
});

test("the Batch tab's picker shows a page of documents; Show more adds the rest and Select all then takes all of them", async () => {
  const asked: string[] = [];
  api.use(pagedServer(asked), http.get(`${origin}/api/batch/active`, () => HttpResponse.json({ jobs: [] })));
  const user = userEvent.setup();
  openTab("batch");
  const picker = await screen.findByRole("group", { name: "Tag documents" });
  await within(picker).findByRole("checkbox", { name: "Report 53.docx" });
  expect(within(picker).getAllByRole("checkbox")).toHaveLength(50);
  expect(screen.getByText("0 of 50 selected")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Show more documents" }));
  await within(picker).findByRole("checkbox", { name: "Report 1.docx" });
  await user.click(screen.getByRole("checkbox", { name: "Select all" }));
  expect(screen.getByText("53 of 53 selected")).toBeInTheDocument();
  await waitFor(() => expect(screen.queryByRole("button", { name: "Show more documents" })).toBeNull());
  expect(asked).toEqual(["?limit=50&offset=0", "?limit=50&offset=50"]);
});
