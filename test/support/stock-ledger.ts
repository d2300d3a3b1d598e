import { SetStockDocument } from '../../clients/generated/graphql';
import type { Shop } from './flows';
import { ownerSql } from './sql';

/**
 * THE ledger invariant (README "Stock"), read as the owner: for every product of the database, its ledger's
 * on-hand deltas sum to stock_on_hand (0 when untracked) and its reserved deltas to stock_reserved, and nothing
 * is reserved beyond what is on hand. Returns the products that break it (none, always); tests expect [].
 */
export async function stockLedgerBreaches(dbUrl: string): Promise<string[]> {
  const rows = await ownerSql<{ id: string; on_hand: number; reserved: number; ledger_on_hand: number; ledger_reserved: number }>(
    dbUrl,
    `select p.id, coalesce(p.stock_on_hand, 0) as on_hand, p.stock_reserved as reserved,
            coalesce(sum(m.on_hand_delta), 0)::int as ledger_on_hand, coalesce(sum(m.reserved_delta), 0)::int as ledger_reserved
       from products p left join stock_movements m on m.site_id = p.site_id and m.product_id = p.id
      group by p.id, p.stock_on_hand, p.stock_reserved`,
  );
  return rows
    .filter((r) => r.on_hand !== r.ledger_on_hand || r.reserved !== r.ledger_reserved || r.reserved > r.on_hand || r.reserved < 0)
    .map((r) => `${r.id}: on hand ${r.on_hand} (ledger ${r.ledger_on_hand}), reserved ${r.reserved} (ledger ${r.ledger_reserved})`);
}

/** The product's stock columns as the database holds them. */
export async function stockOf(dbUrl: string, productId: string): Promise<{ onHand: number | null; reserved: number }> {
  const [row] = await ownerSql<{ stock_on_hand: number | null; stock_reserved: number }>(
    dbUrl,
    `select stock_on_hand, stock_reserved from products where id = $1`,
    [productId],
  );
  return { onHand: row.stock_on_hand, reserved: row.stock_reserved };
}

/** The admin sets a product's stock through the API (setStock). */
export async function setStock(t: Shop, siteId: string, productId: string, stockOnHand: number | null, reason = 'count') {
  const r = await t.op(SetStockDocument, { siteId, productId, stockOnHand, reason }, { token: await t.superToken() });
  if (!r.data?.setStock.product) throw new Error(`setStock failed: ${JSON.stringify(r)}`);
  return r.data.setStock.product;
}
