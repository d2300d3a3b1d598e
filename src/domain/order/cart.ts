import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import type { Order, Product } from '../../entities';
import type { Actor, CustomerActor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, refuse, type Result } from '../errors';
import { LIMITS } from '../validation';
import type { OrderFacts } from './facts';
import type { Lookup } from '../sql';
import { customerCart, customerOrder, orderOfCustomer, orderOfSite, tokenCart, visitorOrder } from './repository';
import { runOrderEvent } from './runner/run';

export type VisitorActor = Extract<Actor, { kind: 'visitor' }>;

/**
 * Who shops: a visitor (a cart token: the one order it owns) or a signed-in customer (their carts and orders of
 * their site, from any device). The API layer picks the customer when a request carries both.
 */
export type Shopper = VisitorActor | CustomerActor;

/**
 * The shopper's own order, row-locked: their cart, or one of their orders by id. One finder per kind of shopper;
 * a customer of another site names a customer id this site does not have, and finds nothing. A lookup, so the
 * order runner sends it with its BEGIN; null for an id that is no uuid.
 */
export const lockedShopperOrder = (siteId: string, shopper: Shopper, orderId?: string): Lookup<Order> | null =>
  shopper.kind === 'visitor'
    ? visitorOrder(siteId, shopper.cartTokenHash, orderId, true)
    : customerOrder(siteId, shopper.customerId, orderId, true);

/** The same, read without a lock (the cart and order queries): the shopper's cart, and one of their orders. */
export const shopperCartLookup = (siteId: string, shopper: Shopper): Lookup<Order> =>
  shopper.kind === 'visitor' ? tokenCart(siteId, shopper.cartTokenHash) : customerCart(siteId, shopper.customerId);

export const shopperOrder = (tx: EntityManager, siteId: string, shopper: Shopper, orderId: string): Promise<Order | null> =>
  shopper.kind === 'visitor'
    ? orderOfSite(tx, siteId, orderId, shopper.cartTokenHash)
    : orderOfCustomer(tx, siteId, orderId, shopper.customerId);

/** Lines one cart may hold (one per product): bounds every read of a cart's lines (the query cost counts on it). */
export const MAX_CART_LINES = 100;

/** A new unguessable cart token; only its hash is stored. */
export function newCartToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashCartToken(token) };
}

export const hashCartToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** CONTRACT: an order's total fits in Int (its column and the GraphQL type). Every change of a cart's total goes through here. */
/** A cart line of `quantity` of a tracked product beyond what is available now: INSUFFICIENT_STOCK; null when it fits. */
export function beyondAvailable(product: Product, quantity: number) {
  if (product.stockOnHand === null) return null;
  const available = product.stockOnHand - product.stockReserved;
  return quantity > available
    ? refuse(ErrorCode.INSUFFICIENT_STOCK, `Only ${available} of ${product.name} available (asked for ${quantity})`, ['quantity'])
    : null;
}

export function boundedTotal(totalMinor: number) {
  if (totalMinor > LIMITS.maxInt) return refuse(ErrorCode.VALIDATION, 'The order total is too large', ['quantity']);
  return { ok: true as const, value: totalMinor };
}

/** What every cart edit ends with, in its transaction: the cart's new time of change and its audit entry. */
export function recordCartEdit(
  tx: EntityManager,
  shopper: Shopper,
  order: Order,
  now: Date,
  action: string,
  detail?: Record<string, unknown>,
): void {
  order.updatedAt = now;
  audit(tx, shopper, now, { siteId: order.siteId, action, entity: 'Order', entityId: order.id, detail });
}

/**
 * A cart edit: the table's DRAFT self-loop (editCart) on the shopper's own cart, row-locked; `change` is the edit.
 * `beside`: what the edit reads that does not depend on the cart (addToCart's product), sent with the cart's lookup.
 */
export async function editCart<B extends object = never>(
  em: EntityManager,
  deps: DomainDeps,
  shopper: Shopper,
  siteId: string,
  change: (tx: EntityManager, cart: Order, facts: OrderFacts, beside: B | null) => Promise<Result<Order>>,
  beside?: Lookup<B> | null,
): Promise<Result<Order>> {
  const run = await runOrderEvent<B>(em, deps, {
    siteId,
    event: 'editCart',
    actor: shopper,
    find: () => lockedShopperOrder(siteId, shopper),
    beside,
    notFound: { what: 'Cart' },
    change: (tx, order, facts, _decision, found) => change(tx, order!, facts, found),
  });
  return run.ok ? { ok: true, value: run.value.order } : run;
}
