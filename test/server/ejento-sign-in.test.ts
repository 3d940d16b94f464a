// The Ejento sign-in methods beyond the password, over real HTTP (docs/vendors.md Ejento A2.4): the feature
// flags and SIDECAR_LOGIN_METHODS, and sign-in by e-mail code — the code read from the server log
// as a developer would read it on the console.
import { endpoints } from "../../src/shared/contract/endpoints";
import { addUser } from "../../src/server/services/users";
import { DEMO, bearer, logLines, postJson, startServer, type TestServer } from "./helpers";

async function post(url: string, path: string, body: unknown, token: string | null = null) {
  const response = await postJson(url, path, token, body);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { data?: Record<string, unknown> } };
}

async function flags(url: string) {
  const response = await fetch(url + endpoints.loginFeatureFlags.path);
  return { status: response.status, body: (await response.json()) as { success: boolean; message: string; data: { items: Array<{ name: string; is_active: boolean }> } } };
}

describe("feature flags follow SIDECAR_LOGIN_METHODS", () => {
  test("by default password and e-mail code are on, every SSO provider off, in a fixed order", async () => {
    const server = await startServer();
    try {
      const result = await flags(server.url);
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        success: true,
        message: "",
        data: {
          items: [
            { name: "password", is_active: true },
            { name: "otp", is_active: true },
            { name: "microsoft_sso", is_active: false },
            { name: "google_sso", is_active: false },
            { name: "okta_sso", is_active: false },
            { name: "linkedin_sso", is_active: false },
          ],
        },
      });
    } finally {
      await server.close();
    }
  });

  test("methods that are off say so: password sign-in and e-mail codes answer 403 with words", async () => {
    const server = await startServer({ SIDECAR_LOGIN_METHODS: "google_sso, okta_sso" });
    try {
      const active = (await flags(server.url)).body.data.items.filter((item) => item.is_active).map((item) => item.name);
      expect(active).toEqual(["google_sso", "okta_sso"]);
      const password = await fetch(server.url + endpoints.login.path, {
        method: "POST",
        body: new URLSearchParams({ username: DEMO.email, password: DEMO.password }),
      });
      expect(password.status).toBe(403);
      expect(((await password.json()) as { detail: string }).detail).toMatch(/password is turned off on this server/);
      for (const path of [endpoints.passwordlessAuth.path, endpoints.verifyOtp.path]) {
        const result = await post(server.url, path, { email: DEMO.email, otp_session_id: "x", code: "123456" });
        expect(result.status).toBe(403);
        expect(result.body.detail).toMatch(/e-mail code is turned off on this server/);
      }
    } finally {
      await server.close();
    }
  });
});

describe("sign-in by e-mail code", () => {
  let server: TestServer;
  const log = logLines();
  const CODE_LINE = /^Sign-in code for (\S+): (\d{6}) \(valid 10 minutes\)$/;

  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: "warn" }, { logStream: log.stream });
  });
  afterAll(() => server.close());

  async function requestCode(email: string, otpSessionId?: string): Promise<{ sessionId: string; code: string | undefined }> {
    const before = log.matching(CODE_LINE).length;
    const result = await post(server.url, endpoints.passwordlessAuth.path, {
      email,
      next: "https://localhost:3000/auth-dialog.html",
      ...(otpSessionId ? { otp_session_id: otpSessionId } : {}),
    });
    expect(result.status).toBe(200);
    const line = log.matching(CODE_LINE).slice(before)[0];
    return { sessionId: result.body.data?.otp_session_id as string, code: line ? CODE_LINE.exec(line)?.[2] : undefined };
  }

  const verify = (otp_session_id: string, code: string) => post(server.url, endpoints.verifyOtp.path, { otp_session_id, code });

  test("request → the code in the log → verify → both tokens, which work and refresh", async () => {
    const { sessionId, code } = await requestCode(DEMO.email);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(code).toMatch(/^\d{6}$/);
    expect(log.matching(CODE_LINE).at(-1)).toBe(`Sign-in code for ${DEMO.email}: ${code} (valid 10 minutes)`);

    const result = await verify(sessionId, code as string);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      success: true,
      message: expect.any(String),
      data: { access_token: expect.any(String), ejento_access_token: expect.any(String), token_type: "bearer", expires_in: 3600 },
    });
    const tokens = result.body.data as { access_token: string; ejento_access_token: string };
    const me = await fetch(server.url + endpoints.me.path, { headers: bearer(tokens.ejento_access_token) });
    expect(((await me.json()) as { data: { email: string } }).data.email).toBe(DEMO.email);
    // A Sidecar sign-in like the password's: the documents face takes it, and it refreshes.
    expect((await fetch(server.url + endpoints.listDocuments.path, { headers: bearer(tokens.ejento_access_token) })).status).toBe(200);
    const refreshed = await fetch(server.url + endpoints.refresh.path, { method: "POST", headers: bearer(tokens.access_token) });
    expect(refreshed.status).toBe(200);

    // A code verifies once.
    const again = await verify(sessionId, code as string);
    expect(again.status).toBe(401);
    expect(again.body.detail).toMatch(/Request a new code/);
  });

  test("a wrong code counts down the tries; after the fifth, even the right code is refused", async () => {
    const { sessionId, code } = await requestCode(DEMO.email);
    const wrong = code === "000000" ? "111111" : "000000";
    const details: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await verify(sessionId, wrong);
      expect(result.status).toBe(401);
      details.push(result.body.detail as string);
    }
    expect(details).toEqual([
      "Wrong code: 4 tries left.",
      "Wrong code: 3 tries left.",
      "Wrong code: 2 tries left.",
      "Wrong code: 1 try left.",
      "Wrong code, and that was the last try. Request a new code.",
    ]);
    const right = await verify(sessionId, code as string);
    expect(right.status).toBe(401);
    expect(right.body.detail).toMatch(/too many wrong tries.*Request a new code/);
  });

  test("resending in the same session issues a new code (tries start again); the old code no longer works", async () => {
    const first = await requestCode(DEMO.email);
    const wrong = first.code === "000000" ? "111111" : "000000";
    await verify(first.sessionId, wrong);
    const second = await requestCode(DEMO.email, first.sessionId);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.code).toMatch(/^\d{6}$/);
    if (second.code !== first.code) {
      const old = await verify(first.sessionId, first.code as string);
      expect(old.body.detail).toBe("Wrong code: 4 tries left.");
    }
    expect((await verify(second.sessionId, second.code as string)).status).toBe(200);
  });

  test("an expired code is refused with words to request a new one", async () => {
    const { sessionId, code } = await requestCode(DEMO.email);
    const realNow = Date.now.bind(Date);
    const clock = jest.spyOn(Date, "now").mockImplementation(() => realNow() + 10 * 60 * 1000 + 1000);
    let result;
    try {
      result = await verify(sessionId, code as string);
    } finally {
      clock.mockRestore();
    }
    expect(result.status).toBe(401);
    expect(result.body.detail).toMatch(/expired.*Request a new code/);
  });

  test("an unknown e-mail gets the same answer, no code, and its session never verifies", async () => {
    const before = log.lines.length;
    const known = await post(server.url, endpoints.passwordlessAuth.path, { email: DEMO.email });
    const unknown = await post(server.url, endpoints.passwordlessAuth.path, { email: "nobody@sidecar.local" });
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(known.body).sort());
    expect(unknown.body.message).toBe(known.body.message);
    expect(Object.keys(unknown.body.data ?? {})).toEqual(["otp_session_id"]);
    const sessionId = unknown.body.data?.otp_session_id as string;
    expect(log.lines.slice(before).map((line) => line.msg).filter((msg) => msg.includes("nobody@sidecar.local"))).toEqual([]);

    // No six digits open it; it counts down like a known e-mail's session.
    for (const code of ["000000", "123456"]) expect((await verify(sessionId, code)).status).toBe(401);
    expect((await verify(sessionId, "999999")).body.detail).toBe("Wrong code: 2 tries left.");
  });

  test("unknown sessions, and bodies missing a field or with a non-e-mail, are refused with words", async () => {
    const unknown = await verify("no-such-session", "123456");
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toMatch(/Request a new code/);
    const noCode = await post(server.url, endpoints.verifyOtp.path, { otp_session_id: "x" });
    expect(noCode.status).toBe(422);
    expect(noCode.body.detail).toEqual([expect.objectContaining({ loc: ["body", "code"] })]);
    const notEmail = await post(server.url, endpoints.passwordlessAuth.path, { email: "not an e-mail" });
    expect(notEmail.status).toBe(422);
    expect(notEmail.body.detail).toEqual([expect.objectContaining({ loc: ["body", "email"], msg: expect.stringMatching(/e-mail address/) })]);
  });

  test("at most 10 codes an hour per e-mail, whether or not it has an account (429 with words)", async () => {
    await addUser(server.app.sidecar.storage, { organizationName: "demo", email: "busy@sidecar.local", password: "busy-password" });
    for (const email of ["busy@sidecar.local", "ghost@sidecar.local"]) {
      for (let i = 0; i < 10; i++) expect((await post(server.url, endpoints.passwordlessAuth.path, { email })).status).toBe(200);
      const eleventh = await post(server.url, endpoints.passwordlessAuth.path, { email });
      expect(eleventh.status).toBe(429);
      expect(eleventh.body.detail).toMatch(/Too many sign-in codes/);
    }
  });
});
