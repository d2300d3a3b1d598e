import { createTransport, type Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from '../../domain/identity/ports';

/** How long the SMTP server may take: a slow one must not pile up connections (nodemailer's defaults are minutes). */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Sends through the SMTP server of SMTP_URL (`smtp://user:pass@host:587`, `smtps://...:465`), from MAIL_FROM. */
export class SmtpMailer implements Mailer {
  readonly delivers = true;
  private readonly transport: Transporter;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport({ url, ...TIMEOUTS });
  }

  async send(message: MailMessage): Promise<void> {
    const sent = this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
    this.inFlight.add(sent);
    try {
      await sent;
    } finally {
      this.inFlight.delete(sent);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    this.transport.close();
  }
}
