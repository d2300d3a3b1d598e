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
