// Presigned file URLs: absolute, usable with no auth header (or API key), tamper-proof, expiring,
// organization-scoped; and where their scheme and host come from.
import http from "node:http";
import type { FastifyRequest } from "fastify";
import { requestBaseUrl } from "../../src/server/http/public-url";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import type { ErrorBody } from "../../src/shared/wire/auth";
import type { PresignedUrlResponse, UploadedDocument as Uploaded } from "../../src/shared/wire/documents";
import { namedFields, postJson, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

let server: TestServer;
let token: string;
let otherToken: string;
let nutrition: Uploaded;
const NUTRITION = "openxml-sdk-nutrition-report.docx";

async function presign(key: unknown, as: string | null = token, headers: Record<string, string> = {}, url = server.url) {
  const response = await postJson(url, endpoints.presignedUrl.path, as, { key }, headers);
  return { status: response.status, body: (await response.json()) as Partial<PresignedUrlResponse & ErrorBody> };
}

function withParam(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set(name, value);
  return parsed.toString();
}

beforeAll(async () => {
  server = await startServer();
  token = (await signIn(server.url)).ejento_access_token;
  nutrition = (await (await upload(server.url, token, readFixture(NUTRITION), "Nutrition – Bericht.docx")).json()) as Uploaded;
  await addUser(server.app.sidecar.storage, { organizationName: "Other Org", email: "other@other.example", password: "other-password" });
  otherToken = (await signIn(server.url, "other@other.example", "other-password")).ejento_access_token;
});
afterAll(() => server.close());

test("the URL is absolute, expires in an hour, and serves the bytes with no auth header", async () => {
  const before = Math.floor(Date.now() / 1000);
  const { status, body } = await presign(nutrition.s3_key);
  expect(status).toBe(200);
  const url = new URL(body.url as string);
  expect(`${url.protocol}//${url.host}`).toBe(server.url);
  expect(url.pathname).toBe(`/files/${nutrition.s3_key}`);
  const expires = Number(url.searchParams.get("expires"));
  expect(expires).toBeGreaterThanOrEqual(before + 3600);
  expect(expires).toBeLessThanOrEqual(before + 3601);
  expect(url.searchParams.get("signature")).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const response = await fetch(body.url as string);
  expect(response.status).toBe(200);
  expect(Buffer.from(await response.arrayBuffer()).equals(readFixture(NUTRITION))).toBe(true);
  expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  expect(response.headers.get("content-disposition")).toBe(
    `attachment; filename="Nutrition _ Bericht.docx"; filename*=UTF-8''Nutrition%20%E2%80%93%20Bericht.docx`,
  );
});

test("a changed signature, expiry or key → 403; missing parameters → 403", async () => {
  const { body } = await presign(nutrition.s3_key);
  const url = body.url as string;
  const signature = new URL(url).searchParams.get("signature") as string;
  const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  const other = (await (await upload(server.url, token, readFixture("mammoth-tables.docx"), "t.docx")).json()) as Uploaded;

  const tampered = [
    withParam(url, "signature", flipped),
    withParam(url, "expires", String(Number(new URL(url).searchParams.get("expires")) + 3600)),
    url.replace(nutrition.s3_key, other.s3_key),
    url.split("?")[0] as string,
  ];
  for (const candidate of tampered) {
    const response = await fetch(candidate);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/link (is not valid|is incomplete)/);
  }
});

test("an expired URL → 410 (signed with a past expiry; and a 1-second TTL server)", async () => {
  const past = Math.floor(Date.now() / 1000) - 5;
  const response = await fetch(server.url + (await server.app.sidecar.presign.signedPath(nutrition.s3_key, past)));
  expect(response.status).toBe(410);
  expect(((await response.json()) as { detail: string }).detail).toMatch(/expired/);

  let now = Date.now();
  const quick = await startServer({ SIDECAR_PRESIGN_TTL_SECONDS: "1" }, { clock: () => now });
  try {
    const quickToken = (await signIn(quick.url)).ejento_access_token;
    const file = (await (await upload(quick.url, quickToken, readFixture(NUTRITION), "n.docx")).json()) as Uploaded;
    const { body } = await presign(file.s3_key, quickToken, {}, quick.url);
    const expires = Number(new URL(body.url as string).searchParams.get("expires"));
    expect((await fetch(body.url as string)).status).toBe(200);
    // The server's clock moves past the expiry; nobody waits.
    now = expires * 1000 + 1;
    expect((await fetch(body.url as string)).status).toBe(410);
  } finally {
    await quick.close();
  }
});

test("a key the caller's organization cannot read → 404; no key → 422 naming it; no sign-in → 401", async () => {
  const theirs = await presign(nutrition.s3_key, otherToken);
  expect(theirs.status).toBe(404);
  expect(theirs.body.detail).toMatch(/no document with the key/);
  expect((await presign("nobody/documents/none.docx")).status).toBe(404);
  const missing = await presign(undefined);
  expect(missing.status).toBe(422);
  expect(namedFields(missing.body)).toEqual(["key"]);
  expect((await presign(nutrition.s3_key, null)).status).toBe(401);
});

test("the file link needs no API key even when the server requires one for the API", async () => {
  const locked = await startServer({ SIDECAR_API_KEY: "k3y" });
  try {
    const key = { "ocp-apim-subscription-key": "k3y" };
    const lockedToken = (await signIn(locked.url, undefined, undefined, key)).ejento_access_token;
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(readFixture(NUTRITION))]), "n.docx");
    const uploadResponse = await fetch(locked.url + endpoints.uploadLocalDocument.path, {
      method: "POST",
      headers: { authorization: `Bearer ${lockedToken}`, ...key },
      body: form,
    });
    const file = (await uploadResponse.json()) as Uploaded;
    expect((await presign(file.s3_key, lockedToken, {}, locked.url)).status).toBe(401);
    const { body } = await presign(file.s3_key, lockedToken, key, locked.url);
    expect((await fetch(body.url as string)).status).toBe(200);
  } finally {
    await locked.close();
  }
});

describe("the URL's scheme and host", () => {
  test("from a loopback proxy: X-Forwarded-Proto and X-Forwarded-Host", async () => {
    const { body } = await presign(nutrition.s3_key, token, { "x-forwarded-proto": "https", "x-forwarded-host": "localhost:3000" });
    expect(body.url).toMatch(/^https:\/\/localhost:3000\/files\//);
  });

  test("from the webpack dev server (Host kept, no X-Forwarded-*): the browser Origin's scheme", async () => {
    // fetch() cannot set Host, so a raw request, as the dev server's proxy sends it.
    const port = new URL(server.url).port;
    const text = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: endpoints.presignedUrl.path,
          headers: {
            host: "localhost:3000",
            origin: "https://localhost:3000",
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
          },
        },
        (response) => {
          let data = "";
          response.on("data", (chunk: Buffer) => (data += chunk.toString()));
          response.on("end", () => resolve(data));
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify({ key: nutrition.s3_key }));
    });
    expect((JSON.parse(text) as { url: string }).url).toMatch(/^https:\/\/localhost:3000\/files\//);
  });

  test("SIDECAR_PUBLIC_URL wins", async () => {
    const pub = await startServer({ SIDECAR_PUBLIC_URL: "https://sidecar.example.com/base/" });
    try {
      const pubToken = (await signIn(pub.url)).ejento_access_token;
      const file = (await (await upload(pub.url, pubToken, readFixture(NUTRITION), "n.docx")).json()) as Uploaded;
      const { body } = await presign(file.s3_key, pubToken, { "x-forwarded-host": "evil.example" }, pub.url);
      expect(body.url).toMatch(/^https:\/\/sidecar\.example\.com\/base\/files\//);
    } finally {
      await pub.close();
    }
  });

  test("forwarded headers from a peer that is not loopback are ignored", () => {
    const fake = (remoteAddress: string) =>
      ({
        headers: { host: "sidecar.lan:3100", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", origin: "https://sidecar.lan:3100" },
        protocol: "http",
        socket: { remoteAddress, localAddress: "10.0.0.2", localPort: 3100 },
      }) as unknown as FastifyRequest;
    expect(requestBaseUrl(fake("10.0.0.9"), null)).toBe("http://sidecar.lan:3100");
    expect(requestBaseUrl(fake("127.0.0.1"), null)).toBe("https://evil.example");
    expect(requestBaseUrl(fake("::ffff:127.0.0.1"), null)).toBe("https://evil.example");
  });
});
