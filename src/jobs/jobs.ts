import PgBoss from 'pg-boss';
import type { Orm } from '../db/orm';
import type { DomainDeps } from '../domain/deps';
import type { ExpiryPolicy } from '../domain/order/commands/expire-orders';
import type { ReconciliationPolicy } from '../domain/order/commands/reconcile-payments';
import { EXPIRE_ORDERS_QUEUE, runExpiry } from './expiry-job';
import { RECONCILE_PAYMENTS_QUEUE, runReconciliation } from './reconcile-job';

/** pg-boss keeps its tables in its own schema, created by pg-boss itself with the owner's connection. */
export const JOB_SCHEMA = 'pgboss';

export interface Jobs {
  /** Queues an expiry run now; null when one is already queued (the queue holds at most one waiting run). */
  triggerExpiry(): Promise<string | null>;
  /** Queues a reconciliation run now; null when one is already queued. */
  triggerReconciliation(): Promise<string | null>;
  stop(): Promise<void>;
}

export interface JobOptions {
  ownerUrl: string;
  orm: Orm;
  deps: DomainDeps;
  /** When each job runs (cron, UTC); 'off' schedules nothing (a run can still be triggered). */
  cron: { expiry: string; reconciliation: string };
  policy: ExpiryPolicy;
  reconciliation: ReconciliationPolicy;
}

/**
 * The scheduled jobs on pg-boss. Safe with several server processes on one database: the cron tick is taken by
 * one process per interval and queued once per minute (pg-boss's singleton), and each queue's `stately` policy
 * lets at most one run be active at a time across all processes. The work itself runs as the request role, site by
 * site, and locks every order it changes, so even an overlapping run could not apply anything twice.
 */
export async function startJobs(opts: JobOptions): Promise<Jobs> {
  const { deps, orm } = opts;
  const boss = new PgBoss({ connectionString: opts.ownerUrl, schema: JOB_SCHEMA, max: 4, application_name: 'aegis-jobs' });
  let stopping = false;
  boss.on('error', (err) => {
    // On shutdown the embedded database may stop first (its own signal hook): not a failure worth an alert.
    if (stopping) return deps.log.info({ reason: err.message }, 'job queue stopped with the database');
    // The reason and code only: pg-boss's error objects carry the pg client, connection parameters included.
    const fields = { reason: err.message, code: (err as { code?: string }).code ?? null };
    deps.log.error(fields, 'job queue error');
    deps.alerts.raise({ kind: 'job_failed', message: 'The job queue reported an error', fields });
  });
  await boss.start();
  try {
    const expiry = await register(boss, EXPIRE_ORDERS_QUEUE, opts.cron.expiry, (id) => runExpiry(orm, deps, opts.policy, id));
    const reconciliation = await register(boss, RECONCILE_PAYMENTS_QUEUE, opts.cron.reconciliation, (id) =>
      runReconciliation(orm, deps, opts.reconciliation, id),
    );
    return {
      triggerExpiry: expiry,
      triggerReconciliation: reconciliation,
      stop: () => {
        stopping = true;
        return boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      },
    };
  } catch (err) {
    await boss.stop({ graceful: false });
    throw err;
  }
}

/** One queue: at most one active run (stately), never retried by pg-boss (the next tick is the retry); returns its trigger. */
async function register(
  boss: PgBoss,
  queue: string,
  cron: string,
  run: (jobId: string) => Promise<unknown>,
): Promise<() => Promise<string | null>> {
  await retryOnDeadlock(() => boss.createQueue(queue, { name: queue, policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 }));
  if (cron !== 'off') await retryOnDeadlock(() => boss.schedule(queue, cron, {}, { tz: 'UTC' }));
  const workerId = await boss.work(queue, async ([job]) => run(job.id));
  return async () => {
    const id = await boss.send(queue, {});
    boss.notifyWorker(workerId);
    return id;
  };
}

/** Server processes starting together on a fresh database can deadlock in pg-boss's queue set-up: try again. */
async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 50));
    }
  }
}
