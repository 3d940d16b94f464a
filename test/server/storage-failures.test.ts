// When the disk fills up, or an upload is cut off, the server says so in words and keeps
// serving: a full disk is 507 "out of storage; nothing was saved" (uploads, and sign-ins once
// SQLite can't write), and a temp file left by an interrupted upload is swept while it runs.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { SqliteSql } from "../../src/server/storage/sql";
import { endpoints } from "../../src/shared/contract/endpoints";
import { testEngine } from "../support/postgres";
import { DEMO, readFixture, signIn, startServer, storedFiles, upload, type TestServer } from "./helpers";


const FIXTURE = "openxml-sdk-nutrition-report.docx";

describe("a full disk", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  test("an upload that hits ENOSPC answers 507 with words, keeps nothing, and the next upload works", async () => {
    const { ejento_access_token: token } = await signIn(server.url);
    const realOpen = fsp.open.bind(fsp);
    const full = jest.spyOn(fsp, "open").mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      const write = handle.write.bind(handle);
      // The disk fills after the first piece is written.
      let writes = 0;
      (handle as unknown as { write: typeof handle.write }).write = (async (...writeArgs: Parameters<typeof handle.write>) => {
        if (++writes > 1) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
        return write(...writeArgs);
      }) as typeof handle.write;
      return handle;
    });
    try {
      const answer = await upload(server.url, token, readFixture(FIXTURE), FIXTURE);
      expect(answer.status).toBe(507);
      expect(((await answer.json()) as { detail: string }).detail).toBe(
        "The server is out of storage; nothing was saved. Free some disk space on the server, then try again.",
      );
    } finally {
      full.mockRestore();
    }
    expect(fs.readdirSync(path.join(server.dataDir, "tmp"))).toEqual([]);
    expect((await storedFiles(server)).files).toEqual([]);
    const again = await upload(server.url, token, readFixture(FIXTURE), FIXTURE);
    expect(again.status).toBe(201);
  });

  // A full SQLite file is made by capping its pages; PostgreSQL's disk_full (53100) maps the same way (src/server/errors.ts).
  (testEngine === "sqlite" ? test : test.skip)("a sign-in once SQLite can't write answers 507 in words, not a stack; chat routes in Ejento's envelope", async () => {
    const { ejento_access_token: token } = await signIn(server.url);
    const db = (server.app.sidecar.storage.sql as SqliteSql).db;
    const pages = db.pragma("page_count", { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    try {
      // Fill what is left of the last page so that the next insert needs a new one.
      const login = async () =>
        fetch(server.url + endpoints.login.path, { method: "POST", body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }) });
      let answer = await login();
      for (let i = 0; i < 50 && answer.status === 200; i++) answer = await login();
      expect(answer.status).toBe(507);
      expect(((await answer.json()) as { detail: string }).detail).toMatch(/out of storage; nothing was saved/);

      const thread = await fetch(server.url + endpoints.createChatThread.path.replace("{agent_id}", "1"), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ title: "x".repeat(150) }),
      });
      let created = thread;
      for (let i = 0; i < 50 && created.status < 300; i++) {
        created = await fetch(server.url + endpoints.createChatThread.path.replace("{agent_id}", "1"), {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ title: "x".repeat(150) }),
        });
      }
      expect(created.status).toBe(507);
      expect(await created.json()).toEqual({ success: false, message: expect.stringMatching(/out of storage/), data: null });
    } finally {
      db.pragma("max_page_count = 1073741823");
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await signIn(server.url)).ejento_access_token).toBeTruthy();
  });
});

test("a temp file left by an interrupted upload is swept while the server runs, without a restart", async () => {
  const server = await startServer({ SIDECAR_TEMP_SWEEP_MS: "100" });
  try {
    const left = path.join(server.dataDir, "tmp", "0c0ffee0-dead-beef-0000-000000000000.upload");
    fs.writeFileSync(left, "half an upload");
    // Brand new: the old sweep (at start-up, older than 10 minutes) would have left it.
    const deadline = Date.now() + 5000;
    while (fs.existsSync(left) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.existsSync(left)).toBe(false);
    // Uploads still work (an upload in flight is never swept).
    const { ejento_access_token: token } = await signIn(server.url);
    expect((await upload(server.url, token, readFixture(FIXTURE), FIXTURE)).status).toBe(201);
  } finally {
    await server.close();
  }
});
