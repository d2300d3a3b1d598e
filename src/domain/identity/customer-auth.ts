import type { EntityManager } from '@mikro-orm/postgresql';
import { setTimeout as sleep } from 'node:timers/promises';
import { Customer, type Order, Site } from '../../entities';
import type { Actor, CustomerActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, notFound, ok, refuse, type Result, type UserError } from '../errors';
import { takeOverGuestCart } from '../order/commands/take-over-guest-cart';
import { inSite, isUuid, readInSite } from '../tx';
import { LIMITS, Validator } from '../validation';
import { alreadyRegisteredMail, dispatch, welcomeMail } from './customer-mail';
import { customerView, lockedCustomer, type CustomerView } from './customers';
import { emailTag, enterLogin, possibleEmail } from './login-limits';
import { checkPassword, decoyHash, hashPassword, verifyPassword } from './passwords';

/** Who acts before anyone is signed in: a caller of the storefront's public operations (sign-up, login, reset requests). */
export const STOREFRONT: Actor = { kind: 'system', name: 'storefront' };

export const customerActor = (c: Customer): CustomerActor => ({ kind: 'customer', customerId: c.id, siteId: c.siteId, email: c.email });

/**
 * A new account, or, for an address the site already knows, a mail to its owner: the caller gets the same answer
 * after the same work (the password is hashed either way) and never a token, so sign-up tells nobody which addresses
 * have accounts. Every sign-up counts against the client's limit (sign-ups are never taken back).
 */
export async function customerSignUp(
  em: EntityManager,
  deps: DomainDeps,
  input: { siteId: string; email: string; password: string; name?: string | null; clientKey: string },
): Promise<Result<{ accepted: true }>> {
  const v = new Validator();
  const email = v.email(['input', 'email'], input.email);
  checkPassword(v, ['input', 'password'], input.password);
  const name = v.text(['input', 'name'], input.name, LIMITS.name, true);
  if (!v.ok) return { ok: false, errors: v.errors };
  if (!isUuid(input.siteId)) return notFound('Site', ['siteId']);
  const entry = await enterLogin(deps.loginLimiter, { scope: `site:${input.siteId}:signup`, clientKey: input.clientKey, email });
  if (entry.limited) return refuse(ErrorCode.RATE_LIMITED, 'Too many sign-ups from this client; try again later');
  if (entry.delayMs) await sleep(entry.delayMs);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const result = await inSite(em, input.siteId, async (tx) => {
    const site = await tx.findOne(Site, { id: input.siteId });
    if (!site) return notFound('Site', ['siteId']);
    const existing = await tx.findOne(Customer, { email });
    if (existing) {
      audit(tx, STOREFRONT, now, { siteId: site.id, action: 'customer.signUpExisting', entity: 'Customer', entityId: existing.id });
      return ok(alreadyRegisteredMail(email, site.name));
    }
    const customer = new Customer(site.id, email, passwordHash, now);
    customer.name = name;
    tx.persist(customer);
    audit(tx, customerActor(customer), now, { siteId: site.id, action: 'customer.signUp', entity: 'Customer', entityId: customer.id });
    return ok(welcomeMail(email, site.name));
  });
  // A concurrent sign-up took the address first: it sends its own mail, and this caller learns nothing more.
  if (!result.ok) return result.errors[0].code === ErrorCode.CONFLICT ? ok({ accepted: true }) : result;
  dispatch(deps, result.value);
  return ok({ accepted: true });
}

export interface CustomerLogin {
  token: string;
  customer: CustomerView;
  /** The customer's cart after taking over the guest cart presented at login; null without one. */
  cart: Order | null;
  /** Refusals of the take-over (the login itself succeeded). */
  cartErrors: UserError[];
}

/**
 * `INVALID_CREDENTIALS` alike, after the same work, for an unknown email, a wrong password and a disabled account
 * (an unknown email is checked against a decoy hash); each refusal is audited. Limited like admins' logins, per site
 * (`site:<id>` keys). With the guest's cart token, the guest cart is taken over (takeOverGuestCart) once signed in.
 */
export async function customerLogin(
  em: EntityManager,
  deps: DomainDeps,
  input: { siteId: string; email: string; password: string; clientKey: string; guestCartTokenHash?: string | null },
): Promise<Result<CustomerLogin>> {
  const { siteId, clientKey } = input;
  if (!isUuid(siteId)) return notFound('Site', ['siteId']);
  const email = input.email.trim().toLowerCase();
  const possible = possibleEmail(email);
  const entry = await enterLogin(deps.loginLimiter, { scope: `site:${siteId}`, clientKey, email: possible });
  if (entry.limited) {
    deps.log.warn({ siteId, emailHash: emailTag(email), client: clientKey.slice(0, 64) }, 'customer login rate limited');
    return refuse(ErrorCode.RATE_LIMITED, 'Too many login attempts; try again later');
  }
  if (entry.delayMs) await sleep(entry.delayMs);
  const found = await readInSite(em, siteId, async (tx) => ({
    site: await tx.findOne(Site, { id: siteId }),
    customer: possible ? await tx.findOne(Customer, { email: possible }) : null,
  }));
  const customer = found?.customer ?? null;
  // The same work and the same answer for an unknown email, a wrong password and a disabled account.
  const valid = await verifyPassword(input.password, customer?.passwordHash ?? (await decoyHash()));
  const now = deps.clock.now();
  if (!customer || !valid || customer.disabled) {
    deps.log.info({ siteId, emailHash: emailTag(email) }, 'customer login refused');
    // Its own transaction: the refusal below must not roll the entry back. No site, nothing to audit it in.
    if (found?.site)
      await inSite(em, siteId, async (tx) => {
        audit(tx, STOREFRONT, now, {
          siteId,
          action: 'customer.loginFailed',
          entity: 'Customer',
          entityId: customer?.id ?? 'unknown',
          detail: {
            reason: !customer ? 'unknown email' : customer.disabled ? 'disabled' : 'wrong password',
            emailHash: emailTag(email),
            client: clientKey.slice(0, 64),
          },
        });
        return ok(null);
      });
    return refuse(ErrorCode.INVALID_CREDENTIALS, 'Invalid email or password');
  }
  await entry.succeeded();
  const login = await inSite(em, siteId, async (tx) => {
    audit(tx, customerActor(customer), now, { siteId, action: 'customer.login', entity: 'Customer', entityId: customer.id });
    const token = await deps.tokens.issueCustomer({ customerId: customer.id, siteId }, customer.tokenVersion, now);
    return ok({ token, customer: await customerView(tx, customer) });
  });
  if (!login.ok) return login;
  if (!input.guestCartTokenHash) return ok({ ...login.value, cart: null, cartErrors: [] });
  const cart = await takeOverGuestCart(em, deps, customerActor(customer), input.guestCartTokenHash);
  return ok({ ...login.value, cart: cart.ok ? cart.value : null, cartErrors: cart.ok ? [] : cart.errors });
}

/** Ends every session of the customer: each token issued before is refused from the next request on. */
export function customerLogout(em: EntityManager, deps: DomainDeps, actor: CustomerActor): Promise<Result<CustomerView>> {
  return inSite(em, actor.siteId, async (tx) => {
    const customer = await lockedCustomer(tx, actor.customerId);
    if (!customer) return notFound('Customer');
    customer.tokenVersion++;
    audit(tx, actor, deps.clock.now(), { siteId: actor.siteId, action: 'customer.logout', entity: 'Customer', entityId: customer.id });
    return ok(await customerView(tx, customer));
  });
}
