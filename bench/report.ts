import type { StatementCount } from './statements';
import type { OpStats } from './stats';
import { round } from './stats';

export interface OperationResult extends OpStats {
  /** Statements the target counts: without BEGIN, COMMIT and the per-transaction tenant setting. */
  sqlStatements: number | null;
  /** Every statement, each one round trip. */
  sqlRoundTrips: number | null;
  sqlTransactions: number | null;
  vsTrivial: { rps: number; p50: number };
  vsRawInsert: { rps: number; p50: number };
}

export interface Baseline extends OpStats {
  sqlRoundTrips: number | null;
}

export function withRatios(s: OpStats, sql: StatementCount | undefined, trivial: OpStats, raw: OpStats): OperationResult {
  return {
    ...s,
    sqlStatements: sql?.counted ?? null,
    sqlRoundTrips: sql?.total ?? null,
    sqlTransactions: sql?.transactions ?? null,
    vsTrivial: { rps: round(s.rps / trivial.rps, 3), p50: round(s.p50Ms / trivial.p50Ms, 1) },
    vsRawInsert: { rps: round(s.rps / raw.rps, 3), p50: round(s.p50Ms / raw.p50Ms, 1) },
  };
}

const pad = (v: unknown, n: number) => String(v ?? '-').padStart(n);

export function table(rows: [string, OperationResult | (Baseline & Partial<OperationResult>)][]): string {
  const head = `${'operation'.padEnd(22)}${pad('req/s', 9)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('p99 ms', 9)}${pad('max ms', 9)}${pad('errors', 7)}${pad('SQL', 5)}${pad('trips', 6)}${pad('tx', 4)}${pad('rps/triv', 10)}${pad('rps/raw', 9)}${pad('p50/triv', 10)}${pad('p50/raw', 9)}`;
  const lines = rows.map(
    ([name, r]) =>
      `${name.padEnd(22)}${pad(r.rps, 9)}${pad(r.p50Ms, 9)}${pad(r.p95Ms, 9)}${pad(r.p99Ms, 9)}${pad(r.maxMs, 9)}${pad(r.errors, 7)}${pad(r.sqlStatements, 5)}${pad(r.sqlRoundTrips, 6)}${pad(r.sqlTransactions, 4)}${pad(r.vsTrivial?.rps, 10)}${pad(r.vsRawInsert?.rps, 9)}${pad(r.vsTrivial?.p50, 10)}${pad(r.vsRawInsert?.p50, 9)}`,
  );
  return [head, '-'.repeat(head.length), ...lines].join('\n');
}
