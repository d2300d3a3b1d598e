import type { EntityManager } from '@mikro-orm/postgresql';
import type { Alert } from '../../../alerts/notifier';
import { PaymentAttemptStatus, type Order, type PaymentAttempt } from '../../../entities';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import type { DomainDeps } from '../../deps';
import type { OrderFacts } from '../facts';
import { amountMatches, intentOfThisSite, MISPLACED } from '../guards';
import type { PaymentEvent } from '../ports';
import { decideOrder, moveAttempt, type Move } from '../runner/moves';
import { CANCELED_AT_GATEWAY, recordDecline } from '../runner/records';
import { applyDecision } from '../runner/run';

/**
 * What each kind of verified payment event does in the site holding its attempt, with the order locked
 * (src/domain/order/commands/apply-payment-event.ts runs them). Each decides through the order table and says
 * what it did; a refusal is audited where the intent is, never thrown.
 */

/** `recorded`: the event was taken and recorded without moving the order, or with a move of its own (a refund, a dispute). */
export type PaymentEventOutcome = 'duplicate' | 'confirmed' | 'failed' | 'recorded' | 'unmatched' | 'unhandled';

export type IntentEvent = Exclude<PaymentEvent, { kind: 'unhandled' }>;

export const gatewayOf = (event: PaymentEvent): Actor => ({
  kind: 'gateway',
  provider: event.provider,
  ...(event.via && { via: event.via }),
});

/** What one event did in a site's transaction: raised and counted only once it committed. */
export interface Effects {
  alerts: Alert[];
  moves: Move[];
}

export type Step = (tx: EntityManager, deps: DomainDeps, ctx: EventContext) => Promise<PaymentEventOutcome>;

/** One event in the site that holds its attempt, with the order locked. */
export interface EventContext {
  event: IntentEvent;
  siteId: string;
  order: Order;
  attempt: PaymentAttempt;
  facts: OrderFacts;
  done: Effects;
}

/** Money received: the attempt SUCCEEDED whatever the order does; if the table refuses the order's move, it needs a refund. */
const succeeded: Step = async (tx, deps, ctx) => {
  const { event, order, attempt, facts, done } = ctx;
  const actor = gatewayOf(event);
  // An intent that says it succeeded but reports nothing received took no money: nothing to refund, nothing moves.
  if (!event.intent.amountReceivedMinor) return unmatched(tx, deps, ctx, amountMatches.refusal(facts));
  const paid = moveAttempt(attempt, 'succeed', actor);
  if (!paid.ok) return unmatched(tx, deps, ctx, 'attempt already succeeded');
  const decision = decideOrder(order, facts, 'paymentAuthorized', actor);
  const detail = detailOf(event, attempt);
  const applied = decision.ok ? await applyDecision(tx, deps, order, facts, decision, actor, { detail }) : null;
  const refusal = !decision.ok ? decision : applied?.refusal;
  if (refusal && !refusal.ok) {
    attempt.needsRefund = true;
    return unmatched(tx, deps, ctx, refusal.errors[0].message);
  }
  done.moves.push(...applied!.moves);
  return 'confirmed';
};

/** A decline: recorded and alerted unless its metadata is wrong; the order fails only if it was its current attempt. */
const failed: Step = async (tx, deps, ctx) => {
  const { event, siteId, order, attempt, facts, done } = ctx;
  // No money moved: a decline whose metadata is wrong changes nothing, it is only audited where the intent is.
  if (!intentOfThisSite.holds(facts)) return unmatched(tx, deps, ctx, MISPLACED);
  const actor = gatewayOf(event);
  const decision = decideOrder(order, facts, 'paymentFailed', actor);
  const reason = facts.payment!.reason!;
  const failure = { siteId, orderId: order.id, attemptId: attempt.id, intentId: event.intent.id, reason };
  recordDecline(tx, attempt, reason, facts.now, event.eventId);
  done.alerts.push({ kind: 'payment_failed', message: `Payment declined for order ${order.id}`, fields: failure });
  if (!decision.ok) {
    if (moveAttempt(attempt, 'fail', actor).ok) attempt.failureReason = reason;
    return unmatched(tx, deps, ctx, decision.errors[0].message);
  }
  const applied = await applyDecision(tx, deps, order, facts, decision, actor, { reason, detail: detailOf(event, attempt) });
  done.moves.push(...applied.moves);
  deps.log.warn(failure, 'payment failed');
  return 'failed';
};

/**
 * The intent cancelled at the gateway. The order waiting on it fails (the shopper may retry for 24 h), unless
 * Aegis cancelled it itself (expiry, a retry): then the event only confirms what Aegis did.
 */
const canceled: Step = async (tx, deps, ctx) => {
  const { event, siteId, order, attempt, facts, done } = ctx;
  if (!intentOfThisSite.holds(facts)) return unmatched(tx, deps, ctx, MISPLACED);
  const actor = gatewayOf(event);
  const decision = decideOrder(order, facts, 'paymentCanceled', actor);
  if (!decision.ok) {
    // No order waits on it: the attempt is recorded as the gateway holds it.
    if (attempt.status === PaymentAttemptStatus.PENDING) moveAttempt(attempt, 'cancel', actor);
    return recorded(tx, deps, ctx, 'payment.canceled', decision.errors[0].message);
  }
  const applied = await applyDecision(tx, deps, order, facts, decision, actor, {
    reason: CANCELED_AT_GATEWAY,
    detail: detailOf(event, attempt),
  });
  done.moves.push(...applied.moves);
  const fields = { siteId, orderId: order.id, attemptId: attempt.id, intentId: event.intent.id, reason: CANCELED_AT_GATEWAY };
  deps.log.warn(fields, 'payment failed');
  done.alerts.push({ kind: 'payment_failed', message: `Payment of order ${order.id} canceled at the gateway`, fields });
  return 'failed';
};

/** A refund seen at the gateway (made there, or Aegis's own coming back): recorded; a full one refunds a CONFIRMED order. */
const refunded: Step = async (tx, deps, ctx) => {
  const { event, order, attempt, facts, done } = ctx;
  const actor = gatewayOf(event);
  const decision = decideOrder(order, facts, 'refundedAtGateway', actor);
  if (!decision.ok) return unmatched(tx, deps, ctx, decision.errors[0].message);
  const refund = facts.payment!.refund!;
  const applied = await applyDecision(tx, deps, order, facts, decision, actor, { detail: { ...detailOf(event, attempt), ...refund } });
  done.moves.push(...applied.moves);
  const whole = refund.refundedMinor >= refund.capturedMinor;
  return recorded(tx, deps, ctx, 'payment.refundedAtGateway', whole ? 'refunded in full' : 'partial refund', refund);
};

/** A dispute opened or closed: recorded on the attempt, visible on the order, and alerted. */
const disputed: Step = async (tx, deps, ctx) => {
  const { event, siteId, order, attempt, facts, done } = ctx;
  const actor = gatewayOf(event);
  const decision = decideOrder(order, facts, 'disputeChanged', actor);
  if (!decision.ok) return unmatched(tx, deps, ctx, decision.errors[0].message);
  await applyDecision(tx, deps, order, facts, decision, actor);
  const dispute = facts.payment!.dispute!;
  const opened = event.kind === 'dispute_opened';
  done.alerts.push({
    kind: 'dispute',
    message: opened
      ? `Payment of order ${order.id} disputed (${dispute.reason ?? 'no reason given'})`
      : `Dispute of order ${order.id} closed: ${dispute.status}`,
    fields: { siteId, orderId: order.id, attemptId: attempt.id, intentId: event.intent.id, disputeId: dispute.id, status: dispute.status },
  });
  return recorded(tx, deps, ctx, opened ? 'payment.disputeOpened' : 'payment.disputeClosed', dispute.reason, dispute);
};

export const STEPS: Record<IntentEvent['kind'], Step> = {
  payment_succeeded: succeeded,
  payment_failed: failed,
  payment_canceled: canceled,
  charge_refunded: refunded,
  dispute_opened: disputed,
  dispute_closed: disputed,
};

const detailOf = (event: IntentEvent, attempt: PaymentAttempt) => ({
  eventId: event.eventId,
  attemptId: attempt.id,
  ...(event.via && { via: event.via }),
});

/** An event the table took without moving the order (or whose move is audited already): its attempt's audit entry. */
function recorded(
  tx: EntityManager,
  deps: DomainDeps,
  ctx: EventContext,
  action: string,
  reason: string | null,
  facts: object = {},
): PaymentEventOutcome {
  const { event, siteId, order, attempt } = ctx;
  deps.log.info({ siteId, orderId: order.id, attemptId: attempt.id, eventId: event.eventId, type: event.type, reason, ...facts }, action);
  audit(tx, gatewayOf(event), deps.clock.now(), {
    siteId,
    action,
    entity: 'PaymentAttempt',
    entityId: attempt.id,
    reason,
    detail: { ...detailOf(event, attempt), type: event.type, orderId: order.id, ...facts },
  });
  return 'recorded';
}

/** An event the table refused: logged, audited where the intent is, and alerted when money is to be refunded. */
function unmatched(tx: EntityManager, deps: DomainDeps, ctx: EventContext, why: string): PaymentEventOutcome {
  const { event, siteId, order, attempt, done } = ctx;
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
  else if (event.kind === 'payment_succeeded' && !amountMatches.holds(ctx.facts))
    done.alerts.push({ kind: 'amount_mismatch', message: `Payment event for order ${order.id} does not match its amount`, fields });
  audit(tx, gatewayOf(event), deps.clock.now(), {
    siteId,
    action: attempt.needsRefund ? 'payment.needsRefund' : 'payment.unmatched',
    entity: 'PaymentAttempt',
    entityId: attempt.id,
    reason: why,
    detail: { ...detailOf(event, attempt), type: event.type, orderId: order.id },
  });
  return 'unmatched';
}
