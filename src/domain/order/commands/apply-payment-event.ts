import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderState, PaymentAttempt, PaymentAttemptStatus, PaymentFailureKind, type Order } from '../../../entities';
import type { Alert } from '../../../alerts/notifier';
import type { IntentFacts, PaymentEvent } from '../../../integrations/stripe/gateway';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, ok, refuse } from '../../errors';
import { selectEntity } from '../../sql';
import { inSite, isUuid, onPlatform } from '../../tx';
import { lockOrder } from '../cart';
import { applyTransition } from '../machine';
import { recordFailure } from '../payment-failures';
import { siteOfIntent } from '../queries';

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
  return selectEntity(tx, PaymentAttempt, `select * from payment_attempts where id = ? and order_id = ? and intent_id is null`, [
    intent.attemptId,
    intent.orderId,
  ]);
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
 *
 * The site the metadata names holds the intent, unless the metadata lies (or the intent is not ours): then the
 * intent id, unique across sites, finds the site that does hold it, and the event is unmatched there. A site that
 * does not hold the intent records nothing of it; an intent no site holds is audited on the platform.
 */
export async function applyPaymentEvent(em: EntityManager, deps: DomainDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  const now = deps.clock.now();
  if (event.kind === 'unhandled') return onPlatformOnly(em, deps, event, now);
  const claimed = event.intent.siteId && (await isKnownSite(em, event.intent.siteId)) ? event.intent.siteId : null;
  const inClaimed = claimed ? await applyInSite(em, deps, event, claimed, now) : null;
  if (inClaimed) return inClaimed;
  const owner = await siteOfIntent(em, event.intent.id, claimed);
  const inOwner = owner ? await applyInSite(em, deps, event, owner, now) : null;
  return inOwner ?? onPlatformOnly(em, deps, event, now);
}

type IntentEvent = Exclude<PaymentEvent, { kind: 'unhandled' }>;

/** An unhandled type, or an intent no site holds: the inbox row (site unknown) and, for an intent, its audit entry. */
async function onPlatformOnly(em: EntityManager, deps: DomainDeps, event: PaymentEvent, now: Date): Promise<PaymentEventOutcome> {
  const result = await onPlatform(em, async (tx) => {
    if (!(await recordInInbox(tx, event, null, now))) return ok<PaymentEventOutcome>('duplicate');
    deps.faults.afterInboxRecorded?.(event.eventId);
    if (event.kind === 'unhandled') return ok<PaymentEventOutcome>('unhandled');
    const why = 'no site holds an attempt for this intent';
    deps.log.warn(
      { metadataSiteId: event.intent.siteId, intentId: event.intent.id, eventId: event.eventId, type: event.type, reason: why },
      'payment event matches no transition',
    );
    audit(tx, GATEWAY, now, {
      siteId: null,
      action: 'payment.unmatched',
      entity: 'PaymentIntent',
      entityId: event.intent.id,
      reason: why,
      detail: { eventId: event.eventId, type: event.type },
    });
    return ok<PaymentEventOutcome>('unmatched');
  });
  return result.ok ? result.value : 'unhandled';
}

/** Refused inside the transaction, so that its inbox row rolls back too: the site holds no attempt for the intent. */
const NOT_HERE = refuse(ErrorCode.NOT_FOUND, 'no attempt for this intent in this site');

/** The event applied in one site's transaction; null (nothing written) when the site holds no attempt for the intent. */
async function applyInSite(
  em: EntityManager,
  deps: DomainDeps,
  event: IntentEvent,
  siteId: string,
  now: Date,
): Promise<PaymentEventOutcome | null> {
  // Raised only once the transaction committed: a rolled-back delivery is redelivered and alerts then.
  const alerts: Alert[] = [];
  const result = await inSite(em, siteId, async (tx) => {
    if (!(await recordInInbox(tx, event, siteId, now))) return ok<PaymentEventOutcome>('duplicate');
    deps.faults.afterInboxRecorded?.(event.eventId);
    const attempt = await findAttempt(tx, event.intent);
    const order = attempt ? await lockOrder(tx, attempt.orderId) : null;
    if (!attempt || !order) return NOT_HERE;
    if (!attempt.intentId) attempt.intentId = event.intent.id;
    const misplaced = event.intent.siteId !== siteId;
    const notMatched = (why: string) => ok(unmatched(tx, deps, alerts, now, siteId, event, attempt, order, why));

    const current = order.currentAttemptId === attempt.id && order.state === OrderState.PENDING_PAYMENT;
    if (event.kind === 'payment_succeeded') {
      if (attempt.status === PaymentAttemptStatus.SUCCEEDED) return notMatched('attempt already succeeded');
      attempt.status = PaymentAttemptStatus.SUCCEEDED;
      const matches = event.intent.amountMinor === attempt.amountMinor && event.intent.currency === attempt.currency;
      if (misplaced || !current || !matches) {
        attempt.needsRefund = true;
        return notMatched(
          misplaced
            ? MISPLACED
            : !matches
              ? 'amount or currency does not match the attempt'
              : `order is ${order.state} and this is not its current attempt`,
        );
      }
      applyTransition(tx, order, 'paymentAuthorized', GATEWAY, now, { detail: { eventId: event.eventId, attemptId: attempt.id } });
      applyTransition(tx, order, 'confirm', GATEWAY, now, { detail: { eventId: event.eventId, attemptId: attempt.id } });
      return ok<PaymentEventOutcome>('confirmed');
    }

    // No money moved: a decline whose metadata is wrong changes nothing, it is only audited where the intent is.
    if (misplaced) return notMatched(MISPLACED);
    const failure = { siteId, orderId: order.id, attemptId: attempt.id, intentId: event.intent.id, reason: event.reason };
    recordFailure(tx, attempt, PaymentFailureKind.PAYMENT_FAILED, event.reason, now, event.eventId);
    alerts.push({ kind: 'payment_failed', message: `Payment declined for order ${order.id}`, fields: failure });
    if (!current) {
      if (attempt.status === PaymentAttemptStatus.PENDING) {
        attempt.status = PaymentAttemptStatus.FAILED;
        attempt.failureReason = event.reason;
      }
      return notMatched(`order is ${order.state} and this is not its current attempt`);
    }
    attempt.status = PaymentAttemptStatus.FAILED;
    attempt.failureReason = event.reason;
    order.failureReason = event.reason;
    order.recoveryDeadline = new Date(now.getTime() + RECOVERY_WINDOW_MS);
    applyTransition(tx, order, 'paymentFailed', GATEWAY, now, {
      reason: event.reason,
      detail: { eventId: event.eventId, attemptId: attempt.id },
    });
    deps.log.warn(failure, 'payment failed');
    return ok<PaymentEventOutcome>('failed');
  });
  if (!result.ok && result.errors[0].code === ErrorCode.NOT_FOUND) return null;
  if (!result.ok) throw new Error(`payment event ${event.eventId} refused: ${result.errors[0].message}`);
  for (const alert of alerts) deps.alerts.raise(alert);
  return result.value;
}

const MISPLACED = "the intent's metadata names another site than the one holding it";

function unmatched(
  tx: EntityManager,
  deps: DomainDeps,
  alerts: Alert[],
  now: Date,
  siteId: string,
  event: IntentEvent,
  attempt: PaymentAttempt,
  order: Order,
  why: string,
): PaymentEventOutcome {
  const fields = {
    siteId,
    metadataSiteId: event.intent.siteId,
    orderId: order.id,
    attemptId: attempt.id,
    eventId: event.eventId,
    type: event.type,
    reason: why,
  };
  deps.log.warn({ ...fields, needsRefund: attempt.needsRefund }, 'payment event matches no transition');
  if (attempt.needsRefund)
    alerts.push({ kind: 'needs_refund', message: `Money taken for order ${order.id} that it cannot confirm`, fields });
  audit(tx, GATEWAY, now, {
    siteId,
    action: attempt.needsRefund ? 'payment.needsRefund' : 'payment.unmatched',
    entity: 'PaymentAttempt',
    entityId: attempt.id,
    reason: why,
    detail: { eventId: event.eventId, type: event.type, orderId: order.id },
  });
  return 'unmatched';
}
