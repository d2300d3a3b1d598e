import type { EntityManager } from '@mikro-orm/postgresql';
import { inlined, statementWithCommit, type SqlValue } from '../../db/one-message';
import { actorName, type Actor } from '../actor';

/**
 * THE stock statements: the only SQL that writes products.stock_on_hand and products.stock_reserved, each one
 * statement that moves the columns and appends the matching ledger rows together (so the ledger's sums stay the
 * columns, test/support/stock-ledger.ts). Tracked products are locked in product-id order (`order by id for
 * update`): two transactions over the same products take their locks in the same order and cannot deadlock.
 * FOR UPDATE, not the weaker FOR NO KEY UPDATE, although no stock move changes a key: the weaker lock lets other
 * carts' line inserts share the row (their foreign key checks take KEY SHARE), and under the bench's load that mix
 * deadlocked in PostgreSQL's tuple-lock queue (bench/README.md, sixth session). Line inserts wait for the holder's
 * COMMIT instead.
 * The CHECKs of the products table refuse a reservation beyond what is on hand whatever this code does.
 */

export interface Shortfall {
  productId: string;
  available: number;
  wanted: number;
}

export type SettleKind = 'SALE' | 'RELEASE';

/**
 * Reserves every tracked line of the order, all or nothing, in one statement. In a command's transaction it goes in
 * COMMIT's message (null here), so the product rows are locked for that one message and not across a round trip of
 * the server (their queue was the purchase's largest wait, bench/README.md): there a shortfall refuses the
 * statement itself (refuse_stock_shortfalls, SQLSTATE AEG01, the shortfalls as its DETAIL) and with it the whole
 * transaction; `shortfallsRefusedAtCommit` reads them back. Elsewhere it runs now and answers the shortfalls
 * (nothing reserved) or an empty list (every tracked line reserved). One RESERVATION row per tracked line;
 * untracked lines are not held.
 */
export async function reserveOrderStock(
  tx: EntityManager,
  siteId: string,
  orderId: string,
  actor: Actor,
  now: Date,
): Promise<Shortfall[] | null> {
  const statement = (answer: string) => `with locked as (
       select p.id, p.stock_on_hand - p.stock_reserved as available, l.quantity as wanted
       from products p join order_lines l on l.site_id = p.site_id and l.product_id = p.id
       where p.site_id = ? and l.order_id = ? and p.stock_on_hand is not null
       order by p.id for update of p
     ), short as (select id, available, wanted from locked where available < wanted),
     reserved as (
       update products p set stock_reserved = p.stock_reserved + locked.wanted from locked
       where p.site_id = ? and p.id = locked.id and not exists (select 1 from short)
       returning p.id, locked.wanted
     ), ledger as (
       insert into stock_movements (id, site_id, product_id, order_id, kind, on_hand_delta, reserved_delta, reason, actor, at)
       select gen_random_uuid(), ?, id, ?, 'RESERVATION', 0, wanted, null, ?, ? from reserved
     )
     ${answer}`;
  const params = [siteId, orderId, siteId, siteId, orderId, actorName(actor), now];
  const refusing = statement(
    `select refuse_stock_shortfalls(coalesce(jsonb_agg(jsonb_build_object('productId', id, 'available', available, 'wanted', wanted)
       order by id), '[]')) as sent_with_commit from short`,
  );
  if (sentWithCommit(tx, refusing, params)) return null;
  const rows = await tx.execute<{ product_id: string; available: number; wanted: number }[]>(
    statement(`select id as product_id, available, wanted from short order by id`),
    params,
  );
  return rows.map((r) => ({ productId: r.product_id, available: r.available, wanted: r.wanted }));
}

/** The shortfalls a reservation sent with COMMIT refused the transaction with; null for any other failure. */
export function shortfallsRefusedAtCommit(err: unknown): Shortfall[] | null {
  const e = err as { code?: unknown; detail?: unknown } | null;
  if (!e || e.code !== 'AEG01' || typeof e.detail !== 'string') return null;
  return JSON.parse(e.detail) as Shortfall[];
}

/**
 * What the order still holds (its ledger rows' net reservation) becomes a SALE (on hand and reserved go down) or is
 * RELEASEd (reserved goes down), in one statement. An order holding nothing (untracked lines, already settled)
 * moves nothing: settling twice is a no-op.
 */
export async function settleOrderStock(
  tx: EntityManager,
  siteId: string,
  orderId: string,
  kind: SettleKind,
  actor: Actor,
  now: Date,
): Promise<void> {
  const sold = kind === 'SALE' ? 1 : 0;
  await moveWithCommit(
    tx,
    (result) => `with held as (
       select product_id, sum(reserved_delta)::int as qty from stock_movements
       where site_id = ? and order_id = ? group by product_id having sum(reserved_delta) > 0
     ), locked as (
       select p.id, held.qty from products p join held on held.product_id = p.id where p.site_id = ? order by p.id for update of p
     ), settled as (
       update products p set stock_reserved = p.stock_reserved - locked.qty, stock_on_hand = p.stock_on_hand - ? * locked.qty
       from locked where p.site_id = ? and p.id = locked.id
       returning p.id, locked.qty
     ), ledger as (
       insert into stock_movements (id, site_id, product_id, order_id, kind, on_hand_delta, reserved_delta, reason, actor, at)
       select gen_random_uuid(), ?, id, ?, ?, -? * qty, -qty, null, ?, ? from settled
     )
     select count(*)::int as ${result} from settled`,
    [siteId, orderId, siteId, sold, siteId, siteId, orderId, kind, sold, actorName(actor), now],
  );
}

/** A refunded order's sold units back on hand (RESTOCK), once: what its SALE rows took and no RESTOCK gave back yet. */
export async function restockOrder(tx: EntityManager, siteId: string, orderId: string, actor: Actor, now: Date): Promise<void> {
  await moveWithCommit(
    tx,
    (result) => `with sold as (
       select product_id, -sum(on_hand_delta)::int as qty from stock_movements
       where site_id = ? and order_id = ? and kind in ('SALE', 'RESTOCK') group by product_id having sum(on_hand_delta) < 0
     ), locked as (
       select p.id, sold.qty from products p join sold on sold.product_id = p.id
       where p.site_id = ? and p.stock_on_hand is not null order by p.id for update of p
     ), restocked as (
       update products p set stock_on_hand = p.stock_on_hand + locked.qty from locked where p.site_id = ? and p.id = locked.id
       returning p.id, locked.qty
     ), ledger as (
       insert into stock_movements (id, site_id, product_id, order_id, kind, on_hand_delta, reserved_delta, reason, actor, at)
       select gen_random_uuid(), ?, id, ?, 'RESTOCK', qty, 0, 'refund', ?, ? from restocked
     )
     select count(*)::int as ${result} from restocked`,
    [siteId, orderId, siteId, siteId, siteId, orderId, actorName(actor), now],
  );
}

/**
 * A move of what an order holds (a settlement, a restock): nothing in its command reads the stock back, and what
 * it answers (how many products moved) is for no one, so in a command's transaction it goes in COMMIT's message, a
 * round trip fewer (src/db/one-message.ts). Its locks are then taken at COMMIT, after the order's, as before. A
 * failure there rolls the whole command back, as it did here. Elsewhere it runs now. `statement(result)` names its
 * answer's column: the copy in COMMIT's message carries the alias the bench counts as riding (bench/statements.ts).
 */
async function moveWithCommit(tx: EntityManager, statement: (result: string) => string, params: SqlValue[]): Promise<void> {
  if (!sentWithCommit(tx, statement('sent_with_commit'), params)) await tx.execute(statement('moved'), params);
}

/** The statement, its values inlined, queued for COMMIT's message of the command's transaction; false: there is none. */
function sentWithCommit(tx: EntityManager, sql: string, params: SqlValue[]): boolean {
  return statementWithCommit(tx.getTransactionContext(), inlined({ sql, params }));
}

/** The product's stock as it is now, row-locked (the admin's commands); null: no such product in the site. */
export async function lockStock(
  tx: EntityManager,
  siteId: string,
  productId: string,
): Promise<{ onHand: number | null; reserved: number } | null> {
  const [row] = await tx.execute<{ stock_on_hand: number | null; stock_reserved: number }[]>(
    `select stock_on_hand, stock_reserved from products where site_id = ? and id = ? for update`,
    [siteId, productId],
  );
  return row ? { onHand: row.stock_on_hand, reserved: row.stock_reserved } : null;
}

/** An admin's ADJUSTMENT: on hand set to `onHand` (null: untracked), with its ledger row of the difference. */
export async function adjustOnHand(
  tx: EntityManager,
  siteId: string,
  productId: string,
  from: number | null,
  onHand: number | null,
  reason: string,
  actor: Actor,
  now: Date,
): Promise<void> {
  await tx.execute(
    `with adjusted as (update products set stock_on_hand = ? where site_id = ? and id = ? returning id)
     insert into stock_movements (id, site_id, product_id, order_id, kind, on_hand_delta, reserved_delta, reason, actor, at)
     select gen_random_uuid(), ?, id, null, 'ADJUSTMENT', ?, 0, ?, ?, ? from adjusted`,
    [onHand, siteId, productId, siteId, (onHand ?? 0) - (from ?? 0), reason, actorName(actor), now],
  );
}
