import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry, Order, OrderLine, PaymentAttempt, Product, type OrderState } from '../../entities';
import { afterCursor, decodeCursor, encodeCursor, pageSize, type Page } from '../pagination';
import { readWithCommit } from '../../db/one-message';
import { lookup, rowLookup, selectEntities, type Row } from '../sql';
import { isUuid, readAllInSite, readInSite } from '../tx';
import type { CustomerActor } from '../actor';
import type { DomainDeps } from '../deps';
import { shopperCartLookup, shopperOrder, type Shopper } from './cart';
import { RESUMABLE_STATES } from './process';
import { orderOfSite } from './repository';
import { recordedSession, type PaymentSessionView } from './runner/effects';

/** The shopper's cart: a visitor's by its token, a customer's from any device (src/domain/order/repository.ts). */
export const getCart = async (em: EntityManager, shopper: Shopper, siteId: string): Promise<Order | null> =>
  (await readAllInSite(em.fork(), siteId, { cart: shopperCartLookup(siteId, shopper) }))?.cart[0] ?? null;

/** A shopper sees only its own order (a visitor its token's, a customer theirs); an admin of the site any of the site's. */
export async function getOrder(em: EntityManager, siteId: string, orderId: string, shopper?: Shopper) {
  if (!isUuid(orderId)) return null;
  return readInSite(em, siteId, (tx) => (shopper ? shopperOrder(tx, siteId, shopper, orderId) : orderOfSite(tx, siteId, orderId)));
}

/** An admin's list of the site's orders, oldest first; `customerId`: one customer's only (an unknown id lists none). */
export async function listOrders(
  em: EntityManager,
  siteId: string,
  args: { state?: OrderState | null; customerId?: string | null; first?: number | null; after?: string | null },
): Promise<Page<Order> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  if (args.customerId != null && !isUuid(args.customerId)) return null;
  const limit = pageSize(args.first);
  const rows = await readInSite(em, siteId, (tx) =>
    tx.find(
      Order,
      { ...(args.state && { state: args.state }), ...(args.customerId != null && { customerId: args.customerId }), ...afterCursor(cursor) },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 },
    ),
  );
  if (!rows) return null;
  return { items: rows.slice(0, limit), hasNextPage: rows.length > limit, cursorOf: (o) => encodeCursor(o.createdAt, o.id) };
}

/**
 * A customer's own orders of their site, newest first (the index orders_customer). Only orders that carry their
 * customer id: a guest's order with the same email is never one of them (attaching those would hand them to
 * whoever signs up with that address).
 */
export async function listCustomerOrders(
  em: EntityManager,
  customer: CustomerActor,
  siteId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<Order> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid' || customer.siteId !== siteId) return null;
  const limit = pageSize(args.first);
  const rows = await readInSite(em, siteId, (tx) =>
    selectEntities(
      tx,
      Order,
      `select * from orders where site_id = ? and customer_id = ?${cursor ? ' and (created_at, id) < (?, ?)' : ''}
        order by created_at desc, id desc limit ?`,
      [siteId, customer.customerId, ...(cursor ? [cursor.at, cursor.id] : []), limit + 1],
    ),
  );
  if (!rows) return null;
  return { items: rows.slice(0, limit), hasNextPage: rows.length > limit, cursorOf: (o) => encodeCursor(o.createdAt, o.id) };
}

/**
 * The site whose payment attempt holds this gateway intent id (unique across sites). The request role sees one
 * site per transaction (row-level security), so this reads site by site: only for an event whose metadata names
 * a site that does not hold its intent (or names none), never on the way of a matching event.
 */
export async function siteOfIntent(em: EntityManager, intentId: string, except: string | null): Promise<string | null> {
  const sites = await em.execute<{ id: string }[]>(`select id from sites order by id`);
  for (const { id } of sites) {
    if (id === except) continue;
    const held = await readInSite(em, id, (tx) =>
      tx.execute(`select 1 from payment_attempts where intent_id = ? and site_id = ?`, [intentId, id]),
    );
    if (held?.length) return id;
  }
  return null;
}

export interface OrderLineWithProduct {
  line: OrderLine;
  product: Product;
}

export interface OrderDetails {
  lines: OrderLineWithProduct[];
  attempts: PaymentAttempt[];
  history: AuditEntry[];
}

export type OrderDetailPart = keyof OrderDetails;

/** The lines of the orders `which` picks, with their products' columns prefixed `p_`. */
const linesWithProducts = (which: string) =>
  `select l.*, p.id as p_id, p.site_id as p_site_id, p.sku as p_sku, p.name as p_name, p.price_minor as p_price_minor,
          p.currency as p_currency, p.created_at as p_created_at, p.stock_on_hand as p_stock_on_hand,
          p.stock_reserved as p_stock_reserved
     from order_lines l join products p on p.id = l.product_id and p.site_id = l.site_id
    where ${which} and l.site_id = ?`;

/** Lines of some orders of one site with their products, in one statement, inside the caller's transaction. */
export async function linesOfOrders(tx: EntityManager, siteId: string, orderIds: readonly string[]): Promise<OrderLineWithProduct[]> {
  const rows = await tx.execute<Row[]>(`${linesWithProducts('l.order_id in (?)')} order by l.id`, [orderIds, siteId]);
  return linesOfRows(tx, rows);
}

/**
 * One order's lines as its command leaves them, for its answer: read in the command's COMMIT's message, after its
 * writes (src/db/one-message.ts), a round trip fewer; outside a command's transaction, read now. `lines` settles
 * once the command committed: await it after the command, never inside it.
 */
export async function linesAtCommit(
  tx: EntityManager,
  siteId: string,
  orderId: string,
): Promise<{ lines: Promise<OrderLineWithProduct[]> }> {
  const read = readWithCommit(tx.getTransactionContext(), {
    // The alias names it in pg_stat_statements as riding on COMMIT's round trip (bench/statements.ts).
    sql: `select * from (${linesWithProducts('l.order_id = ?')}) as sent_with_commit order by id`,
    params: [orderId, siteId],
  });
  if (read) return { lines: read.then((rows) => linesOfRows(tx, rows)) };
  const lines = await linesOfOrders(tx, siteId, [orderId]);
  return { lines: Promise.resolve(lines) };
}

// The product's columns come back prefixed and are split off.
function linesOfRows(tx: EntityManager, rows: readonly Row[]): OrderLineWithProduct[] {
  return rows.map((row) => {
    const product = Object.fromEntries(
      Object.entries(row)
        .filter(([k]) => k.startsWith('p_'))
        .map(([k, v]) => [k.slice(2), v]),
    );
    const line = tx.map(OrderLine, Object.fromEntries(Object.entries(row).filter(([k]) => !k.startsWith('p_'))));
    return { line, product: tx.map(Product, product) };
  });
}

/**
 * The parts asked for (lines with their products, payment attempts, transitions) of several orders of one site,
 * in one message of reads: one query per part asked, none for the others, one round trip for all.
 */
export async function loadOrderDetails(
  em: EntityManager,
  siteId: string,
  orderIds: readonly string[],
  parts: ReadonlySet<OrderDetailPart>,
): Promise<Map<string, OrderDetails>> {
  const ids = [...new Set(orderIds)];
  const details = new Map<string, OrderDetails>(ids.map((id) => [id, { lines: [], attempts: [], history: [] }]));
  const fork = em.fork();
  const found = await readAllInSite(fork, siteId, {
    lines: parts.has('lines') ? rowLookup(`${linesWithProducts('l.order_id in (?)')} order by l.id`, [ids, siteId]) : undefined,
    attempts: parts.has('attempts')
      ? lookup(PaymentAttempt, `select * from payment_attempts where order_id in (?) and site_id = ? order by created_at, id`, [
          ids,
          siteId,
        ])
      : undefined,
    history: parts.has('history')
      ? lookup(
          AuditEntry,
          `select * from audit_log where entity = 'Order' and entity_id in (?) and site_id = ? and to_state is not null order by at, id`,
          [ids, siteId],
        )
      : undefined,
  });
  if (!found) return details;
  for (const line of linesOfRows(fork, found.lines)) details.get(line.line.orderId)!.lines.push(line);
  for (const a of found.attempts) details.get(a.orderId)!.attempts.push(a);
  for (const h of found.history) details.get(h.entityId)!.history.push(h);
  return details;
}

/**
 * The current attempt's payment session while checking out again would return it (the table's checkout
 * self-loop), so a client that lost its checkout answer can recover it. Null in every other state, where the
 * attempts are not even read.
 */
export async function resumableSession(
  deps: DomainDeps,
  state: OrderState,
  attempts: () => Promise<readonly PaymentAttempt[]>,
): Promise<PaymentSessionView | null> {
  if (!RESUMABLE_STATES.has(state)) return null;
  const all = await attempts();
  const current = all[all.length - 1];
  const gateway = current && deps.payments.gateway(current.provider);
  return gateway ? recordedSession(gateway, current) : null;
}
