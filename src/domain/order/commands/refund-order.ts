import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order } from '../../../entities';
import type { AdminActor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { notFound, ok, type Result } from '../../errors';
import { isUuid } from '../../tx';
import { Validator } from '../../validation';
import { capturedAttempts, orderById } from '../repository';
import { runOrderEvent } from '../runner/run';

const REASON_MAX = 1000;

/**
 * Refunds every captured, unrefunded attempt of the order through the gateway, each with its own idempotency key,
 * before the move (the table's `refund` rows): CONFIRMED -> REFUNDED once nothing captured is left; in any other
 * state the order keeps its state and the flagged money goes back. The first gateway refusal stops the refunds and
 * changes no state: it is recorded, audited and alerted, and answered PAYMENT_GATEWAY_ERROR.
 */
export async function refundOrder(
  em: EntityManager,
  deps: DomainDeps,
  admin: AdminActor,
  input: { siteId: string; orderId: string; reason: string; restock?: boolean },
): Promise<Result<Order>> {
  const v = new Validator();
  const reason = v.text(['reason'], input.reason, REASON_MAX) ?? '';
  if (!v.ok) return { ok: false, errors: v.errors };
  if (!isUuid(input.orderId)) return notFound('Order', ['orderId']);

  const run = await runOrderEvent(em, deps, {
    siteId: input.siteId,
    event: 'refund',
    actor: admin,
    reason,
    find: orderById(input.siteId, input.orderId),
    notFound: { what: 'Order', field: ['orderId'] },
    // Before the refunds: what to refund. After them, under the lock: what they set out to refund, and what is left.
    facts: async (tx, order, early) => {
      const restock = input.restock === true;
      if (!early) return { captured: await capturedAttempts(tx, order!), restock };
      const left = (await capturedAttempts(tx, order!)).length;
      return { captured: early.facts.captured, restock, outcomes: { ...early.outcomes, refund: { ...early.outcomes.refund!, left } } };
    },
    change: async (tx, order, facts, decision) => {
      // The state stays (a SAME row): the history has no entry, so the log says what was paid back.
      const refunded = facts.outcomes.refund?.refunded ?? [];
      if (decision.selfLoop && refunded.length) {
        audit(tx, admin, facts.now, {
          siteId: order!.siteId,
          action: 'order.refundFlagged',
          entity: 'Order',
          entityId: order!.id,
          reason,
          detail: { attempts: refunded },
        });
      }
      return ok(order!);
    },
    audit: { reason, ...(input.restock && { detail: { restock: true } }) },
  });
  return run.ok ? ok(run.value.order) : run;
}
