import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order } from '../../entities';
import type { Actor } from '../actor';
import { audit } from '../audit';
import { ErrorCode, refuse } from '../errors';
import { metricsOf } from '../metrics';
import { nextState, type OrderEvent } from './transitions';

/**
 * The only place that assigns Order.state: checks the table, applies the event and adds its audit entry
 * (which Order.history reads). Returns a refusal, changing nothing, when the table has no such transition.
 */
export function applyTransition(
  em: EntityManager,
  order: Order,
  event: OrderEvent,
  actor: Actor,
  now: Date,
  extra: { reason?: string | null; detail?: Record<string, unknown> } = {},
) {
  const from = order.state;
  const to = nextState(from, event, actor.kind);
  if (!to) return refuse(ErrorCode.INVALID_TRANSITION, `Order is ${from}: ${event} is not possible`);
  order.state = to;
  order.updatedAt = now;
  audit(em, actor, now, {
    siteId: order.siteId,
    action: `order.${event}`,
    entity: 'Order',
    entityId: order.id,
    fromState: from,
    toState: to,
    reason: extra.reason ?? null,
    detail: extra.detail ?? null,
  });
  // Counted at the move, not at the commit: the command commits on the connection, where no ORM event can say so,
  // so a move whose transaction then rolls back (a failed flush) is counted too.
  metricsOf(em)?.orderTransition(event, from, to);
  return { ok: true as const, value: { from, to } };
}
