import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { Customer, PasswordReset, Site } from '../../entities';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';
import { inSite, isUuid } from '../tx';
import { Validator } from '../validation';
import { customerActor, STOREFRONT } from './customer-auth';
import { checkPassword } from './passwords';
import { dispatch, passwordResetMail } from './customer-mail';
import { lockedCustomer } from './customers';
import { enterLogin } from './login-limits';
import { hashPassword } from './passwords';

export const RESET_TTL_MS = 30 * 60 * 1000;
/** What we hand out: 32 random bytes, base64url (43 characters). Anything much longer is not one of ours. */
const MAX_TOKEN_LENGTH = 100;

/** Only the digest is stored: a read of the table gives nobody a usable token. */
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

const notOffered = () =>
  refuse(ErrorCode.NOT_AVAILABLE, 'Password reset is not offered here: this server sends no mail (SMTP_URL is not set)');

/**
 * Mails a single-use reset code, valid RESET_TTL_MS, to a customer of the site with this email. The answer is the
 * same whatever the email (known, unknown, disabled) and does not wait for the mail; requests count against the
 * client's limit (the `site:<id>:reset` keys), so nobody can flood an inbox. Not offered when no mail can be sent.
 */
export async function requestPasswordReset(
  em: EntityManager,
  deps: DomainDeps,
  input: { siteId: string; email: string; clientKey: string },
): Promise<Result<{ accepted: true }>> {
  if (!deps.mailer.delivers) return notOffered();
  const v = new Validator();
  const email = v.email(['email'], input.email);
  if (!v.ok) return { ok: false, errors: v.errors };
  if (!isUuid(input.siteId)) return notFound('Site', ['siteId']);
  const entry = await enterLogin(deps.loginLimiter, { scope: `site:${input.siteId}:reset`, clientKey: input.clientKey, email });
  if (entry.limited) return refuse(ErrorCode.RATE_LIMITED, 'Too many reset requests; try again later');
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const result = await inSite(em, input.siteId, async (tx) => {
    const site = await tx.findOne(Site, { id: input.siteId });
    if (!site) return notFound('Site', ['siteId']);
    const customer = await tx.findOne(Customer, { email });
    if (!customer || customer.disabled) return ok(null);
    const reset = new PasswordReset(site.id, customer.id, digest(token), new Date(now.getTime() + RESET_TTL_MS), now);
    tx.persist(reset);
    audit(tx, STOREFRONT, now, {
      siteId: site.id,
      action: 'customer.passwordResetRequested',
      entity: 'Customer',
      entityId: customer.id,
      detail: { resetId: reset.id, expiresAt: reset.expiresAt.toISOString() },
    });
    return ok(passwordResetMail(customer.email, site.name, token, RESET_TTL_MS / 60_000));
  });
  if (!result.ok) return result;
  if (result.value) dispatch(deps, result.value);
  return ok({ accepted: true });
}

/**
 * Spends a reset code: the new password, and every token of the customer refused from now on (the version moves).
 * The code, and any other unspent one of the customer, cannot be used again. An unknown, spent or expired code, or
 * one of a disabled customer, answers alike.
 */
export async function resetPassword(
  em: EntityManager,
  deps: DomainDeps,
  input: { siteId: string; token: string; password: string },
): Promise<Result<{ accepted: true }>> {
  const v = new Validator();
  checkPassword(v, ['password'], input.password);
  if (!v.ok) return { ok: false, errors: v.errors };
  const invalid = refuse(ErrorCode.INVALID_CREDENTIALS, 'This reset code is invalid, already used or expired', ['token']);
  const token = input.token.trim();
  if (!token || token.length > MAX_TOKEN_LENGTH) return invalid;
  // Before the transaction, which holds row locks: scrypt takes a while.
  const passwordHash = await hashPassword(input.password);
  return inSite(em, input.siteId, async (tx) => {
    const now = deps.clock.now();
    const reset = await tx.findOne(PasswordReset, { tokenHash: digest(token) });
    if (!reset) return invalid;
    const customer = await lockedCustomer(tx, reset.customerId);
    // Re-read under the customer's lock: a concurrent spend of the same code has committed or waits.
    await tx.refresh(reset);
    if (!customer || customer.disabled || reset.usedAt || reset.expiresAt.getTime() <= now.getTime()) return invalid;
    await tx.nativeUpdate(PasswordReset, { customerId: customer.id, usedAt: null }, { usedAt: now });
    customer.passwordHash = passwordHash;
    customer.tokenVersion++;
    audit(tx, customerActor(customer), now, {
      siteId: customer.siteId,
      action: 'customer.passwordReset',
      entity: 'Customer',
      entityId: customer.id,
      detail: { resetId: reset.id },
    });
    return ok({ accepted: true as const });
  });
}
