import type { EntityManager } from '@mikro-orm/postgresql';
import { Order } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import type { CustomerActor } from '../../actor';
import { newCartToken, type Shopper } from '../cart';
import { currencyOfSite } from '../../site/known-sites';
import { runOrderEvent } from '../runner/run';

/**
 * — -> DRAFT: a new cart, owned by whoever holds the returned token (the visitor it creates) and, when a customer
 * of the site creates it, by that customer too (found from any device). A client's carts per minute are bounded.
 */
export async function createCart(
  em: EntityManager,
  deps: DomainDeps,
  input: { siteId: string; clientKey: string; customer?: CustomerActor | null },
): Promise<Result<{ cartToken: string; order: Order }>> {
  if (!deps.cartLimiter.take(`client:${input.clientKey}`, deps.clock.now().getTime())) {
    deps.log.warn({ client: input.clientKey }, 'createCart rate limited');
    return refuse(ErrorCode.RATE_LIMITED, 'Too many carts created from this client; try again in a minute');
  }
  const customer = input.customer ?? null;
  // A customer's token names one site: on another it owns nothing (shield refuses it before this).
  if (customer && customer.siteId !== input.siteId) return notFound('Site', ['siteId']);
  const { token, hash } = newCartToken();
  const shopper: Shopper = customer ?? { kind: 'visitor', cartTokenHash: hash };
  const run = await runOrderEvent(em, deps, {
    siteId: input.siteId,
    event: 'createCart',
    actor: shopper,
    facts: async (tx) => {
      const currency = await currencyOfSite(tx, input.siteId);
      return { site: currency === null ? null : { currency } };
    },
    change: async (tx, _none, facts) => {
      // The siteKnown guard held: the site is there.
      const order = new Order(input.siteId, facts.site!.currency, hash, facts.now);
      order.customerId = customer?.customerId ?? null;
      tx.persist(order);
      return ok(order);
    },
  });
  return run.ok ? ok({ cartToken: token, order: run.value.order }) : run;
}
