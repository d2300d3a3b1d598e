import { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Clock } from '../domain/clock';
import type { AttemptCounter } from '../domain/identity/ports';
import type { Logger } from '../logger';
import type { RequestRole } from './request-role';

/** Created by Migration20261203010000_login_limits, in the layout the library's store expects. */
const SCHEMA = 'rate_limits';
const TABLE = 'attempts';

export interface AttemptCounterOptions {
  /** The request role's URL: counting needs no more than its grants. */
  url: string;
  windowMs: number;
  clock: Clock;
  log: Logger;
  /** Rows kept at most (100 000): past it the oldest windows go first, as in the in-process limiter. */
  maxRows?: number;
  /** How often each process deletes ended windows and the rows past the cap (every minute). */
  pruneEveryMs?: number;
}

/** The URL of this database's request role, on the owner's host and database. */
export function requestRoleUrl(ownerUrl: string, role: RequestRole): string {
  const url = new URL(ownerUrl);
  url.username = role.role;
  url.password = role.password;
  return url.toString();
}

/**
 * The attempt counter in PostgreSQL, through rate-limiter-flexible's store: one atomic upsert per count, so
 * parallel attempts on several processes each get their own count. A pool of its own, small and quick to give up:
 * a login flood waits for these connections, not for the ones request work needs, and an unreachable database
 * rejects within seconds (the caller fails closed).
 *
 * The store reads the time from Date.now(), not from the domain clock. When the domain clock is moved away from
 * the wall clock (tests move it by hand) by half a window or more, keys carry by how many windows, so a clock moved
 * past a window starts new windows; under the system clock the shift is always 0 and the keys are plain.
 */
export class PostgresAttemptCounter implements AttemptCounter {
  private readonly pool: Pool;
  private readonly store: RateLimiterPostgres;
  private readonly timer: NodeJS.Timeout;
  private readonly skewMs: number;

  constructor(private readonly opts: AttemptCounterOptions) {
    this.pool = new Pool({
      connectionString: opts.url,
      max: 4,
      connectionTimeoutMillis: 5000,
      query_timeout: 5000,
      application_name: 'aegis-login-limits',
    });
    // A connection the server ends while idle (a restart) is an event, not a crash: the next count connects again.
    this.pool.on('error', (err) => opts.log.warn({ reason: err.message }, 'login limiter connection lost'));
    this.store = new RateLimiterPostgres({
      storeClient: this.pool,
      storeType: 'pool',
      schemaName: SCHEMA,
      tableName: TABLE,
      tableCreated: true,
      // Our own pruning below: it also caps the rows, and stops with close().
      clearExpiredByTimeout: false,
      keyPrefix: '',
      duration: opts.windowMs / 1000,
      // Only penalty and reward are used (they count without refusing): the limits are the domain's.
      points: 0,
    });
    this.skewMs = opts.clock.now().getTime() - Date.now();
    this.timer = setInterval(() => void this.prune(), opts.pruneEveryMs ?? 60_000).unref();
  }

  async add(key: string): Promise<number> {
    return (await this.store.penalty(this.windowed(key), 1)).consumedPoints;
  }

  async refund(key: string): Promise<void> {
    const k = this.windowed(key);
    // A window that ended (or a row pruned) in between would start at -1, a free attempt: that row goes instead.
    if ((await this.store.reward(k, 1)).consumedPoints < 0) await this.store.delete(k);
  }

  /** Deletes the rows of ended windows, then the oldest past the cap; answers how many went. Never rejects. */
  async prune(): Promise<number> {
    try {
      const ended = await this.pool.query(`DELETE FROM ${SCHEMA}.${TABLE} WHERE expire <= $1`, [Date.now()]);
      const over = await this.pool.query(
        `DELETE FROM ${SCHEMA}.${TABLE} WHERE key IN (SELECT key FROM ${SCHEMA}.${TABLE} ORDER BY expire DESC, key OFFSET $1)`,
        [this.opts.maxRows ?? 100_000],
      );
      return (ended.rowCount ?? 0) + (over.rowCount ?? 0);
    } catch (err) {
      this.opts.log.warn({ reason: (err as Error).message }, 'login limiter pruning failed');
      return 0;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pool.end();
  }

  private windowed(key: string): string {
    const shift = Math.round((this.opts.clock.now().getTime() - Date.now() - this.skewMs) / this.opts.windowMs);
    return shift ? `${key}@${shift}` : key;
  }
}
