import type { Orm } from '../db/orm';
import type { DomainDeps } from '../domain/deps';
import { reconcilePayments, type ReconciliationPolicy } from '../domain/order/commands/reconcile-payments';
import { runJob } from './run-job';

export const RECONCILE_PAYMENTS_QUEUE = 'reconcile-payments';

/**
 * One reconciliation run. The gateway down (or any attempt not reconciled) fails the run and is alerted as
 * `reconciliation_failed`: nothing of those attempts changed, and the next run asks again.
 */
export const runReconciliation = (orm: Orm, deps: DomainDeps, policy: ReconciliationPolicy, jobId: string) =>
  runJob(
    deps,
    { queue: RECONCILE_PAYMENTS_QUEUE, jobId, kind: 'reconciliation_failed', done: 'payment reconciliation run done' },
    () => reconcilePayments(orm.em.fork(), deps, policy),
    (sweep) => (sweep.failed ? `${sweep.failed} of ${sweep.checked} payment(s) could not be reconciled: ${sweep.firstFailure}` : null),
  );
