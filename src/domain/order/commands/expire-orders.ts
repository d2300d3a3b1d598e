import type { EntityManager } from '@mikro-orm/postgresql';
import { Site } from '../../../entities';
import type { Actor } from '../../actor';
import type { DomainDeps } from '../../deps';
import { ok } from '../../errors';
import { readInSite } from '../../tx';
import { dueOrders, isDue, orderById, untouchedDrafts } from '../repository';
import { runOrderEvent } from '../runner/run';

const SCHEDULER: Actor = { kind: 'scheduler' };
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

/**
 * The scheduled job's work: orders due by the expiry rule (src/domain/order/repository.ts) become EXPIRED, and
 * untouched DRAFT carts too. Runs as the request role under row-level security, one site at a time. Each order is
 * its own run of the order runner, with the row locked and the rule checked again, so a concurrent webhook, retry
 * or second run cannot expire it twice or expire what was just paid.
 */
export async function expireOrders(em: EntityManager, deps: DomainDeps, policy: ExpiryPolicy): Promise<ExpirySweep> {
  const now = deps.clock.now();
  const sweep: ExpirySweep = { expired: 0, abandonedCarts: 0, kept: 0, failed: 0 };
  const sites = await em.find(Site, {}, { fields: ['id'], orderBy: { id: 'asc' } });
  const each = async (siteId: string, orderId: string, moved: 'expired' | 'abandonedCarts', work: () => Promise<boolean>) => {
    try {
      sweep[(await work()) ? moved : 'kept'] += 1;
    } catch (err) {
      sweep.failed += 1;
      deps.log.error({ err, siteId, orderId }, 'order could not be expired');
    }
  };
  const untouchedSince = new Date(now.getTime() - policy.draftTtlMs);
  for (const { id: siteId } of sites) {
    const due = await readInSite(em, siteId, (tx) => dueOrders(tx, siteId, now, BATCH));
    for (const orderId of due ?? []) await each(siteId, orderId, 'expired', () => expireOne(em, deps, siteId, orderId, now));
    const drafts = await readInSite(em, siteId, (tx) => untouchedDrafts(tx, siteId, untouchedSince, BATCH));
    for (const orderId of drafts ?? [])
      await each(siteId, orderId, 'abandonedCarts', () => abandonCart(em, deps, siteId, orderId, untouchedSince));
  }
  return sweep;
}

/** PENDING_PAYMENT or PAYMENT_FAILED -> EXPIRED, the current intent cancelled first (the table's `expire` rows). */
async function expireOne(em: EntityManager, deps: DomainDeps, siteId: string, orderId: string, now: Date): Promise<boolean> {
  const run = await runOrderEvent(em, deps, {
    siteId,
    event: 'expire',
    actor: SCHEDULER,
    find: orderById(siteId, orderId),
    facts: async (tx) => ({ due: await isDue(tx, siteId, orderId, now) }),
    change: async (_tx, order) => {
      deps.faults.beforeExpire?.(orderId);
      return ok(order!);
    },
    audit: (facts) => ({ detail: { attemptId: facts.current?.id ?? null, intentCancelled: facts.outcomes.cancel?.cancelled ?? false } }),
  });
  if (run.ok) deps.log.info({ siteId, orderId }, 'order expired');
  return run.ok;
}

/** DRAFT -> EXPIRED for a cart nobody touched since `untouchedSince`, checked again under the row lock. */
async function abandonCart(em: EntityManager, deps: DomainDeps, siteId: string, orderId: string, untouchedSince: Date): Promise<boolean> {
  const run = await runOrderEvent(em, deps, {
    siteId,
    event: 'expireCart',
    actor: SCHEDULER,
    find: orderById(siteId, orderId),
    facts: async () => ({ untouchedSince }),
    audit: (_facts, order) => ({ reason: 'cart untouched', detail: { lastChangeAt: order.updatedAt.toISOString() } }),
  });
  return run.ok;
}
