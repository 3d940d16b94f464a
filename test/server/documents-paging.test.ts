// GET /api/v1/documents/ answers a page (`limit`, `offset`) and says how many there are
// (`total`), newest first: a long list is not sent whole on every look.
import { endpoints } from "../../src/shared/contract/endpoints";
import { bearer, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  const bytes = readFixture("openxml-sdk-nutrition-report.docx");
  for (let i = 1; i <= 5; i++) expect((await upload(server.url, token, bytes, `Report ${i}.docx`)).status).toBe(201);
});
afterAll(() => server.close());

async function page(query: string) {
  const response = await fetch(`${server.url}${endpoints.listDocuments.path}${query}`, { headers: bearer(token) });
  return { status: response.status, body: (await response.json()) as { documents?: Array<{ document_name: string }>; total?: number; limit?: number; offset?: number; detail?: unknown } };
}

test("pages of the list, newest first, with the total", async () => {
  const first = await page("?limit=2");
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ total: 5, limit: 2, offset: 0 });
  expect(first.body.documents!.map((d) => d.document_name)).toEqual(["Report 5.docx", "Report 4.docx"]);
  const last = await page("?limit=2&offset=4");
  expect(last.body.documents!.map((d) => d.document_name)).toEqual(["Report 1.docx"]);
  expect((await page("?offset=10")).body.documents).toEqual([]);
  const whole = await page("");
  expect(whole.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
  expect(whole.body.documents).toHaveLength(5);
});

test.each([["?limit=0"], ["?limit=201"], ["?limit=two"], ["?offset=-1"]])("%s is 422 naming the field", async (query) => {
  const answer = await page(query);
  expect(answer.status).toBe(422);
  expect(JSON.stringify(answer.body.detail)).toMatch(/limit|offset/);
});
