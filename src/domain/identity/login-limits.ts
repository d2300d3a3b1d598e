import { createHash } from 'node:crypto';
import type { RateLimiter } from './rate-limiter';

/**
 * The login limits, per window of the limiter (15 minutes). They count failures, not attempts: an attempt is
 * counted when it starts (so parallel guesses count too) and taken back when it succeeds, so an admin who signs in
 * often is never limited. The hard limits are per client: one client cannot lock out an email for everyone else.
 * For the email alone the answer is only slowed down, so the right password from another client still signs in.
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

/** How an email is named in the log: a prefix of its digest, never the string an attacker chose. */
export const emailTag = (email: string) => digest(email).slice(0, 12);

export type LoginEntry = { limited: true } | { limited: false; delayMs: number; succeeded(): void };

/**
 * Checks the limits before any work and counts the attempt as a failure until `succeeded()`. The client is checked
 * first, and a limited client adds no key at all. `email` is null when no admin can have it (too long, control
 * characters): it is then never a key, and only the client counts.
 */
export function enterLogin(limiter: RateLimiter, clientKey: string, email: string | null, nowMs: number): LoginEntry {
  const keys = [`client:${clientKey.length <= 64 ? clientKey : keyOf(clientKey)}`];
  if (limiter.count(keys[0], nowMs) >= LOGIN_LIMITS.perClient) return { limited: true };
  let delayMs = 0;
  if (email !== null) {
    const pair = `pair:${keyOf(`${clientKey}\n${email}`)}`;
    if (limiter.count(pair, nowMs) >= LOGIN_LIMITS.perClientAndEmail) return { limited: true };
    const byEmail = `email:${keyOf(email)}`;
    const excess = limiter.count(byEmail, nowMs) - LOGIN_LIMITS.slowEmailAfter;
    if (excess >= 0) delayMs = Math.min(LOGIN_LIMITS.firstDelayMs * 2 ** excess, LOGIN_LIMITS.maxDelayMs);
    keys.push(pair, byEmail);
  }
  for (const key of keys) limiter.add(key, nowMs);
  return { limited: false, delayMs, succeeded: () => keys.forEach((key) => limiter.refund(key)) };
}
