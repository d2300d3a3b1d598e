import type { EntityManager } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../pagination';
import { readInSite } from '../tx';

export interface StockMovementRow {
  id: string;
  productId: string;
  orderId: string | null;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  reason: string | null;
  actor: string;
  at: Date;
}

/** A product's ledger, newest first, paged by (at, id). */
export async function listStockMovements(
  em: EntityManager,
  siteId: string,
  productId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Page<StockMovementRow> | null> {
  const cursor = decodeCursor(args.after);
  if (cursor === 'invalid') return null;
  const limit = pageSize(args.first);
  const rows = await readInSite(em, siteId, (tx) =>
    tx.execute<Record<string, unknown>[]>(
      `select id, product_id, order_id, kind, on_hand_delta, reserved_delta, reason, actor, at from stock_movements
       where site_id = ? and product_id = ? ${cursor ? 'and (at, id) < (?, ?)' : ''} order by at desc, id desc limit ?`,
      cursor ? [siteId, productId, cursor.at, cursor.id, limit + 1] : [siteId, productId, limit + 1],
    ),
  );
  if (!rows) return null;
  const items = rows.map((r) => ({
    id: r.id as string,
    productId: r.product_id as string,
    orderId: (r.order_id as string | null) ?? null,
    kind: r.kind as string,
    onHandDelta: r.on_hand_delta as number,
    reservedDelta: r.reserved_delta as number,
    reason: (r.reason as string | null) ?? null,
    actor: r.actor as string,
    at: new Date(r.at as string),
  }));
  return { items: items.slice(0, limit), hasNextPage: items.length > limit, cursorOf: (m) => encodeCursor(m.at, m.id) };
}
