import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderState, PaymentAttempt, type Order } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ErrorCode, notFound, ok, refuse, type Result, type UserError } from '../../errors';
import { inSite } from '../../tx';
import { lockVisitorOrder, type VisitorActor } from '../cart';
import { applyTransition } from '../machine';
import { newAttempt, openPaymentSession, type PaymentSessionView } from '../payment-session';

export interface CheckoutResult {
  order: Order;
  paymentSession: PaymentSessionView | null;
  /** Set when the order moved (or stays) PENDING_PAYMENT but the gateway call failed: checkout again retries it. */
  gatewayError?: UserError;
}

/**
 * DRAFT -> PENDING_PAYMENT. First, in one transaction, the attempt and the transition with its audit entry;
 * then the PaymentIntent, outside it. Called again while PENDING_PAYMENT it returns the same session (or
 * retries the gateway call with the same key) and creates no new payment.
 */
export async function checkout(
  em: EntityManager,
  deps: DomainDeps,
  visitor: VisitorActor,
  siteId: string,
): Promise<Result<CheckoutResult>> {
  const started = await inSite(em, siteId, async (tx) => {
    const order = await lockVisitorOrder(tx, visitor);
    if (!order) return notFound('Cart');
    if (order.state === OrderState.PENDING_PAYMENT) {
      const attempt = await tx.findOneOrFail(PaymentAttempt, { id: order.currentAttemptId! });
      return ok({ order, attempt: { ...attempt } });
    }
    if (order.state === OrderState.DRAFT) {
      if (order.lineCount === 0) return refuse(ErrorCode.EMPTY_CART, 'The cart is empty');
      if (!order.email || !order.shippingAddress || !order.billingAddress) {
        return refuse(ErrorCode.CHECKOUT_DETAILS_MISSING, 'Set the email, shipping and billing address before checkout');
      }
    }
    const now = deps.clock.now();
    const moved = applyTransition(tx, order, 'checkout', visitor, now);
    if (!moved.ok) return moved;
    const attempt = newAttempt(tx, order, now);
    return ok({ order, attempt: { ...attempt } });
  });
  if (!started.ok) return started;

  const { order, attempt } = started.value;
  if (attempt.intentId && attempt.clientSecret) {
    return ok({ order, paymentSession: { id: attempt.intentId, clientSecret: attempt.clientSecret, ...deps.gateway.client } });
  }
  const session = await openPaymentSession(em, deps, visitor, attempt);
  return ok(session.ok ? { order, paymentSession: session.value } : { order, paymentSession: null, gatewayError: session.errors[0] });
}
