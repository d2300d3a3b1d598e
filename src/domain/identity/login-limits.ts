import { createHash } from 'node:crypto';
import { hasControlChars } from '../validation';
import type { AttemptCounter } from './ports';

/**
 * The login limits, per window of the counter (15 minutes), counted by every server process together (in
 * PostgreSQL). They count failures, not attempts: an attempt is counted when it starts (so parallel guesses count
 * too) and taken back when it succeeds, so an admin who signs in often is never limited. The hard limits are per
 * client: one client cannot lock out an email for everyone else. For the email alone the answer is only slowed
 * down, so the right password from another client still signs in.
 */
export const LOGIN_LIMITS = {
  windowMs: 15 * 60 * 1000,
  /** Failures per client (any emails), then RATE_LIMITED. */
  perClient: 10,
  /** Failures per client for one email, then RATE_LIMITED. */
  perClientAndEmail: 5,
  /** Failures per email from all clients after which each attempt for it waits, 250 ms doubling up to 3 s. */
  slowEmailAfter: 10,
  firstDelayMs: 250,
  maxDelayMs: 3000,
};

const digest = (s: string) => createHash('sha256').update(s).digest('hex');
/** Keys of bounded size (128 bits of a digest) whatever the input, never the attacker's string itself. */
const keyOf = (s: string) => digest(s).slice(0, 32);

/** An email no account can have (control characters, over 254 characters): never a limiter key nor sent to the database. */
export const possibleEmail = (email: string): string | null => (email.length <= 254 && !hasControlChars(email) ? email : null);

/** How an email is named in the log: a prefix of its digest, never the string an attacker chose. */
export const emailTag = (email: string) => digest(email).slice(0, 12);

/** Whose logins a key counts: the platform's admins, or one site's customers (their keys carry the site). */
export type LoginScope = 'admin' | `site:${string}`;

export type LoginEntry = { limited: true } | { limited: false; delayMs: number; succeeded(): Promise<void> };

/**
 * Checks the limits before any work and counts the attempt as a failure until `succeeded()`. Each count is atomic
 * and answers the key's count with this attempt (so parallel attempts, on any process, each see their own); an
 * attempt over a limit is taken back at once, so refused attempts count nothing. The client is counted first, and a
 * limited client touches no other key. `email` is null when no admin can have it (too long, control characters): it
 * is then never a key, and only the client counts. The counter out of reach rejects: nothing is let through uncounted.
 */
export async function enterLogin(
  counter: AttemptCounter,
  login: { scope: LoginScope; clientKey: string; email: string | null },
): Promise<LoginEntry> {
  const { scope, clientKey, email } = login;
  const counted: string[] = [];
  const add = async (key: string) => {
    const n = await counter.add(key);
    counted.push(key);
    return n;
  };
  const takeBack = async () => {
    await Promise.all(counted.splice(0).map((key) => counter.refund(key)));
  };
  try {
    if ((await add(`${scope}:client:${clientKey.length <= 64 ? clientKey : keyOf(clientKey)}`)) > LOGIN_LIMITS.perClient) {
      await takeBack();
      return { limited: true };
    }
    let delayMs = 0;
    if (email !== null) {
      if ((await add(`${scope}:pair:${keyOf(`${clientKey}\n${email}`)}`)) > LOGIN_LIMITS.perClientAndEmail) {
        await takeBack();
        return { limited: true };
      }
      const excess = (await add(`${scope}:email:${keyOf(email)}`)) - 1 - LOGIN_LIMITS.slowEmailAfter;
      if (excess >= 0) delayMs = Math.min(LOGIN_LIMITS.firstDelayMs * 2 ** excess, LOGIN_LIMITS.maxDelayMs);
    }
    return { limited: false, delayMs, succeeded: takeBack };
  } catch (err) {
    // What was counted is taken back if the counter answers again; the attempt itself fails.
    await takeBack().catch(() => undefined);
    throw err;
  }
}
