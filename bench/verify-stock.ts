import { sql } from './database';

/** The bench's products are tracked with this much stock: never sold out, so the figures measure the reservation itself. */
export const BENCH_STOCK = 1_000_000;

/**
 * "No confirmed payment without its stock" (README "Stock"), read as the owner: every line of every CONFIRMED
 * order was sold from stock (its SALE rows take exactly the line's quantity off on hand and reserved), no order
 * outside PENDING_PAYMENT and PAYMENT_FAILED still holds a reservation, and every product's ledger sums to its columns.
 */
export async function stockProblems(ownerUrl: string): Promise<string[]> {
  const unsold = await sql<{ order_id: string; product_id: string; quantity: number; sold: number | null }>(
    ownerUrl,
    `select o.id as order_id, l.product_id, l.quantity,
            (select -sum(m.on_hand_delta) from stock_movements m
              where m.site_id = o.site_id and m.order_id = o.id and m.product_id = l.product_id and m.kind = 'SALE') as sold
       from orders o join order_lines l on l.site_id = o.site_id and l.order_id = o.id
       join products p on p.site_id = l.site_id and p.id = l.product_id
      where o.state = 'CONFIRMED' and p.stock_on_hand is not null`,
  );
  const held = await sql<{ order_id: string; state: string; held: number }>(
    ownerUrl,
    `select m.order_id, o.state, sum(m.reserved_delta)::int as held from stock_movements m join orders o on o.site_id = m.site_id and o.id = m.order_id
      group by m.order_id, o.state having sum(m.reserved_delta) <> 0 and o.state not in ('PENDING_PAYMENT', 'PAYMENT_FAILED')`,
  );
  const ledger = await sql<{ id: string }>(
    ownerUrl,
    `select p.id from products p left join stock_movements m on m.site_id = p.site_id and m.product_id = p.id
      group by p.id, p.stock_on_hand, p.stock_reserved
     having coalesce(p.stock_on_hand, 0) <> coalesce(sum(m.on_hand_delta), 0) or p.stock_reserved <> coalesce(sum(m.reserved_delta), 0)`,
  );
  return [
    ...unsold
      .filter((u) => Number(u.sold ?? 0) !== u.quantity)
      .map((u) => `order ${u.order_id}: CONFIRMED, ${u.sold ?? 0} of ${u.quantity} sold of ${u.product_id}`),
    ...held.map((h) => `order ${h.order_id}: ${h.state} but still holds ${h.held} units`),
    ...ledger.map((p) => `product ${p.id}: its ledger does not sum to its stock columns`),
  ];
}
