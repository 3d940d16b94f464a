// Document rows kept in memory by two servers sharing one PostgreSQL database (storage/document-store.ts:
// the Sources panel's calls read them from memory once Ready): a change to a row, by whatever
// process or person, is seen by both servers at once, and while a server cannot hear of changes
// (its listening connection is cut) it reads every row from the database.
// PostgreSQL only (SIDECAR_TEST_ENGINE=postgres).
import { endpoints } from "../../src/shared/contract/endpoints";
import { testEngine } from "../support/postgres";
import { cutListeners, getJson, listeners, onDatabase, postJson, readFixture, signIn, until, upload, useTwoServersOnOneDatabase, waitForDocument, type TestServer } from "./helpers";

// A generation and two servers' answers: more than Jest's 5 s when the machine is busy.
jest.setTimeout(20_000);

const describePostgres = testEngine === "postgres" ? describe : describe.skip;
const NUTRITION = "openxml-sdk-nutrition-report.docx";

describePostgres("document rows kept in memory by two servers on one database", () => {
  const two = useTwoServersOnOneDatabase();
  let token: string;
  beforeAll(async () => {
    token = (await signIn(two.a.url)).ejento_access_token;
  });

  /** Runs SQL on the database as an operator (or another program) would, outside both servers. */
  const onTheDatabase = (text: string, values: unknown[]) => onDatabase(two.database.url, (client) => client.query(text, values));

  const sections = async (server: TestServer, documentId: string) =>
    (await postJson(server.url, endpoints.getSectionsForDocument.path, token, { document_id: documentId })).status;
  // A change reaches a server as a notice delivered at its commit, so within milliseconds; a server
  // that missed it would go on answering from memory for 30 s.
  const soon = (server: TestServer, documentId: string, status: number) => until(async () => (await sections(server, documentId)) === status, 2000);

  async function uploaded(name: string): Promise<{ document_id: string; s3_key: string }> {
    const response = await upload(two.a.url, token, readFixture(NUTRITION), name);
    expect(response.status).toBe(201);
    return (await response.json()) as { document_id: string; s3_key: string };
  }

  test("a document deleted on the database is gone for both servers within moments, though both had just answered its sections", async () => {
    const { a, b } = two;
    const { document_id } = await uploaded("Deleted.docx");
    for (const server of [b, b, a, a]) expect(await sections(server, document_id)).toBe(200);
    await onTheDatabase("DELETE FROM documents WHERE document_id = $1", [document_id]);
    await soon(b, document_id, 404);
    await soon(a, document_id, 404);
  });

  test("a generated document run again (its row back to Ingesting) has no sections on either server until it is Ready again", async () => {
    const { a, b } = two;
    const source = await uploaded("Source.docx");
    const sets = await getJson<{ document_sets: Array<{ document_set_id: string; document_set_name: string }> }>(a.url, endpoints.listDocumentSets.path, token);
    const [set] = sets.body.document_sets;
    const response = await postJson(a.url, endpoints.generateDocument.path, token, {
      document_type: "CSR",
      file_paths: [source.s3_key],
      connector_data_id: set?.document_set_id,
      workspace_name: set?.document_set_name,
      template_id: "builtin-study-report-summary",
      output_name: "Run again",
    });
    expect(response.status).toBe(202);
    const { task_id } = (await response.json()) as { task_id: string };
    expect((await waitForDocument(a.url, token, task_id)).final.status).toBe("Ready");
    for (const server of [b, b, a]) expect(await sections(server, task_id)).toBe(200);

    // What a new run of the generation does to the row (storage/generation-store.ts, beginRun).
    await onTheDatabase("UPDATE documents SET status = 'Ingesting', updated_at = $2 WHERE document_id = $1", [task_id, new Date().toISOString()]);
    await soon(b, task_id, 409);
    await soon(a, task_id, 409);
    // Not Ready, so not kept: Ready again is seen at once too.
    await onTheDatabase("UPDATE documents SET status = 'Ready', updated_at = $2 WHERE document_id = $1", [task_id, new Date().toISOString()]);
    expect(await sections(b, task_id)).toBe(200);
  });

  test("a server reads its own change to a Ready row at once, before the database's announcement of it comes back", async () => {
    const storage = two.a.app.sidecar.storage;
    const { document_id } = await uploaded("Own change.docx");
    expect(await sections(two.a, document_id)).toBe(200); // its row is kept now
    // A generation ending Failed (storage/generation-store.ts), then a read with no wait at all.
    await storage.generation.fail(document_id, "Failed on purpose");
    expect((await storage.documents.getOften(document_id))?.status).toBe("Failed");
  });

  test("while its listening connection is cut, a server reads every row from the database; listening again, it hears changes again", async () => {
    const { b, database } = two;
    const first = await uploaded("While cut.docx");
    expect(await sections(b, first.document_id)).toBe(200);
    await cutListeners(database.url, "sidecar-documents");
    await until(() => two.logOfB.includes("hearing of documents changed by the other server processes failed"), 10_000);
    // Asked on B meanwhile, then deleted while B hears nothing: B, not listening, kept nothing.
    expect(await sections(b, first.document_id)).toBe(200);
    await onTheDatabase("DELETE FROM documents WHERE document_id = $1", [first.document_id]);
    expect(await sections(b, first.document_id)).toBe(404);

    // Listening again (a second later): rows are kept, and changes heard, as before.
    await until(async () => (await listeners(database.url, "sidecar-documents")) === 2, 10_000);
    const second = await uploaded("Listening again.docx");
    expect(await sections(b, second.document_id)).toBe(200);
    expect(await sections(b, second.document_id)).toBe(200);
    await onTheDatabase("DELETE FROM documents WHERE document_id = $1", [second.document_id]);
    await soon(b, second.document_id, 404);
  }, 20_000);
});
