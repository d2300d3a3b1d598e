import type { EntityManager } from '@mikro-orm/postgresql';
import { PaymentAttempt, PaymentFailureKind, type Order } from '../../../entities';
import type { Actor } from '../../actor';
import type { DomainDeps } from '../../deps';
import { reserveOrderStock, restockOrder, settleOrderStock, shortfallsRefusedAtCommit } from '../../stock/ledger';
import type { BeforeOutcomes, OrderFacts } from '../facts';
import type { OrderRecord } from '../process';
import { recordFailure, snapshot } from './effects';
import { moveAttempt } from './moves';

/** CONTRACT: a failed payment may be retried for 24 h. */
const RECOVERY_WINDOW_MS = 24 * 3600 * 1000;

export interface RecordContext {
  tx: EntityManager;
  deps: DomainDeps;
  order: Order;
  facts: OrderFacts;
  actor: Actor;
  /** The attempt the move leaves current (set by openAttempt). */
  current: PaymentAttempt | null;
}

/**
 * A record writes with the move. One that runs SQL is async, and may return outcomes: they join the facts, and the
 * row's guards are checked again before the move (a refusal rolls the whole transaction back, the record included).
 */
type RecordWriter = (ctx: RecordContext) => void | Promise<Partial<BeforeOutcomes> | void>;

/** The rows' "before" records: written in the move's own transaction, just ahead of the move and its audit entry. */
export const RECORDS: { [K in OrderRecord]: RecordWriter } = {
  /**
   * Every tracked line reserved in one statement, or the shortfalls (nothing reserved): the guard stockReserved
   * reads them. Sent with COMMIT, the statement answers at COMMIT: its shortfalls come back through
   * `outcomesRefusedAtCommit`, and the runner checks the row's guards with them then.
   */
  async reserveStock({ tx, order, facts, actor }) {
    const short = await reserveOrderStock(tx, order.siteId, order.id, actor, facts.now);
    return short ? { stock: { short } } : undefined;
  },
  /** What the order holds becomes a sale: the confirmed payment's stock was reserved before its intent existed. */
  async sellStock({ tx, order, facts, actor }) {
    await settleOrderStock(tx, order.siteId, order.id, 'SALE', actor, facts.now);
  },
  /** An expired order's reservation goes back to the shelf. */
  async releaseStock({ tx, order, facts, actor }) {
    await settleOrderStock(tx, order.siteId, order.id, 'RELEASE', actor, facts.now);
  },
  /** A refunded order's units back on hand, only when the admin said so (refundOrder's restock): returned goods may not be sellable. */
  async restockIfAsked({ tx, order, facts, actor }) {
    if (facts.restock) await restockOrder(tx, order.siteId, order.id, actor, facts.now);
  },
  /** A new attempt for the order's total, with its own idempotency key, at the provider that takes new attempts. */
  openAttempt(ctx) {
    const { order, facts, deps } = ctx;
    const attempt = new PaymentAttempt(order.siteId, order.id, deps.payments.current.provider, order.totalMinor, order.currency, facts.now);
    ctx.tx.persist(attempt);
    order.currentAttemptId = attempt.id;
    ctx.current = attempt;
  },
  clearRecoveryDeadline({ order }) {
    order.recoveryDeadline = null;
  },
  /** The declined attempt, the order's reason, and the 24 h recovery window. */
  failCurrentAttempt({ order, facts, actor }) {
    const payment = facts.payment!;
    const reason = payment.reason ?? 'payment failed';
    moveAttempt(payment.attempt, 'fail', actor);
    payment.attempt.failureReason = reason;
    order.failureReason = reason;
    order.recoveryDeadline = new Date(facts.now.getTime() + RECOVERY_WINDOW_MS);
  },
  /** The current attempt is CANCELED once its intent was (a declined attempt stays FAILED). */
  cancelCurrentAttempt({ facts, actor }) {
    if (facts.current && facts.outcomes.cancel?.cancelled) moveAttempt(facts.current, 'cancel', actor);
  },
  /** An intent cancelled at the gateway cannot be paid: the attempt is CANCELED, and the order failed with a 24 h window to retry. */
  cancelledAtGateway({ order, facts, actor }) {
    const { attempt } = facts.payment!;
    moveAttempt(attempt, 'cancel', actor);
    attempt.failureReason = CANCELED_AT_GATEWAY;
    order.failureReason = CANCELED_AT_GATEWAY;
    order.recoveryDeadline = new Date(facts.now.getTime() + RECOVERY_WINDOW_MS);
  },
  /** The charge's refunded total (never lowered: events may arrive out of order); refunded whole, nothing is left to refund. */
  recordGatewayRefund({ facts }) {
    const { attempt, refund } = facts.payment!;
    attempt.refundedMinor = Math.max(attempt.refundedMinor, refund!.refundedMinor);
    if (attempt.refundedMinor >= refund!.capturedMinor) {
      attempt.refunded = true;
      attempt.needsRefund = false;
    }
  },
  /** The dispute as its latest event says; a closed dispute is not reopened by a late "created". */
  recordDispute({ facts }) {
    const { attempt, dispute } = facts.payment!;
    if (attempt.disputeId === dispute!.id && attempt.disputeClosed && !dispute!.closed) return;
    attempt.disputeId = dispute!.id;
    attempt.disputeStatus = dispute!.status;
    attempt.disputeClosed = dispute!.closed;
    attempt.disputeReason = dispute!.reason;
    attempt.disputeAmountMinor = dispute!.amountMinor;
  },
};

/** What a record sent with COMMIT refused the transaction with, as the outcomes its row's guards read; null: not one. */
export function outcomesRefusedAtCommit(err: unknown): Partial<BeforeOutcomes> | null {
  const short = shortfallsRefusedAtCommit(err);
  return short ? { stock: { short } } : null;
}

/** The order's failure reason when the gateway cancelled its intent. */
export const CANCELED_AT_GATEWAY = 'canceled at gateway';

/** A declined payment's failure record: the webhook writes it whether or not the order moves. */
export function recordDecline(tx: EntityManager, attempt: PaymentAttempt, reason: string, now: Date, eventId: string): void {
  recordFailure(tx, snapshot(attempt), PaymentFailureKind.PAYMENT_FAILED, reason, now, eventId);
}
