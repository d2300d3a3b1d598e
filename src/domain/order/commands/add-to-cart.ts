import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Order, Product } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { LIMITS, Validator } from '../../validation';
import { beyondAvailable, boundedTotal, editCart, MAX_CART_LINES, recordCartEdit, type Shopper } from '../cart';
import { linesAtCommit, type OrderLineWithProduct } from '../queries';
import { productLookup } from '../repository';

export interface AddedToCart {
  order: Order;
  /** The cart's lines as this command committed them, when asked for (`withLines`). */
  lines: OrderLineWithProduct[] | null;
}

/**
 * DRAFT -> DRAFT: adds quantity of a catalogue product; the unit price is the catalogue's, snapshotted on the line.
 * `withLines`: the cart's lines are read in the same transaction, as the command left them (a storefront shows
 * them after every change): one statement in COMMIT's message, where a read of its own would add a transaction
 * and three round trips.
 */
export async function addToCart(
  em: EntityManager,
  deps: DomainDeps,
  shopper: Shopper,
  input: { siteId: string; productId: string; quantity: number; withLines?: boolean },
): Promise<Result<AddedToCart>> {
  const v = new Validator();
  v.int(['quantity'], input.quantity, LIMITS.addQuantity.min, LIMITS.addQuantity.max);
  if (!v.ok) return { ok: false, errors: v.errors };
  const shown: { lines?: Promise<OrderLineWithProduct[]> } = {};
  // The product is looked up with the cart, in BEGIN's message: it does not depend on the cart.
  const edited = await editCart(
    em,
    deps,
    shopper,
    input.siteId,
    async (tx, order, facts, product: Product | null) => {
      if (!product) return notFound('Product', ['productId']);
      // A full cart still takes more of a product it holds; only a new line is refused (the order row is locked).
      if (order.lineCount >= MAX_CART_LINES) {
        const [held] = await tx.execute(`select 1 from order_lines where site_id = ? and order_id = ? and product_id = ?`, [
          order.siteId,
          order.id,
          product.id,
        ]);
        if (!held)
          return refuse(
            ErrorCode.VALIDATION,
            `A cart holds at most ${MAX_CART_LINES} lines: this product would be line ${order.lineCount + 1}`,
            ['productId'],
          );
      }

      // One statement adds the line or grows it, bounded per line; the unit price stays the one first snapshotted.
      const [line] = await tx.execute<{ unit_price_minor: number; quantity: number; inserted: boolean }[]>(
        `insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) values (?, ?, ?, ?, ?, ?)
       on conflict (site_id, order_id, product_id) do update set quantity = order_lines.quantity + excluded.quantity
         where order_lines.quantity + excluded.quantity <= ?
       returning unit_price_minor, quantity, (xmax = 0) as inserted`,
        [randomUUID(), order.siteId, order.id, product.id, input.quantity, product.priceMinor, LIMITS.addQuantity.max],
      );
      if (!line) return refuse(ErrorCode.VALIDATION, `A line holds at most ${LIMITS.addQuantity.max} items`, ['quantity']);
      // Advisory (nothing is held before checkout, which reserves under lock): the refusal rolls the line back.
      const short = beyondAvailable(product, line.quantity);
      if (short) return short;
      const total = boundedTotal(order.totalMinor + input.quantity * line.unit_price_minor);
      if (!total.ok) return total;

      if (line.inserted) order.lineCount += 1;
      order.totalMinor = total.value;
      recordCartEdit(tx, shopper, order, facts.now, 'order.addToCart', { productId: product.id, quantity: input.quantity });
      if (input.withLines) shown.lines = (await linesAtCommit(tx, order.siteId, order.id)).lines;
      return ok(order);
    },
    productLookup(input.siteId, input.productId),
  );
  if (!edited.ok) return edited;
  // Read in COMMIT's message, so they are there once the command committed.
  return ok({ order: edited.value, lines: shown.lines ? await shown.lines : null });
}
