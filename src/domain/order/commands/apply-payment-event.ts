import type { EntityManager } from '@mikro-orm/postgresql';
import type { Alert } from '../../../alerts/notifier';
import type { Order, PaymentAttempt } from '../../../entities';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, ok, refuse } from '../../errors';
import { inSite, isUuid, onPlatform } from '../../tx';
import type { OrderFacts } from '../facts';
import { intentOfThisSite, MISPLACED } from '../guards';
import type { PaymentEvent } from '../ports';
import { siteOfIntent } from '../queries';
import { attemptOfIntent, currentAttempt, lockOrder, recordInInbox } from '../repository';
import { decideOrder, moveAttempt, type Move } from '../runner/moves';
import { recordDecline } from '../runner/records';
import { applyDecision, reportMoves } from '../runner/run';

export type PaymentEventOutcome = 'duplicate' | 'confirmed' | 'failed' | 'unmatched' | 'unhandled';

type IntentEvent = Exclude<PaymentEvent, { kind: 'unhandled' }>;

// Sites are never deleted: once seen, a site id stays known for the life of the process (one round trip less per event).
const knownSites = new Set<string>();

async function isKnownSite(em: EntityManager, siteId: string): Promise<boolean> {
  if (knownSites.has(siteId)) return true;
  if (!isUuid(siteId) || !(await em.execute(`select 1 from sites where id = ?`, [siteId])).length) return false;
  knownSites.add(siteId);
  return true;
}

/**
 * The Commerce Engine's side of a verified provider event, in ONE transaction: the inbox row and the move it
 * causes (the table's paymentAuthorized -> confirm, or paymentFailed). An event the table refuses changes no order
 * state and is audited; money taken for an order that cannot be confirmed flags its attempt needsRefund.
 *
 * The site the metadata names holds the intent, unless the metadata lies (or the intent is not ours): then the
 * intent id, unique across sites, finds the site that does hold it, and the event is unmatched there. A site that
 * does not hold the intent records nothing of it; an intent no site holds is audited on the platform.
 */
export async function applyPaymentEvent(em: EntityManager, deps: DomainDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  if (event.kind === 'unhandled') return onPlatformOnly(em, deps, event);
  const claimed = event.intent.siteId && (await isKnownSite(em, event.intent.siteId)) ? event.intent.siteId : null;
  const inClaimed = claimed ? await applyInSite(em, deps, event, claimed) : null;
  if (inClaimed) return inClaimed;
  const owner = await siteOfIntent(em, event.intent.id, claimed);
  const inOwner = owner ? await applyInSite(em, deps, event, owner) : null;
  return inOwner ?? onPlatformOnly(em, deps, event);
}

const gatewayOf = (event: PaymentEvent): Actor => ({ kind: 'gateway', provider: event.provider });

/** An unhandled type, or an intent no site holds: the inbox row (site unknown) and, for an intent, its audit entry. */
async function onPlatformOnly(em: EntityManager, deps: DomainDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  const now = deps.clock.now();
  const result = await onPlatform(em, async (tx) => {
    if (!(await recordInInbox(tx, event, null, now))) return ok<PaymentEventOutcome>('duplicate');
    deps.faults.afterInboxRecorded?.(event.eventId);
    if (event.kind === 'unhandled') return ok<PaymentEventOutcome>('unhandled');
    const why = 'no site holds an attempt for this intent';
    deps.log.warn(
      { metadataSiteId: event.intent.siteId, intentId: event.intent.id, eventId: event.eventId, type: event.type, reason: why },
      'payment event matches no transition',
    );
    audit(tx, gatewayOf(event), now, {
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

/** What one event did in a site's transaction: raised and counted only once it committed. */
interface Effects {
  alerts: Alert[];
  moves: Move[];
}

/** The event applied in one site's transaction; null (nothing written) when the site holds no attempt for the intent. */
async function applyInSite(em: EntityManager, deps: DomainDeps, event: IntentEvent, siteId: string): Promise<PaymentEventOutcome | null> {
  const done: Effects = { alerts: [], moves: [] };
  const result = await inSite(em, siteId, async (tx) => {
    const now = deps.clock.now();
    if (!(await recordInInbox(tx, event, siteId, now))) return ok<PaymentEventOutcome>('duplicate');
    deps.faults.afterInboxRecorded?.(event.eventId);
    const attempt = await attemptOfIntent(tx, event.intent);
    const order = attempt ? await lockOrder(tx, attempt.orderId) : null;
    if (!attempt || !order) return NOT_HERE;
    // Read before the attempt is changed: hydrating the same row again would overwrite the change.
    const current = order.currentAttemptId === attempt.id ? attempt : await currentAttempt(tx, order);
    if (!attempt.intentId) attempt.intentId = event.intent.id;
    const facts: OrderFacts = {
      now,
      order,
      current,
      payment: {
        attempt,
        intent: event.intent,
        misplaced: event.intent.siteId !== siteId,
        ...(event.kind === 'payment_failed' && { reason: event.reason }),
      },
      outcomes: {},
    };
    const step = event.kind === 'payment_succeeded' ? succeeded : failed;
    return ok(step(tx, deps, event, siteId, order, attempt, facts, done));
  });
  if (!result.ok && result.errors[0].code === ErrorCode.NOT_FOUND) return null;
  if (!result.ok) throw new Error(`payment event ${event.eventId} refused: ${result.errors[0].message}`);
  reportMoves(deps, done.moves);
  for (const alert of done.alerts) deps.alerts.raise(alert);
  return result.value;
}

type Step = (
  tx: EntityManager,
  deps: DomainDeps,
  event: IntentEvent,
  siteId: string,
  order: Order,
  attempt: PaymentAttempt,
  facts: OrderFacts,
  done: Effects,
) => PaymentEventOutcome;

/** Money received: the attempt SUCCEEDED whatever the order does; if the table refuses the order's move, it needs a refund. */
const succeeded: Step = (tx, deps, event, siteId, order, attempt, facts, done) => {
  const actor = gatewayOf(event);
  const paid = moveAttempt(attempt, 'succeed', actor);
  if (!paid.ok) return unmatched(tx, deps, done, { event, siteId, order, attempt, why: 'attempt already succeeded' });
  const decision = decideOrder(order, facts, 'paymentAuthorized', actor);
  const detail = { eventId: event.eventId, attemptId: attempt.id };
  const applied = decision.ok ? applyDecision(tx, deps, order, facts, decision, actor, { detail }) : null;
  const refusal = !decision.ok ? decision : applied?.refusal;
  if (refusal && !refusal.ok) {
    attempt.needsRefund = true;
    return unmatched(tx, deps, done, { event, siteId, order, attempt, why: refusal.errors[0].message });
  }
  done.moves.push(...applied!.moves);
  return 'confirmed';
};

/** A decline: recorded and alerted unless its metadata is wrong; the order fails only if it was its current attempt. */
const failed: Step = (tx, deps, event, siteId, order, attempt, facts, done) => {
  // No money moved: a decline whose metadata is wrong changes nothing, it is only audited where the intent is.
  if (!intentOfThisSite.holds(facts)) return unmatched(tx, deps, done, { event, siteId, order, attempt, why: MISPLACED });
  const actor = gatewayOf(event);
  const decision = decideOrder(order, facts, 'paymentFailed', actor);
  const reason = facts.payment!.reason!;
  const failure = { siteId, orderId: order.id, attemptId: attempt.id, intentId: event.intent.id, reason };
  recordDecline(tx, attempt, reason, facts.now, event.eventId);
  done.alerts.push({ kind: 'payment_failed', message: `Payment declined for order ${order.id}`, fields: failure });
  if (!decision.ok) {
    if (moveAttempt(attempt, 'fail', actor).ok) attempt.failureReason = reason;
    return unmatched(tx, deps, done, { event, siteId, order, attempt, why: decision.errors[0].message });
  }
  const applied = applyDecision(tx, deps, order, facts, decision, actor, {
    reason,
    detail: { eventId: event.eventId, attemptId: attempt.id },
  });
  done.moves.push(...applied.moves);
  deps.log.warn(failure, 'payment failed');
  return 'failed';
};

/** An event the table refused: logged, audited where the intent is, and alerted when money is to be refunded. */
function unmatched(
  tx: EntityManager,
  deps: DomainDeps,
  done: Effects,
  m: { event: IntentEvent; siteId: string; order: Order; attempt: PaymentAttempt; why: string },
): PaymentEventOutcome {
  const { event, siteId, order, attempt, why } = m;
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
    done.alerts.push({ kind: 'needs_refund', message: `Money taken for order ${order.id} that it cannot confirm`, fields });
  audit(tx, gatewayOf(event), deps.clock.now(), {
    siteId,
    action: attempt.needsRefund ? 'payment.needsRefund' : 'payment.unmatched',
    entity: 'PaymentAttempt',
    entityId: attempt.id,
    reason: why,
    detail: { eventId: event.eventId, type: event.type, orderId: order.id },
  });
  return 'unmatched';
}
