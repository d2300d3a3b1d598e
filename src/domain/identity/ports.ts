/**
 * Attempts counted per key in fixed windows, in a store every server process shares: two processes (or two
 * servers on one database) count together, so an attacker gets no more guesses by spreading them. The limits are
 * the caller's (login-limits.ts); the counter only counts. A key is the caller's, of bounded size, and names what
 * it counts in a prefix: `admin:` for the admins' logins, `site:<id>:` for one site's customers.
 */
export interface AttemptCounter {
  /** Counts one attempt and answers the key's count in its window, this attempt included. Rejects when the store cannot be reached. */
  add(key: string): Promise<number>;
  /** Takes back one attempt counted earlier (one that turned out not to count, like a login that succeeded). */
  refund(key: string): Promise<void>;
}

/** One mail to one recipient, in plain text: what the domain has to say (the sender is the adapter's). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** What the mail is for (`customer.welcome`, `customer.passwordReset`...): for the log, never the text. */
  kind: string;
}

/**
 * Mail to customers. With SMTP_URL an SMTP server sends it; without, a development outbox keeps it. `delivers` is
 * false when nothing can reach a recipient (production without SMTP_URL): a reset that no one can receive is not offered.
 */
export interface Mailer {
  readonly delivers: boolean;
  /** Rejects when the message could not be handed over; a caller that must not wait uses the domain's `dispatch`. */
  send(message: MailMessage): Promise<void>;
  /** Waits for the messages in flight. */
  close(): Promise<void>;
}
