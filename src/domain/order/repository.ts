import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, OrderLine, OrderState, PaymentAttempt, PaymentAttemptStatus, Product } from '../../entities';
import { lookup, rowLookup, selectEntity, selectEntities, selectLookup, type Lookup, type Row } from '../sql';
import { isUuid } from '../tx';

/**
 * The named queries of the order commands: one place for their SQL, each under row-level security in a site-bound
 * transaction (and naming its site_id where the table has one). Hand-written on the hot path (src/domain/sql.ts).
 */

const forUpdate = (lock: boolean) => (lock ? ' for update' : '');

/**
 * A visitor's own order by its cart token (the cart) or by id, row-locked when `lock` (for the rest of the
 * transaction). Null for an id that is no uuid: it matches nothing.
 */
export function visitorOrder(siteId: string, cartTokenHash: string, orderId: string | undefined, lock: boolean): Lookup<Order> | null {
  if (orderId === undefined)
    return lookup(Order, `select * from orders where site_id = ? and cart_token_hash = ?${forUpdate(lock)}`, [siteId, cartTokenHash]);
  if (!isUuid(orderId)) return null;
  return lookup(Order, `select * from orders where site_id = ? and id = ? and cart_token_hash = ?${forUpdate(lock)}`, [
    siteId,
    orderId,
    cartTokenHash,
  ]);
}

/**
 * THE customer's cart, one rule for every finder: their newest open (DRAFT) cart, else their newest order. An open
 * cart comes first because a guest cart adopted at login may be older than the customer's last order.
 */
const CUSTOMER_CART = `select * from orders where site_id = ? and customer_id = ?
  order by (state = 'DRAFT') desc, created_at desc, id desc limit 1`;

/** A customer's own order: their cart, or one of their orders by id; row-locked when `lock`. */
export function customerOrder(siteId: string, customerId: string, orderId: string | undefined, lock: boolean): Lookup<Order> | null {
  if (orderId === undefined) return lookup(Order, `${CUSTOMER_CART}${forUpdate(lock)}`, [siteId, customerId]);
  if (!isUuid(orderId)) return null;
  return lookup(Order, `select * from orders where site_id = ? and id = ? and customer_id = ?${forUpdate(lock)}`, [
    siteId,
    orderId,
    customerId,
  ]);
}

/** An order of the site by id, row-locked when `lock`: the runner's finder for admin and scheduler commands. */
export function orderOfId(siteId: string, orderId: string, lock: boolean): Lookup<Order> | null {
  if (!isUuid(orderId)) return null;
  return lookup(Order, `select * from orders where site_id = ? and id = ?${forUpdate(lock)}`, [siteId, orderId]);
}

/** Reads (no lock): a customer's cart, and one of their orders by id. */
export const customerCart = (siteId: string, customerId: string): Lookup<Order> => lookup(Order, CUSTOMER_CART, [siteId, customerId]);

export const cartOfCustomer = (tx: EntityManager, siteId: string, customerId: string): Promise<Order | null> =>
  selectLookup(tx, customerCart(siteId, customerId));

export const orderOfCustomer = (tx: EntityManager, siteId: string, orderId: string, customerId: string): Promise<Order | null> =>
  selectEntity(tx, Order, `select * from orders where id = ? and site_id = ? and customer_id = ?`, [orderId, siteId, customerId]);

/** A guest's cart of this token (no customer), unlocked: the first read of the takeover at login. */
export const guestCartOfToken = (tx: EntityManager, siteId: string, cartTokenHash: string): Promise<Order | null> =>
  selectEntity(tx, Order, `select * from orders where site_id = ? and cart_token_hash = ? and customer_id is null`, [
    siteId,
    cartTokenHash,
  ]);

/** Several orders of the site row-locked in one statement, in id order: two transactions locking the same set never deadlock. */
export const lockOrdersInIdOrder = (tx: EntityManager, siteId: string, orderIds: readonly string[]): Promise<Order[]> =>
  selectEntities(tx, Order, `select * from orders where site_id = ? and id in (?) order by id for update`, [siteId, [...orderIds]]);

/** The lines of one order (at most MAX_CART_LINES), in a fixed order (by id). */
export const linesOf = (tx: EntityManager, order: Order): Promise<OrderLine[]> =>
  selectEntities(tx, OrderLine, `select * from order_lines where site_id = ? and order_id = ? order by id`, [order.siteId, order.id]);

export const lockOrder = (tx: EntityManager, siteId: string, orderId: string): Promise<Order | null> =>
  selectLookup(tx, orderOfId(siteId, orderId, true));

/** The runner's finder for an order by id: row-locked in the move's transaction, read plainly before it (preflight). */
export const orderById =
  (siteId: string, orderId: string) =>
  (lock: boolean): Lookup<Order> | null =>
    orderOfId(siteId, orderId, lock);

/** Reads (no lock): the cart of a token, and an order of the site (a visitor's only with its own token). */
export const tokenCart = (siteId: string, cartTokenHash: string): Lookup<Order> =>
  lookup(Order, `select * from orders where cart_token_hash = ? and site_id = ?`, [cartTokenHash, siteId]);

export const orderOfSite = (tx: EntityManager, siteId: string, orderId: string, cartTokenHash?: string): Promise<Order | null> =>
  cartTokenHash === undefined
    ? selectEntity(tx, Order, `select * from orders where id = ? and site_id = ?`, [orderId, siteId])
    : selectEntity(tx, Order, `select * from orders where id = ? and site_id = ? and cart_token_hash = ?`, [
        orderId,
        siteId,
        cartTokenHash,
      ]);

export function currentAttempt(tx: EntityManager, order: Order): Promise<PaymentAttempt | null> {
  if (!order.currentAttemptId) return Promise.resolve(null);
  return selectEntity(tx, PaymentAttempt, `select * from payment_attempts where id = ? and site_id = ?`, [
    order.currentAttemptId,
    order.siteId,
  ]);
}

/** Money the gateway captured and nobody refunded yet, oldest first. */
export const capturedAttempts = (tx: EntityManager, order: Order): Promise<PaymentAttempt[]> =>
  selectEntities(
    tx,
    PaymentAttempt,
    `select * from payment_attempts where order_id = ? and site_id = ? and status = ? and not refunded order by created_at, id`,
    [order.id, order.siteId, PaymentAttemptStatus.SUCCEEDED],
  );

/** A product of the site by id; null for an id that is no uuid (it matches nothing). */
export const productLookup = (siteId: string, productId: string): Lookup<Product> | null =>
  isUuid(productId) ? lookup(Product, `select * from products where id = ? and site_id = ?`, [productId, siteId]) : null;

export const productOfSite = (tx: EntityManager, siteId: string, productId: string): Promise<Product | null> =>
  selectLookup(tx, productLookup(siteId, productId));

/** The attempt an intent belongs to, by its recorded intent id. */
export const attemptByIntent = (siteId: string, intentId: string): Lookup<PaymentAttempt> =>
  lookup(PaymentAttempt, `select * from payment_attempts where site_id = ? and intent_id = ?`, [siteId, intentId]);

/** The order of the attempt whose recorded intent this is, row-locked: sent beside attemptByIntent, with BEGIN. */
export const orderOfIntent = (siteId: string, intentId: string): Lookup<Order> =>
  lookup(
    Order,
    `select * from orders where site_id = ? and id = (select order_id from payment_attempts where site_id = ? and intent_id = ?) for update`,
    [siteId, siteId, intentId],
  );

/** The attempt of an intent never recorded (its checkout's record failed), by the ids the event names. */
export async function unrecordedAttempt(
  tx: EntityManager,
  siteId: string,
  intent: { attemptId: string | null; orderId: string | null },
): Promise<PaymentAttempt | null> {
  if (!intent.attemptId || !isUuid(intent.attemptId) || !intent.orderId || !isUuid(intent.orderId)) return null;
  return selectEntity(
    tx,
    PaymentAttempt,
    `select * from payment_attempts where site_id = ? and id = ? and order_id = ? and intent_id is null`,
    [siteId, intent.attemptId, intent.orderId],
  );
}

/**
 * A provider's event added to the inbox of its site, or to the platform's for an event no site holds (siteId
 * null). It finds its row when added, nothing when its id is there already (a redelivery). A lookup, so the
 * webhook's transaction sends it with BEGIN.
 */
export const inboxEntry = (event: { eventId: string; provider: string; type: string }, siteId: string | null, now: Date): Lookup<Row> =>
  siteId === null
    ? rowLookup(
        `insert into platform_webhook_events (id, provider, type, received_at) values (?, ?, ?, ?) on conflict (id) do nothing returning id`,
        [event.eventId, event.provider, event.type, now.toISOString()],
      )
    : rowLookup(
        `insert into webhook_events (site_id, id, provider, type, received_at) values (?, ?, ?, ?, ?) on conflict (site_id, id) do nothing returning id`,
        [siteId, event.eventId, event.provider, event.type, now.toISOString()],
      );

/** CONTRACT: PENDING_PAYMENT for 24 h without a result expires. */
export const PENDING_PAYMENT_TTL_MS = 24 * 3600 * 1000;

/**
 * THE expiry rule, written once: a failed payment past its recovery deadline, or a pending payment whose current
 * attempt is 24 h old. The sweep finds orders by it and the runner checks it again under the row lock.
 */
const DUE = `((o.state = ? and o.recovery_deadline <= ?) or (o.state = ? and a.created_at <= ?))`;
const dueParams = (now: Date) => [
  OrderState.PAYMENT_FAILED,
  now,
  OrderState.PENDING_PAYMENT,
  new Date(now.getTime() - PENDING_PAYMENT_TTL_MS),
];

/** The order's current attempt, joined within its site (one shard when distributed by site_id). */
const WITH_CURRENT = `orders o left join payment_attempts a on a.site_id = o.site_id and a.id = o.current_attempt_id`;

export async function dueOrders(tx: EntityManager, siteId: string, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select o.id from ${WITH_CURRENT} where o.site_id = ? and ${DUE} order by o.created_at, o.id limit ?`,
    [siteId, ...dueParams(now), limit],
  );
  return rows.map((r) => r.id);
}

export async function isDue(tx: EntityManager, siteId: string, orderId: string, now: Date): Promise<boolean> {
  const rows = await tx.execute(`select 1 from ${WITH_CURRENT} where o.site_id = ? and o.id = ? and ${DUE}`, [
    siteId,
    orderId,
    ...dueParams(now),
  ]);
  return rows.length > 0;
}

export async function untouchedDrafts(tx: EntityManager, siteId: string, untouchedSince: Date, limit: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select id from orders where site_id = ? and state = ? and updated_at <= ? order by updated_at, id limit ?`,
    [siteId, OrderState.DRAFT, untouchedSince, limit],
  );
  return rows.map((r) => r.id);
}

/** A pending attempt whose intent the gateway may have settled without telling us. */
export interface StaleAttempt {
  id: string;
  provider: string;
  intentId: string;
}

/**
 * Reconciliation's search: PENDING attempts of the site with an intent created at or before `createdBefore`,
 * not asked about since `checkedBefore`; the ones never asked about first, then the longest unchecked.
 */
export async function staleAttempts(
  tx: EntityManager,
  siteId: string,
  createdBefore: Date,
  checkedBefore: Date,
  limit: number,
): Promise<StaleAttempt[]> {
  return tx.execute<StaleAttempt[]>(
    `select id, provider, intent_id as "intentId" from payment_attempts
      where site_id = ? and status = ? and intent_id is not null and created_at <= ?
        and (reconciled_at is null or reconciled_at <= ?)
      order by reconciled_at nulls first, created_at, id limit ?`,
    [siteId, PaymentAttemptStatus.PENDING, createdBefore, checkedBefore, limit],
  );
}

/** The intent the gateway created for the attempt, unless one is recorded already (by a concurrent call with the same key). */
export const recordIntent = (attempt: { siteId: string; id: string }, intent: { id: string; clientSecret: string }) => ({
  sql: `update payment_attempts set intent_id = ?, client_secret = ? where site_id = ? and id = ? and intent_id is null`,
  params: [intent.id, intent.clientSecret, attempt.siteId, attempt.id],
});

/** The gateway was asked about this attempt's intent now. */
export async function markReconciled(tx: EntityManager, siteId: string, attemptId: string, now: Date): Promise<void> {
  await tx.execute(`update payment_attempts set reconciled_at = ? where site_id = ? and id = ?`, [now, siteId, attemptId]);
}
