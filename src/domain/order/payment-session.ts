import type { EntityManager } from '@mikro-orm/postgresql';
import { PaymentAttempt, type Order } from '../../entities';
import { GatewayError, type PaymentClientConfig, type PaymentIntentRef } from '../../integrations/stripe/gateway';
import type { Actor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ErrorCode, refuse, type Result } from '../errors';
import { inSite } from '../tx';

export interface PaymentSessionView extends PaymentClientConfig {
  id: string;
  clientSecret: string;
}

/** A new attempt for the order's total, with its own idempotency key (added to the caller's transaction). */
export function newAttempt(tx: EntityManager, order: Order, now: Date): PaymentAttempt {
  const attempt = new PaymentAttempt(order.siteId, order.id, order.totalMinor, order.currency, now);
  tx.persist(attempt);
  order.currentAttemptId = attempt.id;
  return attempt;
}

/**
 * Creates the attempt's PaymentIntent outside any transaction, with the attempt's idempotency key, and records
 * it on the attempt. A gateway failure leaves the order as it is: calling again retries with the same key.
 */
export async function openPaymentSession(
  em: EntityManager,
  deps: DomainDeps,
  actor: Actor,
  attempt: { id: string; siteId: string; orderId: string; amountMinor: number; currency: string; idempotencyKey: string },
): Promise<Result<PaymentSessionView>> {
  let intent: PaymentIntentRef;
  try {
    intent = await deps.gateway.createIntent({
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      idempotencyKey: attempt.idempotencyKey,
      metadata: { site_id: attempt.siteId, order_id: attempt.orderId, attempt_id: attempt.id },
    });
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    deps.log.error(
      { siteId: attempt.siteId, orderId: attempt.orderId, attemptId: attempt.id, reason: err.message },
      'payment gateway call failed',
    );
    await inSite(em, attempt.siteId, async (tx) => {
      audit(tx, actor, deps.clock.now(), {
        siteId: attempt.siteId,
        action: 'payment.gatewayError',
        entity: 'PaymentAttempt',
        entityId: attempt.id,
        reason: err.message,
      });
      return { ok: true, value: null };
    });
    return refuse(ErrorCode.PAYMENT_GATEWAY_ERROR, 'The payment could not be started; try checkout again');
  }
  await inSite(em, attempt.siteId, async (tx) => {
    // The intent may already be recorded by a concurrent call with the same key: the gateway returned the same one.
    await tx.nativeUpdate(PaymentAttempt, { id: attempt.id, intentId: null }, { intentId: intent.id, clientSecret: intent.clientSecret });
    return { ok: true, value: null };
  });
  return { ok: true, value: { id: intent.id, clientSecret: intent.clientSecret, ...deps.gateway.client } };
}
