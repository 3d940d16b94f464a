// Sign-in can't be guessed at speed, nor flooded: failed sign-ins lock the account (and, past a
// larger count, the client's address) with growing delays — 429 with Retry-After and words —
// while other people still sign in; password hashes run a few at a time, taken in turn per
// client address, so a flood from one address doesn't hold up someone else's sign-in.
import http from "node:http";
import { addUser } from "../../src/server/services/users";
import { endpoints } from "../../src/shared/contract/endpoints";
import { DEMO, startServer, type TestServer } from "./helpers";

const OTHER = { email: "pat@acme.example", password: "correct horse battery" };

/** A password sign-in sent from `from` (any 127.x address is this machine: each is its own client). */
function login(server: TestServer, email: string, password: string, from = "127.0.0.1"): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: { detail?: string } }> {
  const url = new URL(server.url);
  const body = new URLSearchParams({ username: email, password }).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: endpoints.login.path,
        method: "POST",
        localAddress: from,
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text ? JSON.parse(text) : {} }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

describe("failed sign-ins", () => {
  let server: TestServer;
  let now = Date.now();
  beforeAll(async () => {
    server = await startServer({ SIDECAR_SIGN_IN_MAX_FAILURES: "5", SIDECAR_SIGN_IN_LOCKOUT_SECONDS: "30" }, { clock: () => now });
    await addUser(server.app.sidecar.storage, { organizationName: "Acme", ...OTHER });
  });
  afterAll(() => server.close());

  test("five wrong passwords lock the account: 429 with Retry-After and words, even for the right password; another account still signs in; the lock ends, and doubles after a new failure", async () => {
    for (let i = 0; i < 5; i++) expect((await login(server, DEMO.email, "wrong password")).status).toBe(401);
    const locked = await login(server, DEMO.email, DEMO.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThanOrEqual(29);
    expect(locked.body.detail).toMatch(/^Too many failed sign-ins for this account\. Wait \d+ seconds, then try again\.$/);
    // Someone else, from the same address, is not affected.
    expect((await login(server, OTHER.email, OTHER.password)).status).toBe(200);

    now += 31_000;
    expect((await login(server, DEMO.email, "wrong again")).status).toBe(401);
    const again = await login(server, DEMO.email, DEMO.password);
    expect(again.status).toBe(429);
    expect(Number(again.headers["retry-after"])).toBeGreaterThanOrEqual(59);

    now += 61_000;
    expect((await login(server, DEMO.email, DEMO.password)).status).toBe(200);
    // A success forgets the account's failures.
    expect((await login(server, DEMO.email, "one slip")).status).toBe(401);
    expect((await login(server, DEMO.email, DEMO.password)).status).toBe(200);
  });
});

test("many failures from one address lock that address, for every account, while other addresses sign in", async () => {
  const server = await startServer({ SIDECAR_SIGN_IN_MAX_FAILURES_PER_ADDRESS: "4" });
  try {
    await addUser(server.app.sidecar.storage, { organizationName: "Acme", ...OTHER });
    for (let i = 0; i < 4; i++) expect((await login(server, `guess${i}@acme.example`, "x", "127.0.0.2")).status).toBe(401);
    const locked = await login(server, OTHER.email, OTHER.password, "127.0.0.2");
    expect(locked.status).toBe(429);
    expect(locked.body.detail).toMatch(/from your network address/);
    expect((await login(server, OTHER.email, OTHER.password, "127.0.0.3")).status).toBe(200);
  } finally {
    await server.close();
  }
});

test("a flood of sign-ins for unknown users from one address does not hold up a real sign-in from another", async () => {
  const server = await startServer({ SIDECAR_SIGN_IN_MAX_FAILURES_PER_ADDRESS: "100000", SIDECAR_PASSWORD_HASH_CONCURRENCY: "2" });
  try {
    let floodDone = 0;
    const flood = Array.from({ length: 30 }, (_, i) =>
      login(server, `nobody${i}@flood.example`, "guess", "127.0.0.4").then((result) => {
        floodDone++;
        return result.status;
      }),
    );
    // Let the flood queue up first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const real = await login(server, DEMO.email, DEMO.password, "127.0.0.5");
    const doneWhenRealFinished = floodDone;
    expect(real.status).toBe(200);
    const statuses = await Promise.all(flood);
    expect(statuses.every((status) => status === 401)).toBe(true);
    // Taken in turn per address, the real sign-in waited for a couple of the flood's hashes, not all 30.
    expect(doneWhenRealFinished).toBeLessThan(10);
  } finally {
    await server.close();
  }
}, 60_000);
