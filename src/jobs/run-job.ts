import type { DomainDeps } from '../domain/deps';

/**
 * One run of a scheduled job. A run that throws, or whose sweep says some of its work failed (`failureOf`), is
 * logged, alerted (`kind`), and thrown, so that pg-boss records the job as failed; the next tick is the retry.
 */
export async function runJob<S>(
  deps: DomainDeps,
  run: { queue: string; jobId: string; kind: 'job_failed' | 'reconciliation_failed'; done: string },
  work: () => Promise<S>,
  failureOf: (sweep: S) => string | null,
): Promise<S> {
  let failure: string;
  try {
    const sweep = await work();
    deps.log.info({ jobId: run.jobId, ...(sweep as Record<string, unknown>) }, run.done);
    const failed = failureOf(sweep);
    if (!failed) return sweep;
    failure = failed;
  } catch (err) {
    failure = (err as Error).message;
  }
  const fields = { job: run.queue, jobId: run.jobId, reason: failure };
  deps.log.error(fields, 'scheduled job failed');
  deps.alerts.raise({ kind: run.kind, message: `Scheduled job ${run.queue} failed`, fields });
  throw new Error(failure);
}
