/** Latencies and errors per operation, for one phase of the run. */
export class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  /** The first few error messages per operation, to say what went wrong. */
  readonly samples: string[] = [];

  /** Times `run`; `check` returns an error message for a reply that is not the expected success. */
  async time<T>(op: string, run: () => Promise<T>, check: (r: T) => string | null): Promise<T | null> {
    const start = process.hrtime.bigint();
    let problem: string | null;
    let reply: T | null = null;
    try {
      reply = await run();
      problem = check(reply);
    } catch (err) {
      problem = (err as Error).message;
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (problem) {
      this.errors.set(op, (this.errors.get(op) ?? 0) + 1);
      if (this.samples.length < 10) this.samples.push(`${op}: ${problem.slice(0, 300)}`);
      return null;
    }
    let list = this.latencies.get(op);
    if (!list) this.latencies.set(op, (list = []));
    list.push(ms);
    return reply;
  }

  errorCount(): number {
    let n = 0;
    for (const e of this.errors.values()) n += e;
    return n;
  }
}

export interface OpStats {
  count: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

export function summarise(rec: Recorder, op: string, seconds: number): OpStats {
  const sorted = [...(rec.latencies.get(op) ?? [])].sort((a, b) => a - b);
  return {
    count: sorted.length,
    errors: rec.errors.get(op) ?? 0,
    rps: round(sorted.length / seconds, 1),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export { round };
