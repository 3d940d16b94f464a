// Sign-in codes by e-mail (SIDECAR_SMTP_URL + SIDECAR_SMTP_FROM): the code goes to an SMTP server —
// here an in-process sink on an ephemeral port — instead of the log, and it signs in.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { endpoints } from "../../src/shared/contract/endpoints";
import { DEMO, logLines, postJson, startServer, until, type TestServer } from "./helpers";

interface Mail {
  from: string;
  to: string[];
  user: unknown;
  raw: string;
}

async function startSink(): Promise<{ sink: SMTPServer; port: number; mails: Mail[] }> {
  const mails: Mail[] = [];
  const sink = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "mailer" && auth.password === "mail-pass") return callback(null, { user: auth.username });
      return callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          user: session.user,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", () => resolve()));
  return { sink, port: (sink.server.address() as AddressInfo).port, mails };
}

describe("sign-in codes by e-mail", () => {
  let smtp: Awaited<ReturnType<typeof startSink>>;
  let server: TestServer;
  const log = logLines();

  beforeAll(async () => {
    smtp = await startSink();
    server = await startServer(
      {
        LOG_LEVEL: "warn",
        SIDECAR_SMTP_URL: `smtp://mailer:mail-pass@127.0.0.1:${smtp.port}`,
        SIDECAR_SMTP_FROM: "Sidecar <sidecar@example.com>",
      },
      { logStream: log.stream },
    );
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => smtp.sink.close(() => resolve()));
  });

  test("the code is e-mailed (not logged) to the account's address, and it signs in", async () => {
    const requested = await postJson(server.url, endpoints.passwordlessAuth.path, null, { email: DEMO.email });
    expect(requested.status).toBe(200);
    const sessionId = ((await requested.json()) as { data: { otp_session_id: string } }).data.otp_session_id;
    await until(() => smtp.mails.length === 1);
    const mail = smtp.mails[0] as Mail;
    expect(mail).toMatchObject({ from: "sidecar@example.com", to: [DEMO.email], user: "mailer" });
    const code = /Your sign-in code is (\d{6})\./.exec(mail.raw)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.raw).toMatch(new RegExp(`^Subject: Your Sidecar sign-in code: ${code}`, "m"));
    expect(log.matching(/Sign-in code for/)).toEqual([]);

    const verified = await postJson(server.url, endpoints.verifyOtp.path, null, { otp_session_id: sessionId, code });
    expect(verified.status).toBe(200);
  });

  test("an unknown e-mail gets the same answer and no mail", async () => {
    const before = smtp.mails.length;
    const response = await postJson(server.url, endpoints.passwordlessAuth.path, null, { email: "nobody@sidecar.local" });
    expect(response.status).toBe(200);
    await postJson(server.url, endpoints.passwordlessAuth.path, null, { email: DEMO.email });
    await until(() => smtp.mails.length === before + 1);
    expect(smtp.mails.slice(before).map((mail) => mail.to)).toEqual([[DEMO.email]]);
  });

  test("when the mail server refuses, the answer is the same and the failure is in the log", async () => {
    const refusing = logLines();
    const other = await startServer(
      { LOG_LEVEL: "warn", SIDECAR_SMTP_URL: `smtp://mailer:wrong-pass@127.0.0.1:${smtp.port}`, SIDECAR_SMTP_FROM: "sidecar@example.com" },
      { logStream: refusing.stream },
    );
    try {
      const response = await postJson(other.url, endpoints.passwordlessAuth.path, null, { email: DEMO.email });
      expect(response.status).toBe(200);
      await until(() => refusing.matching(/could not send the sign-in code/).length === 1);
      expect(JSON.stringify(refusing.lines)).not.toMatch(/wrong-pass/);
    } finally {
      await other.close();
    }
  });
});
