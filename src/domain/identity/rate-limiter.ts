/**
 * Fixed-window counter per key (in this process), so carts cannot be created in bulk (logins are counted by every
 * process together: ports.ts). It holds at most `maxKeys` keys: when full, expired windows go first, then the
 * oldest; a flood of new keys costs its senders' own oldest counters rather than the process's memory.
 */
export class RateLimiter {
  // Insertion order is window-start order (a key moves to the end when its window restarts): the oldest come first.
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one attempt; false when the key is over its limit in the current window. */
  take(key: string, nowMs: number): boolean {
    return this.add(key, nowMs) <= this.limit;
  }

  /** The attempts counted for the key in the current window; counts nothing. */
  count(key: string, nowMs: number): number {
    const entry = this.hits.get(key);
    return entry && nowMs - entry.windowStart < this.windowMs ? entry.count : 0;
  }

  /** Counts one attempt and returns the key's count in the current window. */
  add(key: string, nowMs: number): number {
    const entry = this.hits.get(key);
    if (entry && nowMs - entry.windowStart < this.windowMs) return ++entry.count;
    this.hits.delete(key);
    if (this.hits.size >= this.maxKeys) this.makeRoom(nowMs);
    this.hits.set(key, { windowStart: nowMs, count: 1 });
    return 1;
  }

  /** Takes back one attempt counted earlier (one that turned out not to count, like a login that succeeded). */
  refund(key: string): void {
    const entry = this.hits.get(key);
    if (entry && entry.count > 0) entry.count--;
  }

  /** The keys held, expired ones included until they are pruned: never more than `maxKeys`. */
  get size(): number {
    return this.hits.size;
  }

  private makeRoom(nowMs: number) {
    for (const [key, entry] of this.hits) {
      if (nowMs - entry.windowStart < this.windowMs) break;
      this.hits.delete(key);
    }
    if (this.hits.size >= this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
  }
}
