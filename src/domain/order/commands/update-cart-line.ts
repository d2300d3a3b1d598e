import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderLine, type Order } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { notFound, ok, type Result } from '../../errors';
import { isUuid } from '../../tx';
import { LIMITS, Validator } from '../../validation';
import { beyondAvailable, boundedTotal, editCart, recordCartEdit, type Shopper } from '../cart';
import { productOfSite } from '../repository';

/** DRAFT -> DRAFT: sets a line's quantity; 0 removes the line. */
export function updateCartLine(
  em: EntityManager,
  deps: DomainDeps,
  shopper: Shopper,
  input: { siteId: string; lineId: string; quantity: number },
): Promise<Result<Order>> {
  const v = new Validator();
  v.int(['quantity'], input.quantity, LIMITS.lineQuantity.min, LIMITS.lineQuantity.max);
  if (!v.ok) return Promise.resolve({ ok: false, errors: v.errors });
  return editCart(em, deps, shopper, input.siteId, async (tx, order, facts) => {
    const line = isUuid(input.lineId) ? await tx.findOne(OrderLine, { id: input.lineId, orderId: order.id }) : null;
    if (!line) return notFound('Cart line', ['lineId']);
    // More of a tracked product than is available is refused (advisory: checkout reserves under lock); less never is.
    if (input.quantity > line.quantity) {
      const product = await productOfSite(tx, order.siteId, line.productId);
      const short = product && beyondAvailable(product, input.quantity);
      if (short) return short;
    }

    const total = boundedTotal(order.totalMinor + (input.quantity - line.quantity) * line.unitPriceMinor);
    if (!total.ok) return total;
    order.totalMinor = total.value;
    if (input.quantity === 0) {
      tx.remove(line);
      order.lineCount -= 1;
    } else line.quantity = input.quantity;
    recordCartEdit(tx, shopper, order, facts.now, 'order.updateCartLine', { lineId: line.id, quantity: input.quantity });
    return ok(order);
  });
}
