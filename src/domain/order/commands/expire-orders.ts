import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, OrderState, PaymentAttempt, PaymentAttemptStatus, Site } from '../../../entities';
import type { Actor } from '../../actor';
import type { DomainDeps } from '../../deps';
import { ok } from '../../errors';
import { inSite, readInSite } from '../../tx';
import { lockOrder } from '../cart';
import { applyTransition } from '../machine';
import { cancelIntent } from '../payment-failures';

const SCHEDULER: Actor = { kind: 'scheduler' };
/** CONTRACT: PENDING_PAYMENT for 24 h without a result expires. */
const PENDING_PAYMENT_TTL_MS = 24 * 3600 * 1000;
/** Orders taken per site per run; the next run takes the rest. */
const BATCH = 500;

export interface ExpiryPolicy {
  /** A DRAFT cart whose last change is older than this is abandoned. */
  draftTtlMs: number;
}

export interface ExpirySweep {
  expired: number;
  /** Untouched DRAFT carts expired. */
  abandonedCarts: number;
  /** Left as they are: the gateway refused to cancel their intent (it may have been paid), or they moved meanwhile. */
  kept: number;
  /** Threw: each is logged with its ids; the others were still processed. */
  failed: number;
}

type Outcome = 'expired' | 'kept';

/**
 * The scheduled job's work: PAYMENT_FAILED past its recovery deadline, and PENDING_PAYMENT whose current attempt
 * is 24 h old, become EXPIRED. Runs as the request role under row-level security, one site at a time. Each order
 * is its own transaction with the row locked and its state checked again, so a concurrent webhook, retry or
 * second run cannot expire it twice or expire what was just paid.
 */
export async function expireOrders(em: EntityManager, deps: DomainDeps, policy: ExpiryPolicy): Promise<ExpirySweep> {
  const now = deps.clock.now();
  const sweep: ExpirySweep = { expired: 0, abandonedCarts: 0, kept: 0, failed: 0 };
  const sites = await em.find(Site, {}, { fields: ['id'], orderBy: { id: 'asc' } });
  const attempt = async (siteId: string, orderId: string, work: () => Promise<Outcome | 'abandoned'>) => {
    try {
      const outcome = await work();
      sweep[outcome === 'abandoned' ? 'abandonedCarts' : outcome] += 1;
    } catch (err) {
      sweep.failed += 1;
      deps.log.error({ err, siteId, orderId }, 'order could not be expired');
    }
  };
  const untouchedSince = new Date(now.getTime() - policy.draftTtlMs);
  for (const { id: siteId } of sites) {
    const due = await readInSite(em, siteId, (tx) => dueOrders(tx, now));
    for (const orderId of due ?? []) await attempt(siteId, orderId, () => expireOne(em, deps, siteId, orderId, now));
    const drafts = await readInSite(em, siteId, (tx) => untouchedDrafts(tx, siteId, untouchedSince));
    for (const orderId of drafts ?? []) await attempt(siteId, orderId, () => abandonCart(em, deps, siteId, orderId, untouchedSince, now));
  }
  return sweep;
}

async function untouchedDrafts(tx: EntityManager, siteId: string, untouchedSince: Date): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select id from orders where site_id = ? and state = ? and updated_at <= ? order by updated_at, id limit ?`,
    [siteId, OrderState.DRAFT, untouchedSince, BATCH],
  );
  return rows.map((r) => r.id);
}

/** DRAFT -> EXPIRED for a cart nobody touched since `untouchedSince`, checked again under the row lock. */
async function abandonCart(em: EntityManager, deps: DomainDeps, siteId: string, orderId: string, untouchedSince: Date, now: Date) {
  const result = await inSite(em, siteId, async (tx) => {
    const order = await lockOrder(tx, orderId);
    // An edit or a checkout since the scan wins: that cart is in use.
    if (!order || order.state !== OrderState.DRAFT || order.updatedAt > untouchedSince) return ok<Outcome | 'abandoned'>('kept');
    const moved = applyTransition(tx, order, 'expireCart', SCHEDULER, now, {
      reason: 'cart untouched',
      detail: { lastChangeAt: order.updatedAt.toISOString() },
    });
    return moved.ok ? ok<Outcome | 'abandoned'>('abandoned') : moved;
  });
  return result.ok ? result.value : 'kept';
}

async function dueOrders(tx: EntityManager, now: Date): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select o.id from orders o left join payment_attempts a on a.id = o.current_attempt_id
      where (o.state = ? and o.recovery_deadline <= ?) or (o.state = ? and a.created_at <= ?)
      order by o.created_at, o.id limit ?`,
    [OrderState.PAYMENT_FAILED, now, OrderState.PENDING_PAYMENT, new Date(now.getTime() - PENDING_PAYMENT_TTL_MS), BATCH],
  );
  return rows.map((r) => r.id);
}

const isDue = (order: { state: OrderState; recoveryDeadline: Date | null }, attempt: PaymentAttempt | null, now: Date) =>
  order.state === OrderState.PAYMENT_FAILED
    ? order.recoveryDeadline !== null && order.recoveryDeadline <= now
    : order.state === OrderState.PENDING_PAYMENT &&
      attempt !== null &&
      attempt.createdAt.getTime() <= now.getTime() - PENDING_PAYMENT_TTL_MS;

async function expireOne(em: EntityManager, deps: DomainDeps, siteId: string, orderId: string, now: Date): Promise<Outcome> {
  // The current intent is cancelled first, outside any transaction, so nobody can still pay it. For a pending
  // payment a refusal keeps the order (it may have been paid, and its webhook will confirm it); a failed
  // payment's order cannot be confirmed anyway and expires (money that still lands is flagged needsRefund).
  const current = await readInSite(em, siteId, async (tx) => {
    const order = await tx.findOne(Order, { id: orderId });
    const attempt = order?.currentAttemptId ? await tx.findOne(PaymentAttempt, { id: order.currentAttemptId }) : null;
    return order && attempt && { state: order.state, attempt };
  });
  const live = current && [PaymentAttemptStatus.PENDING, PaymentAttemptStatus.FAILED].includes(current.attempt.status);
  const cancelled = live ? await cancelIntent(em, deps, SCHEDULER, current.attempt, `${current.state} order expired`) : false;
  if (live && !cancelled && current.state === OrderState.PENDING_PAYMENT) return 'kept';

  const result = await inSite(em, siteId, async (tx) => {
    const order = await lockOrder(tx, orderId);
    const attempt = order?.currentAttemptId ? await tx.findOne(PaymentAttempt, { id: order.currentAttemptId }) : null;
    if (!order || !isDue(order, attempt, now)) return ok<Outcome>('kept');
    // A retry may have replaced the attempt whose intent was cancelled above: that order is not due any more.
    if (order.state === OrderState.PENDING_PAYMENT && attempt?.id !== current?.attempt.id) return ok<Outcome>('kept');
    deps.faults.beforeExpire?.(orderId);
    if (cancelled && attempt?.status === PaymentAttemptStatus.PENDING) attempt.status = PaymentAttemptStatus.CANCELED;
    const moved = applyTransition(tx, order, 'expire', SCHEDULER, now, {
      detail: { attemptId: attempt?.id ?? null, intentCancelled: cancelled },
    });
    return moved.ok ? ok<Outcome>('expired') : moved;
  });
  if (result.ok && result.value === 'expired') deps.log.info({ siteId, orderId }, 'order expired');
  return result.ok ? result.value : 'kept';
}
