// Upload safety: every bad input gets the right status and a detail naming the problem, the
// server keeps serving, a good upload still works, and nothing is left behind.
import { endpoints } from "../../src/shared/contract/endpoints";
import {
  bearer,
  buildZip,
  listDocuments,
  patchDeclaredSize,
  readFixture,
  readZipEntries,
  rezipFixture,
  signIn,
  startServer,
  storedFiles,
  upload,
  zeros,
  type TestServer,
} from "./helpers";

const MB = 1024 * 1024;
const GOOD = "mammoth-single-paragraph.docx";

let server: TestServer;
let token: string;
let goodUploads = 0;

beforeAll(async () => {
  server = await startServer({
    SIDECAR_MAX_UPLOAD_BYTES: String(1 * MB),
    SIDECAR_MAX_UNPACKED_BYTES: String(20 * MB),
  });
  token = (await signIn(server.url)).ejento_access_token;
});
afterAll(() => server.close());

/** After a rejection: the server answers, nothing was kept, and a good upload still works. */
async function expectServerStillFine(): Promise<void> {
  const health = await fetch(server.url + "/healthz");
  expect(await health.json()).toEqual({ ok: true });
  const listedBefore = (await listDocuments(server.url, token)).length;
  expect((await storedFiles(server))).toEqual({ files: expect.any(Array), tmp: [] });
  expect((await storedFiles(server)).files).toHaveLength(listedBefore);

  goodUploads++;
  const good = await upload(server.url, token, readFixture(GOOD), `good-${goodUploads}.docx`);
  expect(good.status).toBe(201);
  expect(await listDocuments(server.url, token)).toHaveLength(listedBefore + 1);
  expect((await storedFiles(server)).files).toHaveLength(listedBefore + 1);
}

async function expectRejected(response: Response, status: number, detail: RegExp): Promise<void> {
  const body = (await response.json()) as { detail: string };
  expect({ status: response.status, detail: body.detail }).toEqual({ status, detail: expect.stringMatching(detail) });
  expect(body.detail).not.toMatch(/\bat .*\.(ts|js):\d+/); // never a stack trace
}

const xml = (text: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${text}`);

describe("requests that are not a multipart upload with a file field", () => {
  test("JSON instead of multipart", async () => {
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/json" },
      body: JSON.stringify({ file: "hello" }),
    });
    await expectRejected(response, 400, /multipart.*"file"/);
    await expectServerStillFine();
  });

  test("raw bytes with no multipart wrapping", async () => {
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "application/octet-stream" },
      body: new Uint8Array(readFixture(GOOD)),
    });
    await expectRejected(response, 400, /multipart.*"file"/);
    await expectServerStillFine();
  });

  test("no body at all", async () => {
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, { method: "POST", headers: bearer(token) });
    await expectRejected(response, 400, /multipart.*"file"/);
    await expectServerStillFine();
  });

  test("the file in a field with another name", async () => {
    const response = await upload(server.url, token, readFixture(GOOD), "x.docx", "document");
    await expectRejected(response, 400, /field named "document".*"file"/);
    await expectServerStillFine();
  });

  test("multipart with only a text field", async () => {
    const form = new FormData();
    form.append("name", "x.docx");
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: bearer(token),
      body: form,
    });
    await expectRejected(response, 400, /no file.*"file"/);
    await expectServerStillFine();
  });

  test("multipart without a boundary", async () => {
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "multipart/form-data" },
      body: "--x\r\n",
    });
    await expectRejected(response, 400, /multipart.*"file"/);
    await expectServerStillFine();
  });

  test("an upload cut off midway (the client gives up) leaves nothing behind", async () => {
    const before = (await listDocuments(server.url, token)).length;
    const controller = new AbortController();
    const head = new TextEncoder().encode(
      '--cut\r\nContent-Disposition: form-data; name="file"; filename="cut.docx"\r\nContent-Type: application/octet-stream\r\n\r\n',
    );
    let chunks = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(stream) {
        if (controller.signal.aborted) return stream.error(new Error("gave up"));
        chunks++;
        if (chunks === 1) stream.enqueue(head);
        else stream.enqueue(readFixture("openxml-sdk-complex0.docx").subarray(0, 16 * 1024));
        if (chunks === 8) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 10));
      },
    });
    const sent = fetch(server.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: { ...bearer(token), "content-type": "multipart/form-data; boundary=cut" },
      body,
      signal: controller.signal,
      duplex: "half",
    } as RequestInit);
    await expect(sent).rejects.toThrow();
    // The server notices the closed connection and cleans up.
    for (let i = 0; i < 50 && (await storedFiles(server)).tmp.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await listDocuments(server.url, token)).toHaveLength(before);
    await expectServerStillFine();
  });

  test("an upload without a sign-in is 401 and stores nothing", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFixture(GOOD))]), "x.docx");
    const response = await fetch(server.url + endpoints.uploadLocalDocument.path, { method: "POST", body: form });
    await expectRejected(response, 401, /Not authenticated/);
    await expectServerStillFine();
  });
});

describe("files that are not a .docx", () => {
  test("an empty file", async () => {
    await expectRejected(await upload(server.url, token, new Uint8Array(0), "empty.docx"), 400, /^The file is empty\.$/);
    await expectServerStillFine();
  });

  test("a file over the size limit is answered cleanly with 413 naming the limit", async () => {
    // Far over the limit (eight times), so the server answers while the body is still arriving.
    const big = Buffer.alloc(8 * MB, 7);
    await expectRejected(await upload(server.url, token, big, "big.docx"), 413, /too large.*1 MB/);
    await expectServerStillFine();
  });

  test("a text file named .docx", async () => {
    const text = Buffer.from("Dear team,\nthese are my notes.\n");
    await expectRejected(await upload(server.url, token, text, "notes.docx"), 400, /not a Word document \(\.docx\)/);
    await expectServerStillFine();
  });

  test("a PDF named .docx", async () => {
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n");
    await expectRejected(await upload(server.url, token, pdf, "report.docx"), 400, /PDF.*save it as a Word Document \(\.docx\)/);
    await expectServerStillFine();
  });

  test("an old binary Word .doc (OLE) named .docx", async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]);
    await expectRejected(await upload(server.url, token, ole, "old.docx"), 400, /Word 97-2003 document \(\.doc\).*\.docx/);
    await expectServerStillFine();
  });

  test("a truncated .docx", async () => {
    const bytes = readFixture("openxml-sdk-nutrition-report.docx");
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    await expectRejected(await upload(server.url, token, cut, "cut.docx"), 400, /damaged/);
    await expectServerStillFine();
  });

  test("a .docx whose part was corrupted inside", async () => {
    // Same size, flipped bytes in the middle of the compressed data: the checksum catches it.
    const bytes = Buffer.from(readFixture("openxml-sdk-nutrition-report.docx"));
    for (let i = 20000; i < 20100; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
    await expectRejected(await upload(server.url, token, bytes, "flipped.docx"), 400, /damaged/);
    await expectServerStillFine();
  });

  test("an Excel-like ZIP (an Office file, but not Word)", async () => {
    const xlsx = await buildZip([
      {
        name: "[Content_Types].xml",
        data: xml(
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        ),
      },
      {
        name: "_rels/.rels",
        data: xml(
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
      },
      {
        name: "xl/workbook.xml",
        data: xml('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'),
      },
    ]);
    await expectRejected(await upload(server.url, token, xlsx, "sheet.docx"), 400, /Office file.*Excel.*not a Word document/);
    await expectServerStillFine();
  });

  test("a plain ZIP of text files", async () => {
    const zip = await buildZip([{ name: "readme.txt", data: Buffer.from("hello") }]);
    await expectRejected(await upload(server.url, token, zip, "archive.docx"), 400, /ZIP.*not a Word document/);
    await expectServerStillFine();
  });

  test("a .docx whose main document is not well-formed XML", async () => {
    const broken = await rezipFixture(GOOD, (name, data) =>
      name === "word/document.xml" ? Buffer.from(data.toString("utf8").replace("</w:body>", "")) : data,
    );
    await expectRejected(await upload(server.url, token, broken, "broken.docx"), 400, /damaged.*not well-formed/);
    await expectServerStillFine();
  });

  test("a .docx whose main document has no document root", async () => {
    const wrongRoot = await rezipFixture(GOOD, (name, data) =>
      name === "word/document.xml" ? xml('<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>') : data,
    );
    await expectRejected(await upload(server.url, token, wrongRoot, "root.docx"), 400, /damaged.*no Word document body/);
    await expectServerStillFine();
  });
});

describe("entity declarations", () => {
  test.each([
    ["word/document.xml", "DOCTYPE"],
    ["word/_rels/document.xml.rels", "DOCTYPE"],
  ])("a DOCTYPE with an ENTITY injected into %s is refused", async (part) => {
    const evil = await rezipFixture(GOOD, (name, data) => {
      if (name !== part) return data;
      const text = data.toString("utf8");
      const declaration = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]>';
      return Buffer.from(text.replace(/(<\?xml[^>]*\?>)/, `$1${declaration}`));
    });
    const response = await upload(server.url, token, evil, "xxe.docx");
    await expectRejected(response, 400, new RegExp(`DOCTYPE.*${part.replace(/[./]/g, "\\$&")}.*entity declarations are refused`));
    await expectServerStillFine();
  });

  test("an ENTITY declaration alone (UTF-16 encoded part) is refused", async () => {
    const evil = await rezipFixture(GOOD, (name, data) =>
      name === "docProps/app.xml"
        ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><!ENTITY x "y"><r/>', "utf16le")])
        : data,
    );
    await expectRejected(await upload(server.url, token, evil, "utf16.docx"), 400, /ENTITY.*refused/);
    await expectServerStillFine();
  });
});

describe("zip bombs", () => {
  const goodParts = async () => readZipEntries(readFixture(GOOD));

  test("an entry of hundreds of MB of zeros (a small file) is refused", async () => {
    const bomb = await buildZip([
      ...(await goodParts()),
      { name: "word/media/zeros.bin", data: zeros(200 * MB), compressionLevel: 1 },
    ]);
    expect(bomb.length).toBeLessThan(1 * MB); // under the upload limit: only unpacking shows the size
    await expectRejected(await upload(server.url, token, bomb, "bomb.docx"), 413, /too large when unpacked.*20 MB/);
    await expectServerStillFine();

    // The same bomb with its headers claiming 10 MB: refused while inflating, without
    // inflating the 200 MB.
    const lyingBomb = patchDeclaredSize(bomb, "word/media/zeros.bin", 10 * MB);
    const started = Date.now();
    await expectRejected(
      await upload(server.url, token, lyingBomb, "bomb2.docx"),
      413,
      /too large when unpacked.*zeros\.bin.*declares/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    await expectServerStillFine();
  });

  test("an entry whose header understates its size is refused", async () => {
    const zip = await buildZip([...(await goodParts()), { name: "word/media/liar.bin", data: Buffer.alloc(200_000, 1) }]);
    const lying = patchDeclaredSize(zip, "word/media/liar.bin", 1000);
    await expectRejected(await upload(server.url, token, lying, "liar.docx"), 413, /too large when unpacked.*liar\.bin.*declares/);
    await expectServerStillFine();
  });

  test("a ZIP with more than 5000 entries is refused", async () => {
    const many = Array.from({ length: 5001 }, (_, i) => ({
      name: `word/media/f${i}.txt`,
      data: Buffer.from("x"),
      compressionLevel: 0,
    }));
    const zip = await buildZip([...(await goodParts()), ...many]);
    await expectRejected(await upload(server.url, token, zip, "many.docx"), 413, /too large when unpacked.*5000 parts/);
    await expectServerStillFine();
  });
});
