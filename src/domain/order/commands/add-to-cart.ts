import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Product, type Order } from '../../../entities';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { selectEntity } from '../../sql';
import { inSite, isUuid } from '../../tx';
import { LIMITS, Validator } from '../../validation';
import { lockEditableCart, type VisitorActor } from '../cart';

/** DRAFT -> DRAFT: adds quantity of a catalogue product; the unit price is the catalogue's, snapshotted on the line. */
export function addToCart(
  em: EntityManager,
  deps: DomainDeps,
  visitor: VisitorActor,
  input: { siteId: string; productId: string; quantity: number },
): Promise<Result<Order>> {
  const v = new Validator();
  v.int(['quantity'], input.quantity, LIMITS.addQuantity.min, LIMITS.addQuantity.max);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return inSite(em, input.siteId, async (tx) => {
    const cart = await lockEditableCart(tx, visitor);
    if (!cart.ok) return cart;
    const order = cart.value;
    const product = isUuid(input.productId)
      ? await selectEntity(tx, Product, `select * from products where id = ? and site_id = ?`, [input.productId, order.siteId])
      : null;
    if (!product) return notFound('Product', ['productId']);

    // One statement adds the line or grows it, bounded per line; the unit price stays the one first snapshotted.
    const [line] = await tx.execute<{ unit_price_minor: number; inserted: boolean }[]>(
      `insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) values (?, ?, ?, ?, ?, ?)
       on conflict (order_id, product_id) do update set quantity = order_lines.quantity + excluded.quantity
         where order_lines.quantity + excluded.quantity <= ?
       returning unit_price_minor, (xmax = 0) as inserted`,
      [randomUUID(), order.siteId, order.id, product.id, input.quantity, product.priceMinor, LIMITS.addQuantity.max],
    );
    if (!line) return refuse(ErrorCode.VALIDATION, `A line holds at most ${LIMITS.addQuantity.max} items`, ['quantity']);
    const total = order.totalMinor + input.quantity * line.unit_price_minor;
    if (total > LIMITS.maxInt) return refuse(ErrorCode.VALIDATION, 'The order total is too large', ['quantity']);

    if (line.inserted) order.lineCount += 1;
    order.totalMinor = total;
    order.updatedAt = deps.clock.now();
    audit(tx, visitor, order.updatedAt, {
      siteId: order.siteId, action: 'order.addToCart', entity: 'Order', entityId: order.id,
      detail: { productId: product.id, quantity: input.quantity },
    });
    return ok(order);
  });
}
