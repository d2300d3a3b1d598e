import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order, OrderState, PaymentAttempt, PaymentAttemptStatus } from '../../../entities';
import type { Actor } from '../../actor';
import { audit } from '../../audit';
import { decide, NONE, type Decision } from '../../machine';
import { ATTEMPT_TABLE, type AttemptEvent } from '../attempt-process';
import type { OrderFacts } from '../facts';
import { ORDER_TABLE, type OrderEffect, type OrderEvent, type OrderRecord } from '../process';

export type OrderDecision = Decision<OrderState, OrderFacts, OrderRecord, OrderEffect>;

/** A move made, counted once its transaction committed. */
export interface Move {
  event: OrderEvent;
  from: OrderState;
  to: OrderState;
}

export interface AuditExtra {
  reason?: string | null;
  detail?: Record<string, unknown>;
}

/** Pure: what `event` does to the order (null: not created yet) given the facts. */
export const decideOrder = (order: Order | null, facts: OrderFacts, event: OrderEvent, actor: Actor): OrderDecision =>
  decide(ORDER_TABLE, 'Order', order?.state ?? NONE, facts, event, actor.kind);

/**
 * THE place that assigns Order.state (with PaymentAttempt.status below): applies a decision already taken, with
 * its audit entry (which Order.history reads). The event a row chains (authorize -> confirm) is decided by the
 * runner (applyDecision), which writes its records first. Self-loops change no state and write no entry here:
 * their command audits what it changed.
 */
export function applyOrderMove(
  tx: EntityManager,
  order: Order,
  decision: Extract<OrderDecision, { ok: true }>,
  facts: OrderFacts,
  actor: Actor,
  extra: AuditExtra = {},
): Move[] {
  if (decision.selfLoop) return [];
  const from = decision.from === NONE ? null : decision.from;
  order.state = decision.to;
  order.updatedAt = facts.now;
  audit(tx, actor, facts.now, {
    siteId: order.siteId,
    action: `order.${decision.event}`,
    entity: 'Order',
    entityId: order.id,
    fromState: from,
    toState: decision.to,
    reason: extra.reason ?? null,
    detail: extra.detail ?? null,
  });
  return from ? [{ event: decision.event as OrderEvent, from, to: decision.to }] : [];
}

/** The attempt's own machine; a refusal changes nothing and says why. */
export function moveAttempt(attempt: PaymentAttempt, event: AttemptEvent, actor: Actor): { ok: true } | { ok: false; message: string } {
  const d = decide<PaymentAttemptStatus, unknown, string, string>(ATTEMPT_TABLE, 'Attempt', attempt.status, null, event, actor.kind);
  if (!d.ok) return { ok: false, message: d.errors[0].message };
  attempt.status = d.to;
  return { ok: true };
}
