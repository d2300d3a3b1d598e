import type { Mailer, MailMessage } from '../../domain/identity/ports';

/**
 * The development outbox (no SMTP_URL outside production): messages are kept in memory, the last `max` of them, for
 * the tests to read (`aegis.outbox`) and, outside tests, printed whole to the log, so a developer can follow a reset.
 */
export class DevOutbox implements Mailer {
  readonly delivers = true;
  private readonly kept: MailMessage[] = [];

  constructor(private readonly opts: { print?: (message: MailMessage) => void; max?: number } = {}) {}

  send(message: MailMessage): Promise<void> {
    this.kept.push(message);
    if (this.kept.length > (this.opts.max ?? 1000)) this.kept.shift();
    this.opts.print?.(message);
    return Promise.resolve();
  }

  /** The messages kept, oldest first. */
  get messages(): readonly MailMessage[] {
    return this.kept;
  }

  /** The messages to one address, oldest first. */
  to(address: string): MailMessage[] {
    return this.kept.filter((m) => m.to === address);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Production without SMTP_URL: nothing can reach a recipient. Password resets are not offered (`delivers` false);
 * other mails (sign-up) are dropped, and each is logged as not sent, by kind only: never its recipient or text.
 */
export class UnsentMail implements Mailer {
  readonly delivers = false;

  constructor(private readonly warn: (kind: string) => void) {}

  send(message: MailMessage): Promise<void> {
    this.warn(message.kind);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
