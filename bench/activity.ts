import { Client } from 'pg';

/** How many of the request role's backends were, on average over the samples, in each state. */
export interface BackendActivity {
  samples: number;
  everyMs: number;
  /** Running a statement and not waiting for anything named: on a CPU, or ready to be. */
  running: number;
  /** Waiting for a lock (a row's, a transaction's): the queue behind another order's stock move or order row. */
  waitingForLock: number;
  /** Running but waiting on something else (I/O, WAL, a latch). */
  waitingOther: number;
  /** Idle inside a transaction: holding its locks while the server works out what to send next. */
  idleInTransaction: number;
}

/**
 * Samples pg_stat_activity every `everyMs` from its own connection (one cheap query per sample, about 0.2 % of a
 * core at 50 ms) until stop(), which closes it: where the backends' time goes that pg_stat_statements' wall times
 * cannot split.
 */
export async function activitySampler(ownerUrl: string, everyMs = 50): Promise<{ stop(): Promise<BackendActivity> }> {
  const c = new Client({ connectionString: ownerUrl, statement_timeout: 10_000 });
  await c.connect();
  const sums = { running: 0, waitingForLock: 0, waitingOther: 0, idleInTransaction: 0 };
  let samples = 0;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const { rows } = await c.query<{ running: number; lock: number; other: number; idle_tx: number }>(
        `select count(*) filter (where state = 'active' and wait_event_type is null)::int as running,
                count(*) filter (where state = 'active' and wait_event_type = 'Lock')::int as lock,
                count(*) filter (where state = 'active' and wait_event_type is not null and wait_event_type <> 'Lock')::int as other,
                count(*) filter (where state = 'idle in transaction')::int as idle_tx
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and usename = (select role_name from aegis_owner.request_role)`,
      );
      const [r] = rows;
      sums.running += r.running;
      sums.waitingForLock += r.lock;
      sums.waitingOther += r.other;
      sums.idleInTransaction += r.idle_tx;
      samples++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  const mean = (n: number) => (samples ? Math.round((n / samples) * 100) / 100 : 0);
  return {
    stop: async () => {
      sampling = false;
      await loop;
      await c.end();
      return {
        samples,
        everyMs,
        running: mean(sums.running),
        waitingForLock: mean(sums.waitingForLock),
        waitingOther: mean(sums.waitingOther),
        idleInTransaction: mean(sums.idleInTransaction),
      };
    },
  };
}
