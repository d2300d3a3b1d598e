import type { Mailer } from '../../domain/identity/ports';
import type { Logger } from '../../logger';
import { DevOutbox, UnsentMail } from './outbox';
import { SmtpMailer } from './smtp';

export { DevOutbox, UnsentMail, SmtpMailer };

/**
 * SMTP_URL set: SMTP. Otherwise, in production, nothing is sent (resets are not offered); elsewhere the development
 * outbox, which prints each message to the log outside tests.
 */
export function createMailer(
  mail: { smtpUrl?: string; from: string },
  env: { production: boolean; test: boolean },
  log: Logger,
): { mailer: Mailer; outbox: DevOutbox | null } {
  if (mail.smtpUrl) return { mailer: new SmtpMailer(mail.smtpUrl, mail.from), outbox: null };
  if (env.production) return { mailer: new UnsentMail((kind) => log.warn({ kind }, 'mail not sent: SMTP_URL is not set')), outbox: null };
  const outbox = new DevOutbox({
    print: env.test
      ? undefined
      : (m) => log.info({ mail: { to: m.to, subject: m.subject, text: m.text } }, 'development outbox (not sent)'),
  });
  return { mailer: outbox, outbox };
}
