import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderLine, OrderState, type Order } from '../../../entities';
import type { CustomerActor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, ok, refuse, type Result } from '../../errors';
import { inSite } from '../../tx';
import { LIMITS } from '../../validation';
import { MAX_CART_LINES, newCartToken } from '../cart';
import type { OrderFacts } from '../facts';
import { cartOfCustomer, guestCartOfToken, linesOf, lockOrdersInIdOrder } from '../repository';
import { decideOrder, type Move } from '../runner/moves';
import { applyDecision, reportMoves } from '../runner/run';

export const MERGED_REASON = "merged into the customer's cart";

/** What a merge did to one product of the guest's cart (the cart.merged audit entry). */
interface MergedLine {
  productId: string;
  guest: number;
  before: number;
  after: number;
}

/** Tries: a concurrent checkout or new cart of the same customer between our read and our lock reads again. */
const ATTEMPTS = 3;

/**
 * At login: the guest cart of this browser's token (in the customer's site, no customer yet, still DRAFT) becomes
 * the customer's. Returns the customer's cart afterwards, or null when nothing was taken over (no such cart, a
 * cart already at checkout, or one a concurrent login took over first).
 *
 * THE merge rule. With an open (DRAFT) cart of their own, the customer keeps it and the guest's lines are added to
 * it: a product both hold gets the sum of the quantities, capped at the line bound (1000), at the customer's line
 * price; a product only the guest held becomes a new line at the guest's snapshotted price, while the cart has
 * fewer than 100 lines (beyond that, and for a line that would carry the total past the Int bound, the guest's line
 * is left out, named in the audit entry's `dropped`). Email and addresses the customer's cart lacks are taken from
 * the guest's. The guest's cart then ends EXPIRED (`mergeCart`) and its token stops: its digest is replaced by a
 * random one. Without an open cart, the guest's cart is adopted as it is (`adoptCart`): it gains the customer, and
 * the same browser's token keeps working. Both orders are locked in id order in one transaction, so two logins
 * racing over the same carts queue rather than deadlock.
 */
export async function takeOverGuestCart(
  em: EntityManager,
  deps: DomainDeps,
  customer: CustomerActor,
  guestCartTokenHash: string,
): Promise<Result<Order | null>> {
  const siteId = customer.siteId;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let moves: Move[] = [];
    const taken = await inSite(em, siteId, async (tx): Promise<Result<Order | null | 'again'>> => {
      const guest = await guestCartOfToken(tx, siteId, guestCartTokenHash);
      if (!guest || guest.state !== OrderState.DRAFT) return ok(null);
      const theirs = await cartOfCustomer(tx, siteId, customer.customerId);
      const open = theirs?.state === OrderState.DRAFT ? theirs : null;
      // The locks re-read both rows (the identity map refreshes them); what a concurrent command changed shows now.
      await lockOrdersInIdOrder(tx, siteId, open ? [guest.id, open.id] : [guest.id]);
      if (guest.customerId !== null || guest.cartTokenHash !== guestCartTokenHash || guest.state !== OrderState.DRAFT) return ok(null);
      const nowTheirs = await cartOfCustomer(tx, siteId, customer.customerId);
      if ((nowTheirs?.id ?? null) !== (theirs?.id ?? null) || (open && open.state !== OrderState.DRAFT)) return ok('again');

      const facts: OrderFacts = { now: deps.clock.now(), order: guest, current: null, outcomes: {} };
      const result = open ? await merge(tx, deps, customer, guest, open, facts) : await adopt(tx, deps, customer, guest, facts);
      if (!result.ok) return result;
      moves = result.value.moves;
      return ok(result.value.cart);
    });
    if (!taken.ok) return taken;
    if (taken.value === 'again') continue;
    reportMoves(deps, moves);
    return ok(taken.value);
  }
  return refuse(ErrorCode.CONFLICT, 'The cart changed while it was being taken over; try again');
}

type TakenOver = Result<{ cart: Order; moves: Move[] }>;

async function merge(
  tx: EntityManager,
  deps: DomainDeps,
  customer: CustomerActor,
  guest: Order,
  cart: Order,
  facts: OrderFacts,
): Promise<TakenOver> {
  const expire = decideOrder(guest, facts, 'mergeCart', customer);
  const edit = decideOrder(cart, { ...facts, order: cart }, 'editCart', customer);
  if (!expire.ok) return expire;
  if (!edit.ok) return edit;

  const held = new Map((await linesOf(tx, cart)).map((l) => [l.productId, l]));
  const merged: MergedLine[] = [];
  const dropped: string[] = [];
  for (const line of await linesOf(tx, guest)) {
    const mine = held.get(line.productId);
    const before = mine?.quantity ?? 0;
    const after = Math.min(before + line.quantity, LIMITS.addQuantity.max);
    const price = mine?.unitPriceMinor ?? line.unitPriceMinor;
    const total = cart.totalMinor + (after - before) * price;
    if ((!mine && cart.lineCount >= MAX_CART_LINES) || total > LIMITS.maxInt) {
      dropped.push(line.productId);
      continue;
    }
    if (mine) mine.quantity = after;
    else {
      tx.persist(new OrderLine(cart.siteId, cart.id, line.productId, after, price));
      cart.lineCount += 1;
    }
    cart.totalMinor = total;
    merged.push({ productId: line.productId, guest: line.quantity, before, after });
  }
  cart.email ??= guest.email;
  cart.shippingAddress ??= guest.shippingAddress;
  cart.billingAddress ??= guest.billingAddress;
  cart.updatedAt = facts.now;

  const applied = await applyDecision(tx, deps, guest, facts, expire, customer, { reason: MERGED_REASON, detail: { into: cart.id } });
  // The guest's token finds nothing from now on: its digest is one nobody holds the token of.
  guest.cartTokenHash = newCartToken().hash;
  audit(tx, customer, facts.now, {
    siteId: cart.siteId,
    action: 'cart.merged',
    entity: 'Order',
    entityId: cart.id,
    detail: { from: guest.id, lines: merged, dropped },
  });
  return ok({ cart, moves: applied.moves });
}

async function adopt(tx: EntityManager, deps: DomainDeps, customer: CustomerActor, guest: Order, facts: OrderFacts): Promise<TakenOver> {
  const decision = decideOrder(guest, facts, 'adoptCart', customer);
  if (!decision.ok) return decision;
  const applied = await applyDecision(tx, deps, guest, facts, decision, customer);
  guest.customerId = customer.customerId;
  guest.updatedAt = facts.now;
  const lines = (await linesOf(tx, guest)).map((l) => ({ productId: l.productId, quantity: l.quantity }));
  audit(tx, customer, facts.now, { siteId: guest.siteId, action: 'cart.adopted', entity: 'Order', entityId: guest.id, detail: { lines } });
  return ok({ cart: guest, moves: applied.moves });
}
