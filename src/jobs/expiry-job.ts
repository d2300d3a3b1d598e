import type { Orm } from '../db/orm';
import type { DomainDeps } from '../domain/deps';
import { expireOrders, type ExpiryPolicy } from '../domain/order/commands/expire-orders';
import { runJob } from './run-job';

export const EXPIRE_ORDERS_QUEUE = 'expire-orders';

/** One expiry run; some orders failing (the others are still expired) fails the run. */
export const runExpiry = (orm: Orm, deps: DomainDeps, policy: ExpiryPolicy, jobId: string) =>
  runJob(
    deps,
    { queue: EXPIRE_ORDERS_QUEUE, jobId, kind: 'job_failed', done: 'order expiry run done' },
    () => expireOrders(orm.em.fork(), deps, policy),
    (sweep) => (sweep.failed ? `${sweep.failed} order(s) could not be expired (${sweep.expired} expired)` : null),
  );
