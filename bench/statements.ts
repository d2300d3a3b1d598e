import path from 'node:path';
import { Client } from 'pg';
import { DIST } from './dist';

export interface Statement {
  query: string;
  calls: number;
}

/** Counts the SQL the server's request role sends, between reset() and read(). */
export interface StatementCounter {
  source: string;
  /** Where the calibration requests go (the spawned server, or an in-process one). */
  url: string;
  reset(): Promise<void>;
  read(): Promise<Statement[]>;
  close(): Promise<void>;
}

/** pg_stat_statements' rows of the request role (a member of aegis_app) in the bench database: the server's SQL. */
const OF_REQUEST_ROLE = `from pg_stat_statements
  where userid = (select oid from pg_roles where rolname = (select role_name from aegis_owner.request_role))
    and dbid = (select oid from pg_database where datname = current_database())`;

/** pg_stat_statements in the bench database, filtered to the request role (a member of aegis_app): the server's SQL. */
export async function pgStatCounter(ownerUrl: string, serverUrl: string): Promise<StatementCounter> {
  const c = new Client({ connectionString: ownerUrl, statement_timeout: 10_000 });
  await c.connect();
  return {
    source: 'pg_stat_statements (the request role, bench database)',
    url: serverUrl,
    reset: async () => void (await c.query('select pg_stat_statements_reset()')),
    read: async () =>
      (
        await c.query(
          `select query, calls::int ${OF_REQUEST_ROLE}
            order by calls desc, query`,
        )
      ).rows,
    close: () => c.end(),
  };
}

/** Time PostgreSQL spent planning and executing the request role's statements, by statement (pg_stat_statements). */
export interface StatementTimes {
  calls: number;
  planMs: number;
  execMs: number;
  /** The statements with the most plan + execution time, normalised. */
  top: { query: string; calls: number; planMs: number; execMs: number }[];
}

/**
 * Reset and read of pg_stat_statements' times for the request role in the bench database, around a phase. Planning
 * is timed only where `pg_stat_statements.track_planning` is on (the embedded bench cluster, bench/database.ts);
 * parsing and rewriting are in neither figure. Both are wall time, not CPU: execution holds the waits for row locks
 * (a checkout's reservation queueing behind another's on the same product), so it can exceed the backends' CPU.
 */
export async function statementTimer(
  ownerUrl: string,
): Promise<{ reset(): Promise<void>; read(top: number): Promise<StatementTimes>; close(): Promise<void> }> {
  const c = new Client({ connectionString: ownerUrl, statement_timeout: 10_000 });
  await c.connect();
  return {
    reset: async () => void (await c.query('select pg_stat_statements_reset()')),
    read: async (top) => {
      const rows = (
        await c.query<{ query: string; calls: number; plan_ms: number; exec_ms: number }>(
          `select query, calls::int, total_plan_time::float8 as plan_ms, total_exec_time::float8 as exec_ms ${OF_REQUEST_ROLE}
            order by total_plan_time + total_exec_time desc`,
        )
      ).rows;
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
      return {
        calls: sum((r) => r.calls),
        planMs: sum((r) => r.plan_ms),
        execMs: sum((r) => r.exec_ms),
        top: rows.slice(0, top).map((r) => ({ query: r.query, calls: r.calls, planMs: r.plan_ms, execMs: r.exec_ms })),
      };
    },
    close: () => c.end(),
  };
}

type RuntimeModule = {
  startAegis(config: unknown, opts: { port: number; onQuery: (sql: string) => void }): Promise<{ url: string; close(): Promise<void> }>;
};
type ConfigModule = { loadConfig(env: NodeJS.ProcessEnv): unknown };

/**
 * Fallback when pg_stat_statements is not loaded (e.g. a DATABASE_URL cluster without it): the same build,
 * started in this process with startAegis({ onQuery }) on the same database, which logs every statement the ORM sends.
 */
export async function inProcessCounter(env: NodeJS.ProcessEnv): Promise<StatementCounter> {
  require('reflect-metadata');
  const { startAegis } = require(path.join(DIST, 'runtime.js')) as RuntimeModule;
  const { loadConfig } = require(path.join(DIST, 'config.js')) as ConfigModule;
  const seen: string[] = [];
  const aegis = await startAegis(loadConfig(env), {
    port: 0,
    onQuery: (m) =>
      seen.push(
        m
          .replace(/^\[query\] /, '')
          .replace(/ \[took .*$/s, '')
          .trim(),
      ),
  });
  return {
    source: 'in-process startAegis({ onQuery }) on the same database (pg_stat_statements not loaded)',
    url: aegis.url,
    reset: async () => void (seen.length = 0),
    read: async () => seen.map((query) => ({ query, calls: 1 })),
    close: () => aegis.close(),
  };
}

export type StatementKind = 'begin' | 'commit' | 'rollback' | 'tenant' | 'work';

export function kindOf(query: string): StatementKind {
  const q = query.trim().toLowerCase();
  // A message of reads begins its implicit transaction with SET TRANSACTION READ ONLY (src/db/site-binding.ts).
  if (/^(begin|start transaction|set transaction)\b/.test(q)) return 'begin';
  if (/^commit\b/.test(q)) return 'commit';
  if (/^rollback\b/.test(q)) return 'rollback';
  // pg_stat_statements shows it normalised (`select set_config($1, $2, $3)`), the ORM log with its values.
  if (/^select set_config\(/.test(q)) return 'tenant';
  return 'work';
}

/**
 * Statements sent in another's message (src/db/site-binding.ts, src/db/one-message.ts): the tenant setting with its
 * BEGIN, with a write sent alone or with a message of reads, a command's lookups with its BEGIN, what rides on a
 * COMMIT (the audit entries, the last flush, a stock settlement, the lines a command shows), and the reads of a
 * message of reads. Each is a statement, but no round trip of its own.
 */
const ridesAlong = (query: string) =>
  /\bas (bound_with_begin|bound_with_write|bound_with_read|sent_with_begin|sent_with_commit)\b/i.test(query) ||
  query.includes('/* sent_with_read */');

export interface StatementCount {
  /**
   * Every round trip to PostgreSQL: each statement, since the driver sends one per round trip, except those sent in
   * another's message (ridesAlong).
   */
  total: number;
  /** Without BEGIN, COMMIT and the per-transaction tenant setting: what the targets count. */
  counted: number;
  transactions: number;
  statements: Statement[];
}

export function countStatements(statements: Statement[]): StatementCount {
  let total = 0;
  let counted = 0;
  let transactions = 0;
  for (const s of statements) {
    if (!ridesAlong(s.query)) total += s.calls;
    const kind = kindOf(s.query);
    if (kind === 'work') counted += s.calls;
    if (kind === 'begin') transactions += s.calls;
  }
  return { total, counted, transactions, statements };
}
