import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, Site } from '../../../entities';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { selectEntity } from '../../sql';
import { inSite } from '../../tx';
import { newCartToken } from '../cart';

/** — -> DRAFT: a new cart, owned by whoever holds the returned token. A client's carts per minute are bounded. */
export async function createCart(
  em: EntityManager,
  deps: DomainDeps,
  input: { siteId: string; clientKey: string },
): Promise<Result<{ cartToken: string; order: Order }>> {
  const { siteId } = input;
  if (!deps.cartLimiter.take(`client:${input.clientKey}`, deps.clock.now().getTime())) {
    deps.log.warn({ client: input.clientKey }, 'createCart rate limited');
    return refuse(ErrorCode.RATE_LIMITED, 'Too many carts created from this client; try again in a minute');
  }
  return inSite(em, siteId, async (tx) => {
    const site = await selectEntity(tx, Site, `select * from sites where id = ?`, [siteId]);
    if (!site) return notFound('Site', ['siteId']);
    const now = deps.clock.now();
    const { token, hash } = newCartToken();
    const order = new Order(siteId, site.currency, hash, now);
    tx.persist(order);
    audit(tx, { kind: 'visitor', cartTokenHash: hash }, now, {
      siteId,
      action: 'order.createCart',
      entity: 'Order',
      entityId: order.id,
      fromState: null,
      toState: order.state,
    });
    return ok({ cartToken: token, order });
  });
}
