import PgBoss from 'pg-boss';
import type { Orm } from '../db/orm';
import type { DomainDeps } from '../domain/deps';
import { expireOrders, type ExpiryPolicy } from '../domain/order/commands/expire-orders';

export const EXPIRE_ORDERS_QUEUE = 'expire-orders';
/** pg-boss keeps its tables in its own schema, created by pg-boss itself with the owner's connection. */
export const JOB_SCHEMA = 'pgboss';

export interface Jobs {
  /** Queues an expiry run now; null when one is already queued (the queue holds at most one waiting run). */
  triggerExpiry(): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * The order expiry job on pg-boss. Safe with several server processes on one database: the cron tick is taken by
 * one process per interval and queued once per minute (pg-boss's singleton), and the queue's `stately` policy
 * lets at most one run be active at a time across all processes. The work itself runs as the request role, site by
 * site, and locks every order it expires, so even an overlapping run could not expire an order twice.
 */
export async function startJobs(opts: { ownerUrl: string; orm: Orm; deps: DomainDeps; cron: string; policy: ExpiryPolicy }): Promise<Jobs> {
  const { deps } = opts;
  const boss = new PgBoss({ connectionString: opts.ownerUrl, schema: JOB_SCHEMA, max: 4, application_name: 'aegis-jobs' });
  let stopping = false;
  boss.on('error', (err) => {
    // On shutdown the embedded database may stop first (its own signal hook): not a failure worth an alert.
    if (stopping) return deps.log.info({ reason: err.message }, 'job queue stopped with the database');
    deps.log.error({ err }, 'job queue error');
    deps.alerts.raise({ kind: 'job_failed', message: 'The job queue reported an error', fields: { reason: err.message } });
  });
  await boss.start();
  try {
    await retryOnDeadlock(() =>
      boss.createQueue(EXPIRE_ORDERS_QUEUE, { name: EXPIRE_ORDERS_QUEUE, policy: 'stately', retryLimit: 0, expireInSeconds: 15 * 60 }),
    );
    if (opts.cron !== 'off') await retryOnDeadlock(() => boss.schedule(EXPIRE_ORDERS_QUEUE, opts.cron, {}, { tz: 'UTC' }));
    const workerId = await boss.work(EXPIRE_ORDERS_QUEUE, async ([job]) => runExpiry(opts.orm, deps, opts.policy, job.id));
    return {
      async triggerExpiry() {
        const id = await boss.send(EXPIRE_ORDERS_QUEUE, {});
        boss.notifyWorker(workerId);
        return id;
      },
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

/** One run; a failure (of the run, or of some orders in it) is alerted and fails the job, so pg-boss records it. */
async function runExpiry(orm: Orm, deps: DomainDeps, policy: ExpiryPolicy, jobId: string) {
  let failure: string;
  try {
    const sweep = await expireOrders(orm.em.fork(), deps, policy);
    deps.log.info({ jobId, ...sweep }, 'order expiry run done');
    if (!sweep.failed) return sweep;
    failure = `${sweep.failed} order(s) could not be expired (${sweep.expired} expired)`;
  } catch (err) {
    failure = (err as Error).message;
  }
  deps.log.error({ job: EXPIRE_ORDERS_QUEUE, jobId, reason: failure }, 'scheduled job failed');
  deps.alerts.raise({
    kind: 'job_failed',
    message: `Scheduled job ${EXPIRE_ORDERS_QUEUE} failed`,
    fields: { job: EXPIRE_ORDERS_QUEUE, jobId, reason: failure },
  });
  throw new Error(failure);
}
