// Sign-in codes by e-mail (SIDECAR_SMTP_URL + SIDECAR_SMTP_FROM), through nodemailer.
import nodemailer, { type Transporter } from "nodemailer";
import type { CodeDelivery } from "./passwordless";

export class MailDelivery implements CodeDelivery {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(email: string, code: string, validMinutes: number): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: email,
      subject: `Your Sidecar sign-in code: ${code}`,
      text: [
        `Your sign-in code is ${code}.`,
        "",
        `Enter it in Sidecar within ${validMinutes} minutes. If you did not ask to sign in, ignore this e-mail.`,
      ].join("\n"),
    });
  }

  close(): void {
    this.transport.close();
  }
}
