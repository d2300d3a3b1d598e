import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, OrderState, PaymentAttempt, PaymentAttemptStatus, PaymentFailureKind } from '../../../entities';
import { GatewayError } from '../../../integrations/stripe/gateway';
import type { AdminActor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { inSite, isUuid } from '../../tx';
import { Validator } from '../../validation';
import { lockOrder } from '../cart';
import { applyTransition } from '../machine';
import { recordFailure } from '../payment-failures';

const REASON_MAX = 1000;

/** Stable per attempt: a refund repeated (a lost response, a concurrent admin) cannot pay out twice. */
const refundKey = (attemptId: string): string => `aegis-refund-${attemptId}`;

const captured = (tx: EntityManager, orderId: string) =>
  tx.find(
    PaymentAttempt,
    { orderId, status: PaymentAttemptStatus.SUCCEEDED, refunded: false },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );

/**
 * Refunds every captured, unrefunded attempt of the order through the gateway, each with its own idempotency
 * key: CONFIRMED -> REFUNDED; in any other state the order keeps its state and the flagged attempts are cleared
 * (the seed's "admin can manually refund if stuck"). Gateway calls run outside any transaction; the first
 * refusal stops them and changes no state: it is recorded, audited and alerted, and answered
 * PAYMENT_GATEWAY_ERROR (refunds the gateway already made before it are recorded, as they happened).
 */
export async function refundOrder(
  em: EntityManager,
  deps: DomainDeps,
  admin: AdminActor,
  input: { siteId: string; orderId: string; reason: string },
): Promise<Result<Order>> {
  const v = new Validator();
  const reason = v.text(['reason'], input.reason, REASON_MAX) ?? '';
  if (!v.ok) return { ok: false, errors: v.errors };
  if (!isUuid(input.orderId)) return notFound('Order', ['orderId']);

  const planned = await inSite(em, input.siteId, async (tx) => {
    const order = await tx.findOne(Order, { id: input.orderId });
    if (!order) return notFound('Order', ['orderId']);
    const attempts = await captured(tx, order.id);
    if (!attempts.length) return refuse(ErrorCode.NOTHING_TO_REFUND, `Order is ${order.state} and has no captured, unrefunded payment`);
    return ok(attempts.map((a) => ({ ...a })));
  });
  if (!planned.ok) return planned;

  const refunds = new Map<string, string>();
  let refusal: { attempt: PaymentAttempt; reason: string } | null = null;
  for (const attempt of planned.value) {
    try {
      const refund = await deps.gateway.refund({
        intentId: attempt.intentId!,
        idempotencyKey: refundKey(attempt.id),
        metadata: { site_id: attempt.siteId, order_id: attempt.orderId, attempt_id: attempt.id },
      });
      refunds.set(attempt.id, refund.id);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      refusal = { attempt, reason: err.message };
      break;
    }
  }

  const now = deps.clock.now();
  const recorded = await inSite(em, input.siteId, async (tx) => {
    const order = (await lockOrder(tx, input.orderId))!;
    const attempts = await captured(tx, order.id);
    for (const attempt of attempts) {
      const refundId = refunds.get(attempt.id);
      if (!refundId) continue;
      attempt.refunded = true;
      attempt.needsRefund = false;
      audit(tx, admin, now, {
        siteId: order.siteId,
        action: 'payment.refunded',
        entity: 'PaymentAttempt',
        entityId: attempt.id,
        reason,
        detail: { orderId: order.id, refundId, amountMinor: attempt.amountMinor },
      });
    }
    if (refusal) {
      recordFailure(tx, refusal.attempt, PaymentFailureKind.REFUND_REFUSED, refusal.reason, now);
      audit(tx, admin, now, {
        siteId: order.siteId,
        action: 'payment.refundRefused',
        entity: 'PaymentAttempt',
        entityId: refusal.attempt.id,
        reason: refusal.reason,
        detail: { orderId: order.id },
      });
      return ok(order);
    }
    // REFUNDED only once no captured money is left on it (a concurrent confirmation may have added some).
    if (order.state === OrderState.CONFIRMED && attempts.every((a) => a.refunded)) {
      const moved = applyTransition(tx, order, 'refund', admin, now, { reason });
      if (!moved.ok) return moved;
    } else if (refunds.size) {
      audit(tx, admin, now, {
        siteId: order.siteId,
        action: 'order.refundFlagged',
        entity: 'Order',
        entityId: order.id,
        reason,
        detail: { attempts: [...refunds.keys()] },
      });
    }
    return ok(order);
  });
  if (!recorded.ok) return recorded;
  if (refusal) {
    const fields = {
      siteId: input.siteId,
      orderId: input.orderId,
      attemptId: refusal.attempt.id,
      intentId: refusal.attempt.intentId,
      reason: refusal.reason,
    };
    deps.log.error(fields, 'refund refused by the payment gateway');
    deps.alerts.raise({ kind: 'refund_refused', message: `The gateway refused to refund attempt ${refusal.attempt.id}`, fields });
    return refuse(ErrorCode.PAYMENT_GATEWAY_ERROR, `The payment gateway refused the refund: ${refusal.reason}`);
  }
  return recorded;
}
