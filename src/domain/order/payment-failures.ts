import type { EntityManager } from '@mikro-orm/postgresql';
import { PaymentFailure, PaymentFailureKind } from '../../entities';
import { GatewayError } from '../../integrations/stripe/gateway';
import type { Actor } from '../actor';
import { audit } from '../audit';
import type { DomainDeps } from '../deps';
import { ok } from '../errors';
import { inSite } from '../tx';

export interface AttemptRef {
  id: string;
  siteId: string;
  orderId: string;
  intentId: string | null;
}

/** Adds an append-only failure record to the caller's transaction. */
export function recordFailure(
  tx: EntityManager,
  attempt: AttemptRef,
  kind: PaymentFailureKind,
  reason: string,
  at: Date,
  eventId: string | null = null,
): void {
  tx.persist(
    new PaymentFailure({
      siteId: attempt.siteId,
      orderId: attempt.orderId,
      attemptId: attempt.id,
      kind,
      intentId: attempt.intentId,
      eventId,
      reason,
      at,
    }),
  );
}

/** Stable per attempt, so a cancel repeated after a crash is answered like the first one. */
const cancelKey = (attemptId: string): string => `aegis-cancel-${attemptId}`;

/**
 * Cancels the attempt's PaymentIntent at the gateway, outside any transaction. A refusal is not an error of the
 * caller's command: it is logged, recorded, audited and alerted, and `false` says the intent may still be live.
 */
export async function cancelIntent(em: EntityManager, deps: DomainDeps, actor: Actor, attempt: AttemptRef, why: string): Promise<boolean> {
  if (!attempt.intentId) return true;
  const fields = { siteId: attempt.siteId, orderId: attempt.orderId, attemptId: attempt.id, intentId: attempt.intentId };
  try {
    await deps.gateway.cancelIntent(attempt.intentId, cancelKey(attempt.id));
    deps.log.info({ ...fields, why }, 'payment intent cancelled');
    return true;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    deps.log.error({ ...fields, why, reason: err.message }, 'payment intent cancel refused');
    const now = deps.clock.now();
    await inSite(em, attempt.siteId, async (tx) => {
      recordFailure(tx, attempt, PaymentFailureKind.CANCEL_REFUSED, err.message, now);
      audit(tx, actor, now, {
        siteId: attempt.siteId,
        action: 'payment.cancelRefused',
        entity: 'PaymentAttempt',
        entityId: attempt.id,
        reason: err.message,
        detail: { why },
      });
      return ok(null);
    });
    deps.alerts.raise({
      kind: 'cancel_refused',
      message: `The gateway refused to cancel ${attempt.intentId} (${why})`,
      fields: { ...fields, reason: err.message },
    });
    return false;
  }
}
