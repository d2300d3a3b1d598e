import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, OrderState, PaymentAttempt, PaymentAttemptStatus, Product, Site } from '../../entities';
import { selectEntity, selectEntities } from '../sql';
import { isUuid } from '../tx';

/**
 * The named queries of the order commands: one place for their SQL, each under row-level security in a site-bound
 * transaction (and naming its site_id where the table has one). Hand-written on the hot path (src/domain/sql.ts).
 */

/** A visitor's own order by its cart token (the cart) or by id, row-locked for the rest of the transaction. */
export function lockVisitorOrder(tx: EntityManager, cartTokenHash: string, orderId?: string): Promise<Order | null> {
  if (orderId === undefined) return selectEntity(tx, Order, `select * from orders where cart_token_hash = ? for update`, [cartTokenHash]);
  if (!isUuid(orderId)) return Promise.resolve(null);
  return selectEntity(tx, Order, `select * from orders where id = ? and cart_token_hash = ? for update`, [orderId, cartTokenHash]);
}

export function lockOrder(tx: EntityManager, orderId: string): Promise<Order | null> {
  if (!isUuid(orderId)) return Promise.resolve(null);
  return selectEntity(tx, Order, `select * from orders where id = ? for update`, [orderId]);
}

export function findOrder(tx: EntityManager, orderId: string): Promise<Order | null> {
  if (!isUuid(orderId)) return Promise.resolve(null);
  return selectEntity(tx, Order, `select * from orders where id = ?`, [orderId]);
}

/** The runner's finder for an order by id: row-locked in the move's transaction, read plainly before it (preflight). */
export const orderById =
  (orderId: string) =>
  (tx: EntityManager, lock: boolean): Promise<Order | null> =>
    lock ? lockOrder(tx, orderId) : findOrder(tx, orderId);

/** Reads (no lock): the cart of a token, and an order of the site (a visitor's only with its own token). */
export const cartOfSite = (tx: EntityManager, siteId: string, cartTokenHash: string): Promise<Order | null> =>
  selectEntity(tx, Order, `select * from orders where cart_token_hash = ? and site_id = ?`, [cartTokenHash, siteId]);

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

export const siteById = async (tx: EntityManager, siteId: string): Promise<Site | null> =>
  selectEntity(tx, Site, `select * from sites where id = ?`, [siteId]);

export const productOfSite = (tx: EntityManager, siteId: string, productId: string): Promise<Product | null> =>
  isUuid(productId)
    ? selectEntity(tx, Product, `select * from products where id = ? and site_id = ?`, [productId, siteId])
    : Promise.resolve(null);

/** The attempt an intent belongs to: by recorded intent id, else (intent never recorded) by the ids the event names. */
export async function attemptOfIntent(
  tx: EntityManager,
  intent: { id: string; attemptId: string | null; orderId: string | null },
): Promise<PaymentAttempt | null> {
  const byIntent = await selectEntity(tx, PaymentAttempt, `select * from payment_attempts where intent_id = ?`, [intent.id]);
  if (byIntent) return byIntent;
  if (!intent.attemptId || !isUuid(intent.attemptId) || !intent.orderId || !isUuid(intent.orderId)) return null;
  return selectEntity(tx, PaymentAttempt, `select * from payment_attempts where id = ? and order_id = ? and intent_id is null`, [
    intent.attemptId,
    intent.orderId,
  ]);
}

/** Adds a provider's event to the inbox; false when its id is there already (a redelivery). */
export async function recordInInbox(
  tx: EntityManager,
  event: { eventId: string; provider: string; type: string },
  siteId: string | null,
  now: Date,
): Promise<boolean> {
  const rows = await tx.execute<{ id: string }[]>(
    `insert into webhook_events (id, provider, type, site_id, received_at) values (?, ?, ?, ?, ?) on conflict (id) do nothing returning id`,
    [event.eventId, event.provider, event.type, siteId, now],
  );
  return rows.length === 1;
}

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

export async function dueOrders(tx: EntityManager, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select o.id from orders o left join payment_attempts a on a.id = o.current_attempt_id where ${DUE} order by o.created_at, o.id limit ?`,
    [...dueParams(now), limit],
  );
  return rows.map((r) => r.id);
}

export async function isDue(tx: EntityManager, orderId: string, now: Date): Promise<boolean> {
  const rows = await tx.execute(
    `select 1 from orders o left join payment_attempts a on a.id = o.current_attempt_id where o.id = ? and ${DUE}`,
    [orderId, ...dueParams(now)],
  );
  return rows.length > 0;
}

export async function untouchedDrafts(tx: EntityManager, siteId: string, untouchedSince: Date, limit: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select id from orders where site_id = ? and state = ? and updated_at <= ? order by updated_at, id limit ?`,
    [siteId, OrderState.DRAFT, untouchedSince, limit],
  );
  return rows.map((r) => r.id);
}
