import type { EntityManager } from '@mikro-orm/postgresql';
import { PaymentAttempt, PaymentFailure, PaymentFailureKind } from '../../../entities';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, ok, type UserError } from '../../errors';
import { inSite, writeInSite } from '../../tx';
import { mayStillBePaid } from '../attempt-process';
import type { BeforeOutcomes } from '../facts';
import { lockOrder, recordIntent } from '../repository';
import { GatewayError, type PaymentClientConfig, type PaymentGateway, type PaymentIntentRef } from '../ports';
import type { OrderEffect } from '../process';

/**
 * The gateway calls of the order process (the rows' `effects`). Each runs outside any transaction with the
 * attempt's own idempotency key, then records its outcome, or its failure record and alert, in a short
 * transaction of its own. A gateway refusal is an outcome, never a throw; anything else is a bug and throws.
 */

/** A plain copy of an attempt, taken out of the move's transaction by the runner (its entity is detached at commit). */
export type AttemptSnapshot = Pick<
  PaymentAttempt,
  'id' | 'siteId' | 'orderId' | 'provider' | 'amountMinor' | 'currency' | 'idempotencyKey' | 'intentId' | 'clientSecret' | 'status'
>;

export const snapshot = (a: PaymentAttempt): AttemptSnapshot => ({
  id: a.id,
  siteId: a.siteId,
  orderId: a.orderId,
  provider: a.provider,
  amountMinor: a.amountMinor,
  currency: a.currency,
  idempotencyKey: a.idempotencyKey,
  intentId: a.intentId,
  clientSecret: a.clientSecret,
  status: a.status,
});

/** What the effects work on: the order's attempts as the move left them. */
export interface EffectPlan {
  siteId: string;
  orderId: string;
  actor: Actor;
  /** The current attempt (a new one after checkout or retry). */
  current: AttemptSnapshot | null;
  /** The attempt a retry replaced. */
  superseded: AttemptSnapshot | null;
  /** refund: the captured attempts to refund. */
  captured: readonly AttemptSnapshot[];
  /** refund: the admin's reason. */
  reason: string | null;
}

export interface PaymentSessionView extends PaymentClientConfig {
  id: string;
  clientSecret: string;
}

/** What a client confirms an intent with. */
const sessionOf = (gateway: PaymentGateway, intent: PaymentIntentRef): PaymentSessionView => ({
  id: intent.id,
  clientSecret: intent.clientSecret,
  ...gateway.client,
});

/** The attempt's session once its intent is recorded; null before. */
export const recordedSession = (
  gateway: PaymentGateway,
  attempt: Pick<PaymentAttempt, 'intentId' | 'clientSecret'>,
): PaymentSessionView | null =>
  attempt.intentId && attempt.clientSecret ? sessionOf(gateway, { id: attempt.intentId, clientSecret: attempt.clientSecret }) : null;

export interface EffectOutcomes extends BeforeOutcomes {
  session?: PaymentSessionView;
  /** The intent could not be created: checkout again retries it with the same key. */
  gatewayError?: UserError;
}

type Effect = (em: EntityManager, deps: DomainDeps, plan: EffectPlan) => Promise<EffectOutcomes>;

/** The gateway an attempt was made with; a provider no longer registered is a configuration fault. */
function gatewayOf(deps: DomainDeps, attempt: AttemptSnapshot): PaymentGateway {
  const gateway = deps.payments.gateway(attempt.provider);
  if (!gateway) throw new Error(`payment provider "${attempt.provider}" of attempt ${attempt.id} is not registered`);
  return gateway;
}

/** A short transaction of its own for an effect's outcome. */
const record = (em: EntityManager, siteId: string, work: (tx: EntityManager) => void | Promise<void>) =>
  inSite(em, siteId, async (tx) => {
    await work(tx);
    return ok(null);
  });

export function recordFailure(
  tx: EntityManager,
  attempt: AttemptSnapshot,
  kind: PaymentFailureKind,
  reason: string,
  at: Date,
  eventId: string | null = null,
) {
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

const refusal = (err: unknown): string => {
  if (!(err instanceof GatewayError)) throw err;
  return err.message;
};

const createIntent: Effect = async (em, deps, { current: attempt, actor }) => {
  if (!attempt) return {};
  const gateway = gatewayOf(deps, attempt);
  const recorded = recordedSession(gateway, attempt);
  if (recorded) return { session: recorded };
  try {
    const intent = await gateway.createIntent({
      amountMinor: attempt.amountMinor,
      currency: attempt.currency,
      idempotencyKey: attempt.idempotencyKey,
      metadata: { siteId: attempt.siteId, orderId: attempt.orderId, attemptId: attempt.id },
    });
    // The intent may already be recorded by a concurrent call with the same key: the gateway returned the same one.
    await writeInSite(em, attempt.siteId, recordIntent(attempt, intent));
    return { session: sessionOf(gateway, intent) };
  } catch (err) {
    const reason = refusal(err);
    deps.log.error({ siteId: attempt.siteId, orderId: attempt.orderId, attemptId: attempt.id, reason }, 'payment gateway call failed');
    await record(em, attempt.siteId, (tx) => {
      audit(tx, actor, deps.clock.now(), {
        siteId: attempt.siteId,
        action: 'payment.gatewayError',
        entity: 'PaymentAttempt',
        entityId: attempt.id,
        reason,
      });
    });
    return { gatewayError: { code: ErrorCode.PAYMENT_GATEWAY_ERROR, message: 'The payment could not be started; try checkout again' } };
  }
};

/** Stable per attempt, so a cancel repeated after a crash is answered like the first one. */
const cancelKey = (attemptId: string): string => `aegis-cancel-${attemptId}`;

/** Cancels an attempt's intent; a refusal is logged, recorded, audited and alerted, and `false` says the intent may still be live. */
async function cancel(em: EntityManager, deps: DomainDeps, actor: Actor, attempt: AttemptSnapshot, why: string): Promise<boolean> {
  if (!attempt.intentId) return true;
  const fields = { siteId: attempt.siteId, orderId: attempt.orderId, attemptId: attempt.id, intentId: attempt.intentId };
  // Marked first, so that the gateway's word of this cancel (payment_intent.canceled) is known as Aegis's own.
  await record(em, attempt.siteId, (tx) =>
    tx
      .nativeUpdate(PaymentAttempt, { id: attempt.id, cancelRequestedAt: null }, { cancelRequestedAt: deps.clock.now() })
      .then(() => undefined),
  );
  try {
    await gatewayOf(deps, attempt).cancelIntent(attempt.intentId, cancelKey(attempt.id));
    deps.log.info({ ...fields, why }, 'payment intent cancelled');
    return true;
  } catch (err) {
    const reason = refusal(err);
    deps.log.error({ ...fields, why, reason }, 'payment intent cancel refused');
    const now = deps.clock.now();
    await record(em, attempt.siteId, (tx) => {
      recordFailure(tx, attempt, PaymentFailureKind.CANCEL_REFUSED, reason, now);
      audit(tx, actor, now, {
        siteId: attempt.siteId,
        action: 'payment.cancelRefused',
        entity: 'PaymentAttempt',
        entityId: attempt.id,
        reason,
        detail: { why },
      });
    });
    deps.alerts.raise({
      kind: 'cancel_refused',
      message: `The gateway refused to cancel ${attempt.intentId} (${why})`,
      fields: { ...fields, reason },
    });
    return false;
  }
}

/** Only an intent that could still be paid: one the gateway already cancelled cannot be cancelled again. */
const cancelSupersededIntent: Effect = async (em, deps, plan) => {
  if (plan.superseded && mayStillBePaid(plan.superseded.status))
    await cancel(em, deps, plan.actor, plan.superseded, 'superseded by a retry');
  return {};
};

/** Only an intent that could still be paid is cancelled. */
const cancelCurrentIntent: Effect = async (em, deps, plan) => {
  const attempt = plan.current;
  const live = attempt !== null && mayStillBePaid(attempt.status);
  const cancelled = live ? await cancel(em, deps, plan.actor, attempt, 'order expired') : false;
  return { cancel: { attemptId: attempt?.id ?? null, live, cancelled } };
};

/** Stable per attempt: a refund repeated (a lost response, a concurrent admin) cannot pay out twice. */
const refundKey = (attemptId: string): string => `aegis-refund-${attemptId}`;

/** Refunds each captured attempt in turn; the first refusal stops the run. The refunds made before it are recorded, as they happened. */
const refundCaptured: Effect = async (em, deps, plan) => {
  const refunds = new Map<string, string>();
  let refused: { attempt: AttemptSnapshot; reason: string } | null = null;
  for (const attempt of plan.captured) {
    try {
      const refund = await gatewayOf(deps, attempt).refund({
        intentId: attempt.intentId!,
        idempotencyKey: refundKey(attempt.id),
        metadata: { siteId: attempt.siteId, orderId: attempt.orderId, attemptId: attempt.id },
      });
      refunds.set(attempt.id, refund.id);
    } catch (err) {
      refused = { attempt, reason: refusal(err) };
      break;
    }
  }
  const now = deps.clock.now();
  await record(em, plan.siteId, async (tx) => {
    // Under the order's lock, and only once per attempt: a concurrent refund of the same order records nothing twice.
    await lockOrder(tx, plan.siteId, plan.orderId);
    for (const attempt of plan.captured) {
      const refundId = refunds.get(attempt.id);
      if (!refundId) continue;
      const marked = await tx.nativeUpdate(PaymentAttempt, { id: attempt.id, refunded: false }, { refunded: true, needsRefund: false });
      if (!marked) continue;
      audit(tx, plan.actor, now, {
        siteId: plan.siteId,
        action: 'payment.refunded',
        entity: 'PaymentAttempt',
        entityId: attempt.id,
        reason: plan.reason,
        detail: { orderId: plan.orderId, refundId, amountMinor: attempt.amountMinor },
      });
    }
    if (refused) {
      recordFailure(tx, refused.attempt, PaymentFailureKind.REFUND_REFUSED, refused.reason, now);
      audit(tx, plan.actor, now, {
        siteId: plan.siteId,
        action: 'payment.refundRefused',
        entity: 'PaymentAttempt',
        entityId: refused.attempt.id,
        reason: refused.reason,
        detail: { orderId: plan.orderId },
      });
    }
  });
  if (refused) {
    const fields = {
      siteId: plan.siteId,
      orderId: plan.orderId,
      attemptId: refused.attempt.id,
      intentId: refused.attempt.intentId,
      reason: refused.reason,
    };
    deps.log.error(fields, 'refund refused by the payment gateway');
    deps.alerts.raise({ kind: 'refund_refused', message: `The gateway refused to refund attempt ${refused.attempt.id}`, fields });
  }
  // `left` is counted again under the order's lock, in the move's transaction.
  return { refund: { refused: refused?.reason ?? null, left: 0, refunded: [...refunds.keys()] } };
};

export const EFFECTS: Record<OrderEffect, Effect> = { createIntent, cancelSupersededIntent, cancelCurrentIntent, refundCaptured };
