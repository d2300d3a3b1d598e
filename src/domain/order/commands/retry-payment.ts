import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderState, PaymentAttempt } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result } from '../../errors';
import { inSite } from '../../tx';
import { lockVisitorOrder, type VisitorActor } from '../cart';
import { applyTransition } from '../machine';
import { cancelIntent } from '../payment-failures';
import { newAttempt, openPaymentSession } from '../payment-session';
import type { CheckoutResult } from './checkout';

/**
 * PAYMENT_FAILED -> PENDING_PAYMENT before the recovery deadline, as a NEW attempt (new idempotency key, new
 * PaymentIntent). After the transaction, the superseded intent is cancelled at the gateway (best effort: a
 * refusal is alerted; a payment that still lands on it is flagged needsRefund by the webhook), then the new
 * intent is created. If that gateway call fails the order stays PENDING_PAYMENT and `checkout` retries it.
 */
export async function retryPayment(
  em: EntityManager,
  deps: DomainDeps,
  visitor: VisitorActor,
  input: { siteId: string; orderId: string },
): Promise<Result<CheckoutResult>> {
  const started = await inSite(em, input.siteId, async (tx) => {
    const order = await lockVisitorOrder(tx, visitor, input.orderId);
    if (!order) return notFound('Order', ['orderId']);
    const now = deps.clock.now();
    const windowClosed = order.recoveryDeadline !== null && now >= order.recoveryDeadline;
    if (windowClosed && (order.state === OrderState.PAYMENT_FAILED || order.state === OrderState.EXPIRED)) {
      return refuse(ErrorCode.RECOVERY_WINDOW_EXPIRED, `The recovery window closed at ${order.recoveryDeadline!.toISOString()}`);
    }
    const superseded = order.currentAttemptId ? await tx.findOneOrFail(PaymentAttempt, { id: order.currentAttemptId }) : null;
    const moved = applyTransition(tx, order, 'retryPayment', visitor, now, { detail: { supersededAttemptId: superseded?.id ?? null } });
    if (!moved.ok) return moved;
    order.recoveryDeadline = null;
    const attempt = newAttempt(tx, order, now);
    return ok({ order, attempt: { ...attempt }, superseded: superseded && { ...superseded } });
  });
  if (!started.ok) return started;

  const { order, attempt, superseded } = started.value;
  if (superseded) await cancelIntent(em, deps, visitor, superseded, 'superseded by a retry');
  const session = await openPaymentSession(em, deps, visitor, attempt);
  return ok(session.ok ? { order, paymentSession: session.value } : { order, paymentSession: null, gatewayError: session.errors[0] });
}
