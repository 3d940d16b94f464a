// The log never holds a secret from a URL: a presigned link's signature (forged ones too), the SSO
// return page's tokens, the batch socket's token and key, other services' signed-URL parameters
// (X-Amz-Signature, api_key, …) — in request lines and in any other line that quotes a URL, such as
// an error message. test/server/security.test.ts covers the presigned link's signature in the
// request line.
import { PassThrough } from "node:stream";
import { WebSocket } from "ws";
import { endpoints, fillPath } from "../../src/shared/contract/endpoints";
import { bearer, readFixture, signIn, startServer, upload, type TestServer } from "./helpers";

const NUTRITION = "openxml-sdk-nutrition-report.docx";

describe("the log", () => {
  let server: TestServer;
  let logText = "";
  beforeAll(async () => {
    const log = new PassThrough();
    log.on("data", (chunk: Buffer) => (logText += chunk.toString()));
    server = await startServer({ LOG_LEVEL: "info" }, { logStream: log });
  });
  afterAll(() => server.close());

  test("holds no presigned link's signature, nor any token or key from a URL, yet still says which path was asked for", async () => {
    const token = (await signIn(server.url)).ejento_access_token;
    const uploaded = (await (await upload(server.url, token, readFixture(NUTRITION), "n.docx")).json()) as { s3_key: string };
    const presigned = await fetch(server.url + endpoints.presignedUrl.path, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(token) },
      body: JSON.stringify({ key: uploaded.s3_key }),
    });
    const { url } = (await presigned.json()) as { url: string };
    const signature = new URL(url).searchParams.get("signature") as string;
    expect(signature.length).toBeGreaterThan(20);
    expect((await fetch(url)).status).toBe(200);
    // A forged one is logged without its value too.
    expect((await fetch(url.replace(signature, "forged-signature-value"))).status).toBe(403);

    // The SSO round trip's return page carries tokens in its query; the batch socket its token and key.
    const secrets = ["token-value-1234567", "access-token-value-7654321", "key-value-abcdefg", "sig-value-999"];
    await fetch(`${server.url}/auth-dialog.html?token=${secrets[0]}&ejento_access_token=${secrets[1]}&from=sso`);
    await fetch(`${server.url}/healthz?api_key=${secrets[2]}&X-Amz-Signature=${secrets[3]}`);
    const socket = new WebSocket(
      `${server.url.replace(/^http/, "ws")}${fillPath(endpoints.batchSocket.path, { job_id: "no-such-job" })}?token=${token}&key=${secrets[2]}`,
    );
    await new Promise<void>((resolve) => {
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });

    // An error message quoting a URL is covered as well (every finished line is filtered).
    server.app.log.error({ err: new Error(`download failed: ${url}`) }, `could not fetch ${url}`);

    const deadline = Date.now() + 5_000;
    while (!logText.includes("could not fetch") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(logText).toContain("/files/");
    expect(logText).toContain("signature=[redacted]");
    expect(logText).toContain("/auth-dialog.html");
    expect(logText).toContain("from=sso");
    for (const secret of [signature, "forged-signature-value", token, ...secrets]) {
      expect(logText.split("\n").filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
