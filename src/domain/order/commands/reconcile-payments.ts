import type { EntityManager } from '@mikro-orm/postgresql';
import { Site } from '../../../entities';
import type { DomainDeps } from '../../deps';
import { ok } from '../../errors';
import { inSite, readInSite } from '../../tx';
import type { IntentStatus, PaymentEvent } from '../ports';
import { markReconciled, staleAttempts, type StaleAttempt } from '../repository';
import { applyPaymentEvent, type PaymentEventOutcome } from './apply-payment-event';

/** Attempts asked about per site per run; the next run takes the rest, longest unchecked first. */
const BATCH = 200;

export interface ReconciliationPolicy {
  /** A pending attempt whose intent is older than this is asked about (RECONCILE_AFTER_S), and again once per this. */
  afterMs: number;
}

export interface ReconciliationSweep {
  /** Intents asked about. */
  checked: number;
  /** Settled at the gateway: applied as the webhook would have been. */
  applied: number;
  /** Still unsettled at the gateway: nothing to apply. */
  pending: number;
  /** The gateway could not be asked (down, refused) or applying threw: each is logged; nothing of it changed. */
  failed: number;
  /** The first failure's reason, for the alert. */
  firstFailure: string | null;
}

/**
 * Lost webhooks, found: an attempt still PENDING long after its intent was created is looked up at the gateway
 * over its authenticated API, and what the gateway holds is applied through the same command as a webhook
 * (applyPaymentEvent), as a fact from the gateway audited `via: reconciliation`. Its inbox id names the intent and
 * the status, so a run repeated applies nothing twice, and a late webhook of the same payment finds the attempt
 * settled and changes nothing. Runs as the request role, one site at a time.
 */
export async function reconcilePayments(em: EntityManager, deps: DomainDeps, policy: ReconciliationPolicy): Promise<ReconciliationSweep> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - policy.afterMs);
  const sweep: ReconciliationSweep = { checked: 0, applied: 0, pending: 0, failed: 0, firstFailure: null };
  const sites = await em.find(Site, {}, { fields: ['id'], orderBy: { id: 'asc' } });
  for (const { id: siteId } of sites) {
    const stale = (await readInSite(em, siteId, (tx) => staleAttempts(tx, siteId, cutoff, cutoff, BATCH))) ?? [];
    for (const attempt of stale) {
      sweep.checked += 1;
      try {
        const outcome = await reconcileOne(em, deps, siteId, attempt);
        sweep[outcome === 'pending' ? 'pending' : 'applied'] += 1;
      } catch (err) {
        sweep.failed += 1;
        sweep.firstFailure ??= (err as Error).message;
        deps.log.error(
          { siteId, attemptId: attempt.id, intentId: attempt.intentId, reason: (err as Error).message },
          'payment could not be reconciled',
        );
      }
    }
  }
  return sweep;
}

async function reconcileOne(
  em: EntityManager,
  deps: DomainDeps,
  siteId: string,
  attempt: StaleAttempt,
): Promise<PaymentEventOutcome | 'pending'> {
  const gateway = deps.payments.gateway(attempt.provider);
  if (!gateway) throw new Error(`payment provider "${attempt.provider}" is not registered`);
  const found = await gateway.retrieveIntent(attempt.intentId);
  const log = { siteId, attemptId: attempt.id, intentId: attempt.intentId, status: found.status };
  if (found.status === 'pending') {
    await inSite(em, siteId, async (tx) => {
      await markReconciled(tx, siteId, attempt.id, deps.clock.now());
      return ok(null);
    });
    deps.log.debug(log, 'reconciliation: payment still pending at the gateway');
    return 'pending';
  }
  const outcome = await applyPaymentEvent(em, deps, eventOf(attempt.provider, found));
  deps.log.info({ ...log, outcome }, 'reconciliation: payment applied from the gateway');
  return outcome;
}

/** The gateway's answer as the event it would have sent. */
function eventOf(provider: string, found: Exclude<IntentStatus, { status: 'pending' }>): PaymentEvent {
  const base = {
    provider,
    eventId: `reconciliation:${found.intent.id}:${found.status}`,
    type: `reconciliation.payment_intent.${found.status}`,
    via: 'reconciliation' as const,
    intent: found.intent,
  };
  switch (found.status) {
    case 'succeeded':
      return { ...base, kind: 'payment_succeeded' };
    case 'failed':
      return { ...base, kind: 'payment_failed', reason: found.reason };
    case 'canceled':
      return { ...base, kind: 'payment_canceled' };
  }
}
