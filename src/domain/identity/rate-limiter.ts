/** Fixed-window attempt counter per key (in this process), so a login cannot be hammered. */
export class RateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  constructor(private readonly limit: number, private readonly windowMs: number) {}

  /** Counts one attempt; false when the key is over its limit in the current window. */
  take(key: string, nowMs: number): boolean {
    const entry = this.hits.get(key);
    if (!entry || nowMs - entry.windowStart >= this.windowMs) {
      if (this.hits.size > 10_000) this.prune(nowMs);
      this.hits.set(key, { windowStart: nowMs, count: 1 });
      return true;
    }
    entry.count++;
    return entry.count <= this.limit;
  }

  private prune(nowMs: number) {
    for (const [k, v] of this.hits) if (nowMs - v.windowStart >= this.windowMs) this.hits.delete(k);
  }
}
