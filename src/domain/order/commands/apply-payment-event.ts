import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderState, PaymentAttempt, PaymentAttemptStatus, PaymentFailureKind, type Order } from '../../../entities';
import type { Alert } from '../../../alerts/notifier';
import type { IntentFacts, PaymentEvent } from '../../../integrations/stripe/gateway';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ok } from '../../errors';
import { selectEntity } from '../../sql';
import { inSite, isUuid, onPlatform } from '../../tx';
import { lockOrder } from '../cart';
import { applyTransition } from '../machine';
import { recordFailure } from '../payment-failures';

const GATEWAY: Actor = { kind: 'gateway' };
const RECOVERY_WINDOW_MS = 24 * 3600 * 1000;

export type PaymentEventOutcome = 'duplicate' | 'confirmed' | 'failed' | 'unmatched' | 'unhandled';

/** Adds the event to the inbox; false when its id is there already (a redelivery). */
async function recordInInbox(tx: EntityManager, event: PaymentEvent, siteId: string | null, now: Date): Promise<boolean> {
  const rows = await tx.execute<{ id: string }[]>(
    `insert into webhook_events (id, provider, type, site_id, received_at) values (?, 'stripe', ?, ?, ?) on conflict (id) do nothing returning id`,
    [event.eventId, event.type, siteId, now],
  );
  return rows.length === 1;
}

/** The attempt the intent belongs to: by recorded intent id, else (intent never recorded) by its metadata. */
async function findAttempt(tx: EntityManager, intent: IntentFacts): Promise<PaymentAttempt | null> {
  const byIntent = await selectEntity(tx, PaymentAttempt, `select * from payment_attempts where intent_id = ?`, [intent.id]);
  if (byIntent) return byIntent;
  if (!intent.attemptId || !isUuid(intent.attemptId) || !intent.orderId || !isUuid(intent.orderId)) return null;
  return selectEntity(tx, PaymentAttempt, `select * from payment_attempts where id = ? and order_id = ? and intent_id is null`, [intent.attemptId, intent.orderId]);
}

// Sites are never deleted: once seen, a site id stays known for the life of the process (one round trip less per event).
const knownSites = new Set<string>();

async function isKnownSite(em: EntityManager, siteId: string): Promise<boolean> {
  if (knownSites.has(siteId)) return true;
  if (!isUuid(siteId) || !(await em.execute(`select 1 from sites where id = ?`, [siteId])).length) return false;
  knownSites.add(siteId);
  return true;
}

/**
 * The Commerce Engine's side of a verified gateway event, in ONE transaction: the inbox row and the
 * transition it causes (PENDING_PAYMENT -> PAYMENT_AUTHORIZED -> CONFIRMED, or -> PAYMENT_FAILED). An event
 * that matches no transition changes no order state and is audited; money taken for an order that cannot be
 * confirmed flags its attempt needsRefund.
 */
export async function applyPaymentEvent(em: EntityManager, deps: DomainDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  const now = deps.clock.now();
  const claimedSite = event.kind === 'unhandled' ? null : event.intent.siteId;
  const siteId = claimedSite && (await isKnownSite(em, claimedSite)) ? claimedSite : null;

  if (event.kind === 'unhandled' || !siteId) {
    const result = await onPlatform(em, async (tx) => {
      if (!(await recordInInbox(tx, event, null, now))) return ok<PaymentEventOutcome>('duplicate');
      deps.faults.afterInboxRecorded?.(event.eventId);
      if (event.kind !== 'unhandled') {
        audit(tx, GATEWAY, now, { siteId: null, action: 'payment.unmatched', entity: 'PaymentIntent', entityId: event.intent.id, detail: { eventId: event.eventId, type: event.type, reason: 'no known site in metadata' } });
      }
      return ok<PaymentEventOutcome>(event.kind === 'unhandled' ? 'unhandled' : 'unmatched');
    });
    return result.ok ? result.value : 'unhandled';
  }

  // Raised only once the transaction committed: a rolled-back delivery is redelivered and alerts then.
  const alerts: Alert[] = [];
  const result = await inSite(em, siteId, async (tx) => {
    if (!(await recordInInbox(tx, event, siteId, now))) return ok<PaymentEventOutcome>('duplicate');
    deps.faults.afterInboxRecorded?.(event.eventId);
    const attempt = await findAttempt(tx, event.intent);
    const order = attempt ? await lockOrder(tx, attempt.orderId) : null;
    if (!attempt || !order) return ok(unmatched(tx, deps, alerts, now, event, null, null, 'no attempt for this intent'));
    if (!attempt.intentId) attempt.intentId = event.intent.id;

    const current = order.currentAttemptId === attempt.id && order.state === OrderState.PENDING_PAYMENT;
    if (event.kind === 'payment_succeeded') {
      if (attempt.status === PaymentAttemptStatus.SUCCEEDED) return ok(unmatched(tx, deps, alerts, now, event, attempt, order, 'attempt already succeeded'));
      attempt.status = PaymentAttemptStatus.SUCCEEDED;
      const matches = event.intent.amountMinor === attempt.amountMinor && event.intent.currency === attempt.currency;
      if (!current || !matches) {
        attempt.needsRefund = true;
        const why = !matches ? 'amount or currency does not match the attempt' : `order is ${order.state} and this is not its current attempt`;
        return ok(unmatched(tx, deps, alerts, now, event, attempt, order, why));
      }
      applyTransition(tx, order, 'paymentAuthorized', GATEWAY, now, { detail: { eventId: event.eventId, attemptId: attempt.id } });
      applyTransition(tx, order, 'confirm', GATEWAY, now, { detail: { eventId: event.eventId, attemptId: attempt.id } });
      return ok<PaymentEventOutcome>('confirmed');
    }

    const failure = { siteId, orderId: order.id, attemptId: attempt.id, intentId: event.intent.id, reason: event.reason };
    recordFailure(tx, attempt, PaymentFailureKind.PAYMENT_FAILED, event.reason, now, event.eventId);
    alerts.push({ kind: 'payment_failed', message: `Payment declined for order ${order.id}`, fields: failure });
    if (!current) {
      if (attempt.status === PaymentAttemptStatus.PENDING) {
        attempt.status = PaymentAttemptStatus.FAILED;
        attempt.failureReason = event.reason;
      }
      return ok(unmatched(tx, deps, alerts, now, event, attempt, order, `order is ${order.state} and this is not its current attempt`));
    }
    attempt.status = PaymentAttemptStatus.FAILED;
    attempt.failureReason = event.reason;
    order.failureReason = event.reason;
    order.recoveryDeadline = new Date(now.getTime() + RECOVERY_WINDOW_MS);
    applyTransition(tx, order, 'paymentFailed', GATEWAY, now, { reason: event.reason, detail: { eventId: event.eventId, attemptId: attempt.id } });
    deps.log.warn(failure, 'payment failed');
    return ok<PaymentEventOutcome>('failed');
  });
  if (!result.ok) throw new Error(`payment event ${event.eventId} refused: ${result.errors[0].message}`);
  for (const alert of alerts) deps.alerts.raise(alert);
  return result.value;
}

function unmatched(
  tx: EntityManager,
  deps: DomainDeps,
  alerts: Alert[],
  now: Date,
  event: Exclude<PaymentEvent, { kind: 'unhandled' }>,
  attempt: PaymentAttempt | null,
  order: Order | null,
  why: string,
): PaymentEventOutcome {
  const fields = { siteId: event.intent.siteId, orderId: order?.id, attemptId: attempt?.id, eventId: event.eventId, type: event.type, reason: why };
  deps.log.warn({ ...fields, needsRefund: attempt?.needsRefund ?? false }, 'payment event matches no transition');
  if (attempt?.needsRefund) alerts.push({ kind: 'needs_refund', message: `Money taken for order ${order?.id} that it cannot confirm`, fields });
  audit(tx, GATEWAY, now, {
    siteId: event.intent.siteId,
    action: attempt?.needsRefund ? 'payment.needsRefund' : 'payment.unmatched',
    entity: attempt ? 'PaymentAttempt' : 'PaymentIntent',
    entityId: attempt?.id ?? event.intent.id,
    reason: why,
    detail: { eventId: event.eventId, type: event.type, orderId: order?.id ?? null },
  });
  return 'unmatched';
}
