import type { EntityManager } from '@mikro-orm/postgresql';
import type { PaymentAttempt } from '../../../entities';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import { ErrorCode, ok, refuse } from '../../errors';
import { inSite, onPlatform } from '../../tx';
import { isKnownSite } from '../../site/known-sites';
import type { OrderFacts } from '../facts';
import type { PaymentEvent } from '../ports';
import { siteOfIntent } from '../queries';
import { selectLookup } from '../../sql';
import { attemptByIntent, capturedAttempts, currentAttempt, inboxEntry, lockOrder, orderOfIntent, unrecordedAttempt } from '../repository';
import { CANCELED_AT_GATEWAY } from '../runner/records';
import { reportMoves } from '../runner/run';
import { gatewayOf, STEPS, type Effects, type IntentEvent, type PaymentEventOutcome } from './payment-event-steps';

export type { PaymentEventOutcome } from './payment-event-steps';

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

/** An unhandled type, or an intent no site holds: the inbox row (site unknown) and, for an intent, its audit entry. */
async function onPlatformOnly(em: EntityManager, deps: DomainDeps, event: PaymentEvent): Promise<PaymentEventOutcome> {
  const now = deps.clock.now();
  const result = await onPlatform(em, async (tx) => {
    if (!(await selectLookup(tx, inboxEntry(event, null, now)))) return ok<PaymentEventOutcome>('duplicate');
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

function paymentFacts(event: IntentEvent, attempt: PaymentAttempt, siteId: string): OrderFacts['payment'] {
  return {
    attempt,
    intent: event.intent,
    misplaced: event.intent.siteId !== siteId,
    ...(event.kind === 'payment_failed' && { reason: event.reason }),
    ...(event.kind === 'payment_canceled' && { reason: CANCELED_AT_GATEWAY }),
    ...(event.kind === 'charge_refunded' && { refund: event.refund }),
    ...((event.kind === 'dispute_opened' || event.kind === 'dispute_closed') && { dispute: event.dispute }),
  };
}

/** Refused inside the transaction, so that its inbox row rolls back too: the site holds no attempt for the intent. */
const NOT_HERE = refuse(ErrorCode.NOT_FOUND, 'no attempt for this intent in this site');

/** The event applied in one site's transaction; null (nothing written) when the site holds no attempt for the intent. */
async function applyInSite(em: EntityManager, deps: DomainDeps, event: IntentEvent, siteId: string): Promise<PaymentEventOutcome | null> {
  const done: Effects = { alerts: [], moves: [] };
  const now = deps.clock.now();
  // The inbox row, the attempt of the recorded intent and its order (locked), in that order, in BEGIN's message.
  const lookups = {
    recorded: inboxEntry(event, siteId, now),
    byIntent: attemptByIntent(siteId, event.intent.id),
    orderByIntent: orderOfIntent(siteId, event.intent.id),
  };
  const result = await inSite(
    em,
    siteId,
    async (tx, { recorded, byIntent, orderByIntent }) => {
      if (!recorded) return ok<PaymentEventOutcome>('duplicate');
      deps.faults.afterInboxRecorded?.(event.eventId);
      // An intent never recorded (its checkout's record failed) is found by the ids it names, then its order locked.
      const attempt = byIntent ?? (await unrecordedAttempt(tx, siteId, event.intent));
      const order = byIntent ? orderByIntent : attempt ? await lockOrder(tx, siteId, attempt.orderId) : null;
      if (!attempt || !order) return NOT_HERE;
      // Read before the attempt is changed: hydrating the same row again would overwrite the change.
      const current = order.currentAttemptId === attempt.id ? attempt : await currentAttempt(tx, order);
      const captured = event.kind === 'charge_refunded' ? await capturedAttempts(tx, order) : undefined;
      if (!attempt.intentId) attempt.intentId = event.intent.id;
      const facts: OrderFacts = { now, order, current, captured, payment: paymentFacts(event, attempt, siteId), outcomes: {} };
      return ok(await STEPS[event.kind](tx, deps, { event, siteId, order, attempt, facts, done }));
    },
    lookups,
  );
  if (!result.ok && result.errors[0].code === ErrorCode.NOT_FOUND) return null;
  if (!result.ok) throw new Error(`payment event ${event.eventId} refused: ${result.errors[0].message}`);
  reportMoves(deps, done.moves);
  for (const alert of done.alerts) deps.alerts.raise(alert);
  return result.value;
}
